"""The clinic's own facts: ``profile.yml`` (what a clinic edits) and ``profile.py`` (how it is read)."""
