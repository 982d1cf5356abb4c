"""Talking to a running assistant over its REST channel, as the live, fuzz, console and cluster tests do."""

from __future__ import annotations

from typing import Any, Dict, List

import requests


def say(base_url: str, sender: str, message: str, http: Any = requests, timeout: float = 120) -> List[Dict[str, Any]]:
    """Send one message and return the replies; anything but 200 fails the test with the answer's start."""
    response = http.post(
        f"{base_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=timeout
    )
    assert response.status_code == 200, (response.status_code, response.text[:500])
    return response.json()


def joined(replies: List[Dict[str, Any]]) -> str:
    """The replies' texts, one per line."""
    return "\n".join(reply.get("text", "") for reply in replies)
