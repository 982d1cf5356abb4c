"""The staff console: sign in, work the queues, read conversations, see what to teach next.

A small Sanic app with server-rendered pages (``python -m console``). It reads
Rasa's tracker store and the project's tables through ``DATABASE_URL`` and
keeps its own tables (staff accounts, sessions, sign-in attempts, audit log)
in the same database.
"""
