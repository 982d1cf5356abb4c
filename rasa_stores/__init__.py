"""Rasa server plug-ins for storage, loaded by class name from endpoints.yml: the tracker and lock stores."""
