"""The search manifest: what the search page needs before it searches.

The search page (assets/almanac/search.js) reads it first: how many papers there are,
the word index's and the catalog's segments (render/wordindex.py, catalog.py), the
topics with papers (slug -> name: its topic choices and its address, `?topic=agents`,
use slugs, which stay short and readable), the sources' labels, and every filter value
with its count, so it can offer its filters before it loads anything else. The papers
themselves are in the catalog (render/catalog.py) and the word index, beside it in
SEARCH_FOLDER.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from generator.site.arranged import Archive
from generator.site.render.card import SOURCE_KEY_LABELS, arxiv_categories, source_keys

# The search trees' folder in the site: the manifest, the catalog and the word index.
SEARCH_FOLDER = "search-index"
MANIFEST = "manifest.json"
MANIFEST_VERSION = 3


def search_manifest(
    archive: Archive, words: Sequence[str] = (), catalog: Sequence[str] = ()
) -> str:
    """The number of papers, the word index's and the catalog's segments (`words`,
    `catalog`, oldest first), the topics with papers (slug -> name, in taxonomy order),
    the sources (key -> label) and every filter value with its count, as JSON."""
    names = {t.slug: t.name for t in archive.topics}
    months: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    for day in archive.days:
        entries = archive.by_day[day]
        months[f"{day:%Y-%m}"] += len(entries)
        topics.update(slug for entry in entries for slug in entry.topics)
        categories.update(c for entry in entries for c in arxiv_categories(entry.paper))
        sources.update(k for entry in entries for k in source_keys(entry.paper))
    years: Counter[str] = Counter()
    for month, count in months.items():
        years[month[:4]] += count
    manifest = {
        "version": MANIFEST_VERSION,
        "papers": archive.total,
        "words": list(words),
        "catalog": list(catalog),
        "topics": {slug: name for slug, name in names.items() if topics[slug]},
        "sources": {k: SOURCE_KEY_LABELS[k] for k in sorted(sources)},
        # Counts by topic slug and source key, as the choices are named.
        "filters": {
            "topic": {slug: topics[slug] for slug in sorted(topics)},
            "year": dict(sorted(years.items())),
            "month": dict(sorted(months.items())),
            "category": dict(sorted(categories.items())),
            "source": dict(sorted(sources.items())),
        },
    }
    return json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"
