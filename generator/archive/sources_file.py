"""The shape check of data/sources.yaml: which sources `almanac fetch` follows.

Pure, like hand_edited.py: the store safe-loads the YAML and adds the line to each error.

    huggingface: true            # Hugging Face Daily Papers (the default)
    arxiv:                       # any number of arXiv feeds
      - name: language           # a short name, for `almanac fetch --source language`
        categories: [cs.CL, cs.LG]
        max_per_day: 300         # optional: the first 300 submitted of each listing day
      - name: splatting
        query: 'abs:"gaussian splatting"'   # arXiv's search syntax

A feed with both categories and a query follows the papers of those categories that
match the query.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.archive.hand_edited import (
    check_category,
    checked_slug,
    checked_text,
    mapping,
    only_keys,
    rule_list,
)
from generator.errors import RecordError
from generator.models import ArxivFeed, SourcesConfig

HUGGINGFACE = "huggingface"
_TOP_KEYS = (HUGGINGFACE, "arxiv")
_FEED_KEYS = ("name", "categories", "query", "max_per_day")
_MAX_QUERY = 500
# A day of all of arXiv is about 1,000 papers; more than this is a mistyped number.
_MAX_PER_DAY = 10_000


def parse_sources(data: object, path: str) -> SourcesConfig:
    """The sources of safe-loaded sources.yaml; RecordError names the first bad field."""
    if data is None:
        return SourcesConfig()
    top = mapping(data, path, None, "the file must be a mapping (huggingface:, arxiv:)")
    only_keys(top, _TOP_KEYS, path, "")
    follow_hf = top.get(HUGGINGFACE, True)
    if not isinstance(follow_hf, bool):
        raise RecordError(path, None, HUGGINGFACE, f"must be true or false, not {follow_hf!r}")
    items = top.get("arxiv") or []
    if not isinstance(items, list):
        raise RecordError(path, None, "arxiv", "must be a list of feeds")
    feeds: list[ArxivFeed] = []
    for i, item in enumerate(items):
        feed = _feed(item, path, f"arxiv[{i}]")
        if feed.name == HUGGINGFACE or any(f.name == feed.name for f in feeds):
            raise RecordError(path, None, f"arxiv[{i}].name", f"{feed.name!r} is taken")
        feeds.append(feed)
    return SourcesConfig(huggingface=follow_hf, arxiv=tuple(feeds))


def _feed(item: object, path: str, where: str) -> ArxivFeed:
    entry = mapping(item, path, where, "a feed must be a mapping (name, categories, query)")
    only_keys(entry, _FEED_KEYS, path, where + ".")
    name = checked_slug(entry.get("name"), path, f"{where}.name", 40)
    categories = rule_list(entry, "categories", path, where, check_category)
    query = entry.get("query")
    if query is not None:
        query = checked_text(query, path, f"{where}.query", _MAX_QUERY)
    if not categories and query is None:
        raise RecordError(path, None, where, "a feed needs categories, a query or both")
    return ArxivFeed(name, categories, query, _per_day(entry, path, where))


def _per_day(entry: Mapping[object, object], path: str, where: str) -> int | None:
    value = entry.get("max_per_day")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_PER_DAY:
        raise RecordError(
            path,
            None,
            f"{where}.max_per_day",
            f"must be a whole number 1..{_MAX_PER_DAY}: {value!r}",
        )
    return value
