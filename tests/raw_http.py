"""Requests written by hand over a socket, their body possibly unfinished.

An HTTP client library sends the whole body before it reads an answer; these
send only part of it, so an answer at all proves the server refused the
request without reading the body.
"""

from __future__ import annotations

import socket
from typing import Iterable, Iterator


def raw_request(port: int, head: str, body_parts: Iterable[bytes]) -> str:
    """Send a request by hand, its body possibly unfinished; the status line the server answers with."""
    with socket.create_connection(("127.0.0.1", port), timeout=120) as conn:
        conn.sendall(head.encode())
        try:
            for part in body_parts:
                conn.sendall(part)
        except OSError:
            pass  # the server answered and closed while we were still sending
        return conn.makefile("rb").readline().decode().strip()


def content_length_head(path: str, length: int, method: str = "POST", content_type: str = "application/json") -> str:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    )


def chunked_head(path: str, method: str = "POST", content_type: str = "application/json") -> str:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    )


def chunks_past(limit: int, size: int = 16 * 1024) -> Iterator[bytes]:
    """Chunks of a chunked body just past ``limit``, and never the final empty chunk."""
    for _ in range(limit // size + 2):
        yield f"{size:x}\r\n".encode() + b"a" * size + b"\r\n"
