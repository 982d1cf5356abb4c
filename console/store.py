"""The one database connection the console's web app and commands share."""

from __future__ import annotations

from typing import Optional

from actions.storage import Store


def open_store(url: Optional[str] = None) -> Store:
    """The project's Store on ``DATABASE_URL``; its migrations made the console's tables too."""
    return Store(url)
