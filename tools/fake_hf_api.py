"""A local fake of the Hugging Face daily papers API and of arXiv's query API, serving
recorded responses offline.

`GET /api/daily_papers?date=YYYY-MM-DD&limit=N&p=K` answers with page K (0-based) of N
records of the day recorded in `<days dir>/YYYY-MM-DD.json` (a saved response: a JSON list),
an empty list for a day nothing was recorded for, and a 400 for a bad parameter, as HF does.
Without `date` it answers with the latest recorded day. With several folders, a day in a
later folder replaces the same day in an earlier one.

`GET /api/query?search_query=...` answers from the entries of the recorded arXiv
responses (`*.atom`) in the arXiv folders, as tools/fake_arxiv.py describes.

`fault` makes it misbehave the ways the real API has: "down" answers every request with a
503, "garbage" with a 200 whose body is not JSON.

    python -m tools.fake_hf_api --port 0 --days tests/fixtures/hf_api [--days ../shared/hf-daily]

prints `http://127.0.0.1:PORT` on its first line and serves until interrupted. In tests:

    with FakeHFApi([folder]) as api:
        almanac fetch --base-url api.url --arxiv-url api.url ...
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
from collections.abc import Sequence
from datetime import date
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from tools import fake_arxiv

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DAYS = REPO / "tests" / "fixtures" / "hf_api"
SHARED_DAYS = REPO.parent / "shared" / "hf-daily"
DEFAULT_ARXIV = REPO / "tests" / "fixtures" / "arxiv"
PATH = "/api/daily_papers"
ARXIV_PATH = "/api/query"
DEFAULT_LIMIT = 50  # HF's page size when no limit is given
MAX_LIMIT = 100
FAULTS = ("down", "garbage")
_DAY_FILE = re.compile(r"(\d{4}-\d{2}-\d{2})\.json")


def recorded_days(folders: Sequence[Path]) -> dict[date, Path]:
    """Day -> the file recorded for it; later folders win. Missing folders are an error."""
    days: dict[date, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: no such folder of recorded days")
        for path in sorted(folder.iterdir()):
            match = _DAY_FILE.fullmatch(path.name)
            if match:
                days[date.fromisoformat(match.group(1))] = path
    return days


class _BadRequest(Exception):
    pass


def _int_param(query: dict[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name, [str(default)])[-1]
    try:
        value = int(raw)
    except ValueError:
        raise _BadRequest(f"{name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise _BadRequest(f"{name} must be between {low} and {high}, got {value}")
    return value


class FakeHFApi:
    """The fake server on 127.0.0.1, in a background thread. Port 0 picks a free port."""

    def __init__(
        self,
        folders: Sequence[Path] = (DEFAULT_DAYS,),
        *,
        port: int = 0,
        fault: str | None = None,
        arxiv: Sequence[Path] = (DEFAULT_ARXIV,),
    ) -> None:
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"fault must be one of {FAULTS}, not {fault!r}")
        self.days = recorded_days(folders)
        self.arxiv = fake_arxiv.load_entries(arxiv)
        self.fault = fault
        self.requests: list[str] = []  # every request target, in order, for tests
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeHFApi:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def serve(self) -> None:
        """Serve in this thread until interrupted (the command line's way)."""
        try:
            self._server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._server.server_close()

    def __enter__(self) -> FakeHFApi:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def answer(self, target: str) -> tuple[int, bytes]:
        """(status, body) for a request target such as /api/daily_papers?date=...; logs it."""
        with self._lock:
            self.requests.append(target)
        if self.fault == "down":
            return HTTPStatus.SERVICE_UNAVAILABLE, b'{"error":"Service Unavailable"}'
        if self.fault == "garbage":
            return HTTPStatus.OK, b"<html><body>Something went wrong</body></html>"
        parts = urlsplit(target)
        if parts.path.rstrip("/") == ARXIV_PATH:
            return fake_arxiv.answer(self.arxiv, parse_qs(parts.query))
        if parts.path.rstrip("/") != PATH:
            return HTTPStatus.NOT_FOUND, b'{"error":"Not Found"}'
        try:
            return HTTPStatus.OK, json.dumps(self._page(parse_qs(parts.query))).encode()
        except _BadRequest as exc:
            return HTTPStatus.BAD_REQUEST, json.dumps({"error": str(exc)}).encode()

    def _page(self, query: dict[str, list[str]]) -> list[object]:
        limit = _int_param(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        page = _int_param(query, "p", 0, 0, 10_000)
        if "date" in query:
            try:
                day = date.fromisoformat(query["date"][-1])
            except ValueError:
                raise _BadRequest(f"date must be YYYY-MM-DD, got {query['date'][-1]!r}") from None
        elif self.days:
            day = max(self.days)
        else:
            return []
        path = self.days.get(day)
        records = json.loads(path.read_text(encoding="utf-8")) if path else []
        return list(records[page * limit : (page + 1) * limit])

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = api.answer(self.path)
                self.send_response(status)
                atom = urlsplit(self.path).path.rstrip("/") == ARXIV_PATH
                kind = "application/atom+xml" if atom else "application/json"
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # requests are in api.requests; stderr stays for real problems

        return Handler


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.fake_hf_api",
        description="Serve recorded days as a fake HF /api/daily_papers, and recorded "
        "arXiv entries as a fake /api/query, on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=0, help="port (0: any free port)")
    parser.add_argument(
        "--days",
        type=Path,
        action="append",
        help=f"folder of YYYY-MM-DD.json responses (repeatable; default {DEFAULT_DAYS})",
    )
    parser.add_argument(
        "--shared",
        action="store_true",
        help=f"also serve the real captures in {SHARED_DAYS} when present",
    )
    parser.add_argument(
        "--arxiv",
        type=Path,
        action="append",
        help=f"folder of recorded arXiv responses, *.atom (repeatable; default {DEFAULT_ARXIV})",
    )
    parser.add_argument("--fault", choices=FAULTS, help="misbehave like a broken API")
    args = parser.parse_args(argv)
    folders = list(args.days or [DEFAULT_DAYS])
    if args.shared and SHARED_DAYS.is_dir():
        folders.append(SHARED_DAYS)
    try:
        api = FakeHFApi(
            folders, port=args.port, fault=args.fault, arxiv=args.arxiv or [DEFAULT_ARXIV]
        )
    except (OSError, ValueError) as exc:
        print(f"fake_hf_api: error: {exc}", file=sys.stderr)
        return 1
    print(api.url, flush=True)
    print(f"serving {len(api.days)} recorded days; Ctrl-C stops", file=sys.stderr, flush=True)
    api.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
