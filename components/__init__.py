"""Custom Rasa graph components used in config.yml's NLU pipeline."""
