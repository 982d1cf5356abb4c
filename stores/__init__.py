"""The project's database pieces: its schema migrations, and the stores Rasa loads by class name from endpoints.yml."""
