"""The project's records: its tables (``models``), the store that reads and writes them (``store``),
the migrations that make them (``schema``) and how contact details are kept (``contact``).

The action server, the outbox worker, the console and ``migrations/env.py`` all import from here.
"""
