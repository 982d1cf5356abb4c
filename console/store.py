"""The one database connection the console's web app and commands share."""

from __future__ import annotations

from typing import Optional

from actions.storage import Store
from console.models import metadata


def open_store(url: Optional[str] = None) -> Store:
    """The project's Store on ``DATABASE_URL``, with the console's tables created beside it."""
    store = Store(url)
    metadata.create_all(store.engine)
    return store
