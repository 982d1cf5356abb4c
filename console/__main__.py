"""Serve the staff console: ``python -m console`` (the run command starts it).

CONSOLE_PORT (8090) and HOST (127.0.0.1) say where; DATABASE_URL what it reads.
CONSOLE_MAX_REQUEST_BYTES (65536): the largest request body it reads.
"""

from __future__ import annotations

import os

from console.app import create_app


def main() -> None:
    app = create_app()
    app.run(
        host=os.getenv("HOST", "127.0.0.1"),
        port=int(os.getenv("CONSOLE_PORT", "8090")),
        access_log=False,
        motd=False,
        workers=1,
    )


if __name__ == "__main__":
    main()
