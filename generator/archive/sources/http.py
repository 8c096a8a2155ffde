"""The one HTTP client: polite, patient with flaky servers, quick to see a dead network.

Every request of the generator goes through `Client`. It waits `delay` seconds between
requests (arXiv asks for 3), retries read timeouts, dropped connections, truncated bodies,
429 and 5xx with exponential backoff (honouring `Retry-After`), and gives up with a
one-line `FetchError` after `retries + 1` attempts. Other 4xx answers fail at once.

Retrying only helps when the answer can change. A host that cannot be reached at all (its
name does not resolve, no route, connection refused, no answer to connect) is tried
twice, a short wait apart, then given up for the rest of the run: `HostUnreachable`, and
every later request to it fails at once without touching the network. A `Retry-After`
longer than the backoff cap ends the request too: waiting less would only be refused.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

import requests

from generator import __version__
from generator.errors import FetchError, HostUnreachable, SourceError

USER_AGENT = f"paper-almanac/{__version__} (+https://github.com/paper-almanac)"
MAX_BODY = 32 * 1024 * 1024  # no day of papers comes near this; a runaway body does

Params = Mapping[str, str | int]
T = TypeVar("T")

_CHARSET_RE = re.compile(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
UNREACHABLE_ATTEMPTS = 2  # a host that cannot be reached: once more, in case of a blip
UNREACHABLE_WAIT = 2.0
# The OS's words for a host that cannot be reached at all (as opposed to one that answered
# and dropped the connection, which may answer the next time).
_UNREACHABLE = (
    "Name or service not known",
    "Temporary failure in name resolution",
    "No address associated with hostname",
    "nodename nor servname provided",
    "Connection refused",
    "Network is unreachable",
    "No route to host",
    "Host is unreachable",
)


class _Retryable(Exception):
    """This attempt failed in a way another attempt may not."""

    def __init__(
        self, reason: str, retry_after: float | None = None, *, unreachable: bool = False
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.unreachable = unreachable  # the host itself, not this answer


@dataclass(frozen=True)
class Body:
    """A complete response body and the headers needed to decode it."""

    content: bytes
    content_type: str

    def text(self) -> str:
        match = _CHARSET_RE.search(self.content_type)
        charset = match.group(1) if match else "utf-8"
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:  # a charset Python does not know
            return self.content.decode("utf-8", errors="replace")


def full_url(url: str, params: Params | None = None) -> str:
    """The URL with its query string, as it is requested and reported."""
    prepared = requests.Request("GET", url, params=dict(params or {})).prepare()
    return prepared.url or url


class Client:
    """A requests.Session with timeouts, a polite delay and bounded retries."""

    def __init__(
        self,
        *,
        delay: float = 1.0,
        timeout: tuple[float, float] = (10.0, 30.0),
        retries: int = 4,
        backoff_base: float = 2.0,
        backoff_cap: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        on_retry: Callable[[str], None] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        if retries < 0:
            raise ValueError("retries must be >= 0")
        self.delay = delay
        self.timeout = timeout
        self.attempts = retries + 1
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._sleep = sleep
        self._clock = clock
        self._on_retry = on_retry
        self._last_request: float | None = None
        self._down: dict[str, str] = {}  # host -> why it cannot be reached, for this run
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()

    def get_text(self, url: str, params: Params | None = None) -> str:
        return self._get(url, params, lambda body: body.text())

    def get_json(self, url: str, params: Params | None = None) -> object:
        return self._get(url, params, lambda body: _decode_json(full_url(url, params), body))

    def _get(self, url: str, params: Params | None, decode: Callable[[Body], T]) -> T:
        where = full_url(url, params)
        host = urlsplit(where).netloc
        if host in self._down:
            raise HostUnreachable(where, f"{host} cannot be reached ({self._down[host]})", host)
        failure = _Retryable("no attempt made")
        attempt = 0
        while attempt < self._allowed(failure):
            attempt += 1
            if attempt > 1:
                wait = self._backoff(attempt - 1, failure)
                if self._on_retry:
                    self._on_retry(
                        f"{where}: {failure.reason}; retrying in {wait:g} s "
                        f"(attempt {attempt} of {self._allowed(failure)})"
                    )
                self._sleep(wait)
            self._wait_politely()
            try:
                return decode(self._request_once(url, params))
            except _Retryable as exc:
                failure = exc
        if failure.unreachable:
            self._down[host] = failure.reason
            raise HostUnreachable(
                where,
                f"{host} cannot be reached ({failure.reason}) after {_attempts(attempt)}",
                host,
            )
        raise FetchError(where, f"{failure.reason} after {_attempts(attempt)}")

    def _allowed(self, failure: _Retryable) -> int:
        if failure.unreachable:
            return min(self.attempts, UNREACHABLE_ATTEMPTS)
        return self.attempts

    def _wait_politely(self) -> None:
        if self._last_request is not None:
            wait = self.delay - (self._clock() - self._last_request)
            if wait > 0:
                self._sleep(wait)

    def _backoff(self, attempt: int, failure: _Retryable) -> float:
        if failure.unreachable:
            return UNREACHABLE_WAIT
        if failure.retry_after is not None:
            return max(failure.retry_after, 0.0)  # never over the cap: _check_status saw to it
        return float(min(self.backoff_base * 2 ** (attempt - 1), self.backoff_cap))

    def _request_once(self, url: str, params: Params | None) -> Body:
        try:
            with self.session.get(
                url, params=params, timeout=self.timeout, stream=True
            ) as response:
                _check_status(full_url(url, params), response, self._clock(), self.backoff_cap)
                content = _read_body(full_url(url, params), response)
                return Body(content, response.headers.get("Content-Type", ""))
        except requests.ConnectTimeout:
            raise _Retryable("no answer to connect", unreachable=True) from None
        except requests.Timeout:
            raise _Retryable("timed out") from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise _Retryable("truncated body") from None
        except requests.ConnectionError as exc:
            cause = _root_cause(exc)
            unreachable = any(words in cause for words in _UNREACHABLE)
            raise _Retryable(f"connection failed ({cause})", unreachable=unreachable) from None
        except requests.RequestException as exc:  # invalid URL and the like: no retry helps
            raise FetchError(full_url(url, params), _short(exc)) from None
        finally:
            self._last_request = self._clock()


def _check_status(where: str, response: requests.Response, now: float, cap: float) -> None:
    status = response.status_code
    if status == 429 or 500 <= status < 600:
        retry_after = _retry_after(response.headers.get("Retry-After"), now)
        if retry_after is not None and retry_after > cap:
            raise FetchError(
                where,
                f"HTTP {status}, asked to wait {retry_after:.0f} s, longer than the "
                f"{cap:g} s this run waits; try again later",
            )
        raise _Retryable(f"HTTP {status}", retry_after)
    if status >= 400:
        raise FetchError(where, f"HTTP {status} {response.reason or ''}".rstrip())
    if status >= 300:  # requests follows redirects; one left over is a loop or a bad Location
        raise FetchError(where, f"HTTP {status} not followed")


def _read_body(where: str, response: requests.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=64 * 1024):
        size += len(chunk)
        if size > MAX_BODY:
            raise FetchError(where, f"body larger than {MAX_BODY} bytes")
        chunks.append(chunk)
    content = b"".join(chunks)
    declared = response.headers.get("Content-Length")
    encoded = response.headers.get("Content-Encoding", "identity").lower() != "identity"
    # urllib3 normally catches a short body itself; this covers the paths where it does not.
    if (
        declared
        and declared.isascii()
        and declared.isdigit()
        and not encoded
        and int(declared) != len(content)
    ):
        raise _Retryable("truncated body")
    return content


def _retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT by definition
        return None
    return max(when.timestamp() - now, 0.0)


def _decode_json(where: str, body: Body) -> object:
    if not body.content.strip():
        raise SourceError(where, "empty response body, expected JSON")
    try:
        return json.loads(body.content)
    except json.JSONDecodeError as exc:
        if _looks_cut(exc) and body.content.lstrip()[:1] in (b"[", b"{"):
            raise _Retryable("truncated JSON body") from None
        raise SourceError(where, f"response is not JSON ({_kind(body)}): {exc}") from None
    except (UnicodeDecodeError, RecursionError) as exc:
        raise SourceError(where, f"response is not usable JSON: {_short(exc)}") from None


def _looks_cut(exc: json.JSONDecodeError) -> bool:
    """The document ended mid-value: what a dropped connection leaves behind."""
    return exc.pos >= len(exc.doc.rstrip()) or exc.msg.startswith("Unterminated string")


def _kind(body: Body) -> str:
    return body.content_type.split(";")[0].strip() or "no content type"


def _attempts(count: int) -> str:
    return f"{count} attempt" if count == 1 else f"{count} attempts"


def _root_cause(exc: BaseException) -> str:
    """The OS's word for what broke ("Connection refused"), from deep in urllib3's wrapping."""
    stack, seen = [exc], set()
    while stack:
        error = stack.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, OSError) and isinstance(error.strerror, str) and error.strerror:
            return error.strerror
        stack += [a for a in error.args if isinstance(a, BaseException)]
        stack += [
            v
            for v in (getattr(error, "reason", None), error.__cause__, error.__context__)
            if isinstance(v, BaseException)
        ]
    return _short(exc)


def _short(exc: BaseException) -> str:
    """An exception as one line of reasonable length."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
