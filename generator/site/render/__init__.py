"""Pure renderers: an `Archive` in, page texts out. Nothing here touches the disk.

`jobs.docs_jobs` lists every generated docs/ file as a job (path, key, how to make it),
which generation writes one at a time.
"""

from __future__ import annotations

from generator.site.render.jobs import Job, Keys, docs_jobs, keys_for
from generator.site.render.page import Page
from generator.site.render.search import search_manifest
from generator.site.render.syndication import feeds

__all__ = [
    "Job",
    "Keys",
    "Page",
    "docs_jobs",
    "feeds",
    "keys_for",
    "search_manifest",
]
