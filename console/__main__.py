"""Serve the staff console: ``python -m console`` (the run command starts it).

CONSOLE_PORT and HOST say where; DATABASE_URL what it reads; CONSOLE_MAX_REQUEST_BYTES
the largest request body it reads (settings.py, docs/configuration.md).
"""

from __future__ import annotations

import settings
from console.app import create_app


def main() -> None:
    config = settings.get()
    app = create_app()
    app.run(
        host=config.HOST,
        port=config.CONSOLE_PORT,
        access_log=False,
        motd=False,
        workers=1,
    )


if __name__ == "__main__":
    main()
