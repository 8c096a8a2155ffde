"""The site's URL scheme, in one place. Published permalinks must never change.

URLs here are site-relative folder URLs without a leading slash ("days/2026/01/06/"); the
home page is "". `page_path` maps a URL to the Markdown file MkDocs turns into it
(with `use_directory_urls: true`).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

HOME = ""
DAYS = "days/"
TOPICS = "topics/"
SEARCH = "search/"
TRENDING = "trending/"
STATS = "stats/"
API = "api/"  # a hand-written page (docs/api.md) beside the generated files under api/
ATOM_FEED = "feed.xml"  # in the site's root folder and in each topic's folder
JSON_FEED = "feed.json"
API_INDEX = "api/index.json"
# Files of older versions of the JSON API: generation deletes them where an older release
# left them; no build carries them over.
RETIRED_DOCS = ("api/papers.jsonl.gz",)
# The docs/ entries generation owns, the one list of them: it writes them and deletes
# what it no longer makes there; every other file of docs/ is written by hand.
GENERATED_DOCS = (
    "index.md",
    ATOM_FEED,
    JSON_FEED,
    "days",
    "topics",
    "trending",
    "stats",
    API_INDEX,
    "api/days",
    "api/months",
    "api/topics",
    *RETIRED_DOCS,
)
_GENERATED_FOLDERS = tuple(f"{entry}/" for entry in GENERATED_DOCS)


def is_generated(path: str) -> bool:
    """Whether a docs/ file (its path relative to docs/) is generation's."""
    return path in GENERATED_DOCS or path.startswith(_GENERATED_FOLDERS)


def day_url(day: date) -> str:
    return f"days/{day.year:04d}/{day.month:02d}/{day.day:02d}/"


def month_url(year: int, month: int) -> str:
    return f"days/{year:04d}/{month:02d}/"


def year_url(year: int) -> str:
    return f"days/{year:04d}/"


def month_data_url(year: int, month: int) -> str:
    """The JSON API's file of a month's papers (gzip-compressed JSON Lines)."""
    return f"api/months/{year:04d}-{month:02d}.jsonl.gz"


def paper_url(paper_id: str, day: date) -> str:
    """A paper's permalink: its anchor on the page of the day it was featured."""
    return f"{day_url(day)}#{paper_id}"


def topic_url(slug: str) -> str:
    return f"topics/{slug}/"


def topic_month_url(slug: str, year: int, month: int) -> str:
    return f"topics/{slug}/{year:04d}/{month:02d}/"


def arxiv_title_search(title: str) -> str:
    """arXiv's search for the exact title (quoted: a phrase), for a paper known by title."""
    query = '"' + " ".join(title.split()) + '"'
    return "https://arxiv.org/search/?" + urlencode({"query": query, "searchtype": "title"})


def absolute(site_url: str, url: str) -> str:
    """A site-relative URL as an absolute one under `site_url` (which ends in "/")."""
    return site_url + url


def page_path(url: str) -> str:
    """The docs/ file for a folder URL: "" -> index.md, "days/" -> days/index.md."""
    if url and not url.endswith("/"):
        raise ValueError(f"not a folder URL: {url!r}")
    return f"{url}index.md"
