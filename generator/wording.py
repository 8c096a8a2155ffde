"""How counts are said, the same on the pages and in the build's messages."""

from __future__ import annotations


def plural(count: int, one: str, many: str | None = None) -> str:
    """`count` and the word for that many: "1 problem", "2 problems", "1,204 papers";
    `many` for words that do not take an s ("2 analyses")."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"
