"""A staff member works a real crisis in headless Chromium, against the whole running assistant.

`serve/run.py` (what `make run` starts) runs on free ports with its own
SQLite file; a visitor talks to it over the REST channel; the crisis must reach
the top of the urgent queue on a page already open, without a reload.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import requests

from scripts.servers import LocalAssistant
from tests.chat import joined, say
from tests.console.conftest import PASSWORD, Authenticator

ROOT = Path(__file__).resolve().parents[2]
CRISIS = "I want to end my life"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAssistant]:
    running = LocalAssistant(tmp_path_factory.mktemp("console-live"))
    try:
        running.wait_until_up()
        yield running
    finally:
        running.stop()


def say_to(assistant: LocalAssistant, sender: str, message: str) -> str:
    return joined(say(assistant.url, sender, message, timeout=60))


def test_staff_see_a_new_crisis_first_read_its_transcript_mark_it_done_and_export(
    assistant: LocalAssistant, browser, screenshot_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    console = f"http://127.0.0.1:{assistant.console_port}"
    assert f"staff console: {console}/" in assistant.log_text()
    created = subprocess.run(
        [sys.executable, "-m", "console.accounts", "create", "--username", "nurse.jones", "--role", "admin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": assistant.env["DATABASE_URL"]},
        timeout=60,
    )
    assert created.returncode == 0, created.stderr

    medical = f"visitor-{uuid.uuid4().hex[:8]}"
    say_to(assistant, medical, "I take lithium and lamotrigine, is it safe for me to have ketamine?")
    say_to(assistant, medical, "text me at 203 555 0199")

    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(console + "/queues")
    assert page.url.startswith(console + "/login")
    page.fill("input[name=username]", "nurse.jones")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(console + "/enrol?next=*")  # a new account sets up its authenticator app first
    assert page.locator("img[alt^='QR code']").evaluate("image => image.naturalWidth") > 0
    app = Authenticator(page.locator("code.secret").inner_text().replace(" ", ""))
    page.fill("input[name=code]", app.code())
    page.click("button[type=submit]")
    assert page.locator(".recovery-codes li").count() == 10
    page.click("text=I have kept them: continue")
    page.wait_for_url(console + "/queues")
    assert page.locator("#urgent .item").count() == 0

    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    reply = say_to(assistant, sender, CRISIS)
    assert "988" in reply and "911" in reply and "741741" in reply
    first = page.locator("#urgent .item").first
    first.wait_for(timeout=15_000)  # the open page refreshes itself every 5 s
    assert "waiting" in first.inner_text() and "new" in first.inner_text().lower()
    assert page.locator("#medical .item").count() == 1
    assert page.title().startswith("(1 urgent) Queues")  # seen from another tab too
    urgent_box, medical_box = page.locator("#urgent").bounding_box(), page.locator("#medical").bounding_box()
    assert urgent_box["y"] < medical_box["y"]
    page.screenshot(path=str(screenshot_dir / "console-queue.png"), full_page=True)
    reference = first.get_attribute("id")

    first.locator("a.open").click()
    page.wait_for_url("**/transcript?sender=*")
    transcript = page.locator("ol.transcript")
    assert CRISIS in transcript.locator("li.user .bubble").first.inner_text()
    assert "intent crisis" in transcript.locator("li.user .intent").first.inner_text()
    assert "confidence" in transcript.locator("li.user .intent").first.inner_text()
    assert "988" in transcript.locator("li.bot").first.inner_text()
    assert reference in page.locator(".records").inner_text()
    page.screenshot(path=str(screenshot_dir / "console-transcript.png"), full_page=True)

    page.goto(console + "/queues")
    item = page.locator(f"article[id='{reference}']")
    item.locator("input[name=note]").fill("Called her back; she is safe with her sister")
    item.locator("button[value=done]").click()
    page.wait_for_url("**/queues*")
    assert page.locator("#urgent .item").count() == 0
    done = page.locator("#done").inner_text()
    assert reference in done and "nurse.jones" in done and "safe with her sister" in done

    page.goto(console + "/export")
    with page.expect_download() as download:
        page.locator("form[action='/export/conversations.csv'] button").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert {"conversation": sender, "text": CRISIS, "intent": "crisis"}.items() <= next(
        row for row in rows if row["conversation"] == sender and row["from"] == "visitor"
    ).items()

    page.goto(console + "/audit")
    audit = page.locator("table").inner_text()
    assert "open transcript" in audit and sender in audit
    assert "status change" in audit and reference in audit and "export" in audit
    page.close()


def test_ctrl_c_stops_the_console_with_the_assistant(assistant: LocalAssistant) -> None:
    assert requests.get(f"http://127.0.0.1:{assistant.console_port}/login", timeout=10).status_code == 200
    assert assistant.stop() == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{assistant.console_port}/login", timeout=10)
