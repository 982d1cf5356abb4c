"""Safety checks that run on every message, whatever the classifier says.

Pure Python with no Rasa import: the Rasa server's NLU components and the action server both use it.
"""
