"""Pure renderers: an `Archive` in, page texts out. Nothing here touches the disk.

`jobs.docs_jobs` lists every generated docs/ file as a job (path, key, how to make it),
which generation writes one at a time; the functions below make them all at once, for
tests and tools.
"""

from __future__ import annotations

from ..archive import Archive
from .jobs import Job, Keys, docs_jobs, keys_for
from .page import Page
from .search import (
    TOP,
    search_manifest,
    search_records,
    shard_days,
    shard_records,
    shard_size,
    top_entries,
    top_records,
)
from .syndication import feeds

__all__ = [
    "TOP",
    "Job",
    "Keys",
    "Page",
    "docs_files",
    "docs_jobs",
    "feeds",
    "keys_for",
    "record_files",
    "search_manifest",
    "search_records",
    "shard_days",
    "shard_records",
    "shard_size",
    "top_entries",
    "top_records",
]


def docs_files(archive: Archive, site_url: str) -> dict[str, str | bytes]:
    """docs/ path -> text of every generated file but the JSON API's; raises on a path
    that two files share."""
    from ..related import compute, entries_of
    from ..write import gather
    from .catalog import ordered

    related = entries_of(archive, compute([entry.paper for entry in ordered(archive)]))
    return gather((job.path, job.make()) for job in docs_jobs(archive, site_url, Keys(), related))


def record_files(archive: Archive) -> dict[str, str]:
    """The search records, one (HTML) per paper under papers/<shard>/, and the manifest."""
    records = {f"papers/{path}": text for path, text in search_records(archive).items()}
    records["shards.json"] = search_manifest(archive)
    return records
