"""Stores the Rasa server loads by class name from endpoints.yml."""
