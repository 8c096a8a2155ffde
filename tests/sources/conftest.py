"""Shared helpers for the source tests: fake time, a raw socket server, real data paths."""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import FakeTime

from generator.archive.sources.http import Client

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_client(fake_time: FakeTime) -> Iterator[Callable[..., Client]]:
    """Clients that never really wait; tests pass what they need to vary."""
    made: list[Client] = []

    def make(**overrides: Any) -> Client:
        options: dict[str, Any] = {
            "delay": 0.0,
            "timeout": (2.0, 2.0),
            "retries": 4,
            "sleep": fake_time.sleep,
            "clock": fake_time.clock,
        }
        options.update(overrides)
        client = Client(**options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


RESET = "reset"  # close the connection with a TCP RST right after reading the request


@dataclass(frozen=True)
class Hang:
    """Read the request, then say nothing for this long."""

    seconds: float


def http_response(
    body: bytes, *, status: str = "200 OK", content_length: int | None = None, **headers: str
) -> bytes:
    """A raw HTTP/1.1 response; `content_length` may lie about the body."""
    length = len(body) if content_length is None else content_length
    lines = [f"HTTP/1.1 {status}", f"Content-Length: {length}", "Connection: close"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class RawServer:
    """A socket server that answers each new connection with the next scripted action.

    Actions: raw bytes (sent, then the connection is closed), RESET, or Hang(seconds).
    """

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.script: list[bytes | str | Hang] = []
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            action = self.script.pop(0) if self.script else http_response(b"no script left")
            threading.Thread(target=self._answer, args=(conn, action), daemon=True).start()

    def _answer(self, conn: socket.socket, action: bytes | str | Hang) -> None:
        with conn:
            conn.settimeout(5)
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            self.requests.append(request.split(b"\r\n", 1)[0].decode())
            if action == RESET:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif isinstance(action, Hang):
                self._stop.wait(action.seconds)
            elif isinstance(action, bytes):
                conn.sendall(action)

    def close(self) -> None:
        self._stop.set()
        self._sock.close()
        self._thread.join(timeout=2)


@pytest.fixture
def raw_server() -> Iterator[RawServer]:
    server = RawServer()
    yield server
    server.close()
