"""Start widget/server.py as its own process, as serve/run.py does, on a free port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, List, Optional

import pytest
import requests

from serve.run import free_port

ROOT = Path(__file__).resolve().parents[2]
WidgetServer = Callable[..., str]


@pytest.fixture(scope="module")
def widget_server() -> Iterator[WidgetServer]:
    """Start a widget server whose page talks to the given Rasa URL; returns the page's URL."""
    started: List[subprocess.Popen] = []

    def start(rasa_public_url: str, port: Optional[int] = None) -> str:
        port = port or free_port()
        env = dict(os.environ, WIDGET_PORT=str(port), HOST="127.0.0.1", RASA_PUBLIC_URL=rasa_public_url)
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "widget" / "server.py")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"widget server exited {process.returncode}: {process.stdout.read()}")
            try:
                requests.get(url, timeout=1)
                return url
            except requests.ConnectionError:
                time.sleep(0.1)
        raise TimeoutError("widget server did not start")

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)
