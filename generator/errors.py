"""Errors that carry enough context to be reported as one line."""

from __future__ import annotations


class AlmanacError(Exception):
    """Base of every error the CLI reports as a one-line message (never a traceback)."""


class RecordError(AlmanacError):
    """One bad field of one record, located by file (or URL), paper and field."""

    def __init__(
        self, path: str | None, paper_id: str | None, field: str | None, message: str
    ) -> None:
        self.path = path
        self.paper_id = paper_id
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [
            self.path or "<input>",
            f"paper {self.paper_id}" if self.paper_id else None,
            f"field {self.field}" if self.field else None,
        ]
        return ": ".join(part for part in where if part) + f": {self.message}"

    def located(self, path: str) -> RecordError:
        """The same error, now naming the file it came from."""
        return RecordError(path, self.paper_id, self.field, self.message)


class SourceError(AlmanacError):
    """A whole input (file or HTTP response) is unusable; nothing from it is kept."""

    def __init__(self, origin: str, message: str) -> None:
        self.origin = origin
        self.message = message
        super().__init__(f"{origin}: {message}")


class FetchError(SourceError):
    """A request failed for good, after the retries the client allows."""


class HostUnreachable(FetchError):
    """The host cannot be reached at all (no name, no route, refused): no other request
    to it in this run can do better, so the caller stops rather than retrying each one."""

    def __init__(self, origin: str, message: str, host: str) -> None:
        super().__init__(origin, message)
        self.host = host


class StoreError(AlmanacError):
    """The archive on disk cannot be read or written as asked."""
