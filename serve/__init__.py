"""What runs the assistant: the launcher (``run.py``), the Rasa and action server entry points, nginx's config."""
