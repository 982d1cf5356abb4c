"""`make safety`: start the servers, play every conversation, score, write reports/safety.md.

    .venv/bin/python -m scripts.safety_suite [--only ID ...] [--language es] [--out PATH]

Exits 1 when a check fails on a turn not marked ``known_failure`` (or a marked one passes);
`make test` runs the same conversations through tests/safety/test_safety_suite.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import List

from scripts.safety_suite import conversations as suite
from scripts.safety_suite.checks import Check, check_conversation, unexpected
from scripts.safety_suite.play import Player
from scripts.safety_suite.report import REPORT, summary, write
from tests.channels.conftest import running_channels

# Two people at a time: the Rasa server runs two workers (RASA_WORKERS).
PARALLEL = 2


def run(chosen: List[suite.Conversation], workdir: Path) -> List[Check]:
    with running_channels(workdir) as channels:
        player = Player(channels)
        try:
            with ThreadPoolExecutor(PARALLEL) as pool:
                played = list(pool.map(player.play, chosen))
        finally:
            player.close()
    return [check for conversation, seen in zip(chosen, played) for check in check_conversation(conversation, seen)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="conversation ids to play (default: all)")
    parser.add_argument("--language", choices=("en", "es"), help="play only the conversations in this language")
    parser.add_argument(
        "--out", type=Path, default=REPORT, help=f"report to write (default: {REPORT.name} in reports/)"
    )
    args = parser.parse_args()
    chosen = [
        c
        for c in suite.load()
        if (not args.only or c.id in args.only) and (not args.language or c.language == args.language)
    ]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="safety-") as workdir:
        checks = run(chosen, Path(workdir))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write(chosen, checks, time.monotonic() - started, args.out)
    print(f"Safety suite: {len(chosen)} conversations, {args.out}")
    print(summary(checks))
    problems = [
        f"{conversation.id}: {problem}"
        for conversation in chosen
        for problem in unexpected(conversation, [c for c in checks if c.conversation == conversation.id])
    ]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
