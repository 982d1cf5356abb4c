"""The language of a conversation, English or Spanish (issue 14).

Pure Python and py3langid, no Rasa import: ``detection`` tells the language of one message,
``decision`` the conversation's language from its messages; actions/language.py sets the
``language`` slot with them after every user message.
"""
