"""Write an nginx configuration for several Rasa instances from deploy/nginx.conf.template.

    python -m serve.nginx --listen 127.0.0.1:5005 --rasa 127.0.0.1:5006,127.0.0.1:5007 > var/nginx.conf
    nginx -c "$PWD/var/nginx.conf"

Used by the production-profile tests and by docs/production.md's instructions, so
both run the same configuration.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional

import settings

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"


def render(listen: str, rasa_servers: List[str], runtime: Path, max_body: Optional[int] = None) -> str:
    """The template with its placeholders filled; ``runtime`` holds nginx's pid, log and temp files.

    The body limit defaults to the Rasa server's own (MAX_REQUEST_BYTES), so nginx refuses first.
    """
    runtime.mkdir(parents=True, exist_ok=True)
    max_body = max_body or settings.get().MAX_REQUEST_BYTES
    servers = "\n        ".join(f"server {server} max_fails=1 fail_timeout=2s;" for server in rasa_servers)
    return (
        TEMPLATE.read_text()
        .replace("@LISTEN@", listen)
        .replace("@RASA_SERVERS@", servers)
        .replace("@RUNTIME@", str(runtime.resolve()))
        .replace("@MAX_BODY@", str(max_body))
    )


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:5005", help="address nginx listens on")
    parser.add_argument("--rasa", required=True, help="comma-separated host:port of the Rasa instances")
    parser.add_argument(
        "--runtime", default=str(ROOT / "var" / "nginx"), help="folder for nginx's pid, log, temp files"
    )
    parser.add_argument("--max-body", type=int, help="largest request body accepted, in bytes (MAX_REQUEST_BYTES)")
    args = parser.parse_args(argv)
    sys.stdout.write(render(args.listen, args.rasa.split(","), Path(args.runtime), args.max_body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
