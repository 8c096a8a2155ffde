"""A local stand-in for the HF and arXiv APIs that misbehaves on cue, down to the socket.

Each request is answered by the next action scripted for its route; the last action of a
route repeats forever. Routes: "YYYY-MM-DD/P" for page P of a day of /api/daily_papers,
"arxiv" for /api/query. Actions: `Reply` (any status, headers, body, and a Content-Length
that may lie), `RESET` (TCP reset after reading the request) or `Hang` (say nothing).
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    body: bytes = b""
    status: str = "200 OK"
    headers: dict[str, str] = field(default_factory=dict)
    content_length: int | None = None  # None: the true length

    def encode(self) -> bytes:
        length = len(self.body) if self.content_length is None else self.content_length
        lines = [f"HTTP/1.1 {self.status}", f"Content-Length: {length}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


def json_reply(data: object, **headers: str) -> Reply:
    return Reply(json.dumps(data).encode(), headers={"Content-Type": "application/json", **headers})


def status(code: int, body: bytes = b"", **headers: str) -> Reply:
    reasons = {302: "Found", 429: "Too Many Requests", 500: "Internal Server Error"}
    reasons |= {502: "Bad Gateway", 503: "Service Unavailable", 200: "OK"}
    headers = {k.replace("_", "-"): v for k, v in headers.items()}
    return Reply(body, f"{code} {reasons.get(code, 'Whatever')}", headers)


@dataclass(frozen=True)
class Hang:
    seconds: float


RESET = "reset"
Action = Reply | Hang | str


class Upstream:
    def __init__(self) -> None:
        self.routes: dict[str, list[Action]] = {}
        self.log: list[str] = []  # the route of each request, in order
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> Upstream:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _next(self, route: str) -> Action:
        with self._lock:
            self.log.append(route)
            script = self.routes.get(route) or [status(404, b"no such route")]
            return script.pop(0) if len(script) > 1 else script[0]

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            target = head.split(b" ", 2)[1].decode()
            action = self._next(route_of(target))
            if action == RESET:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif isinstance(action, Hang):
                self._stop.wait(action.seconds)
            elif isinstance(action, Reply):
                with contextlib.suppress(OSError):
                    conn.sendall(action.encode())


def route_of(target: str) -> str:
    parts = urlsplit(target)
    if parts.path == "/api/query":
        return "arxiv"
    query = parse_qs(parts.query)
    return f"{query.get('date', ['?'])[0]}/{query.get('p', ['0'])[0]}"
