"""A synthetic archive made of real text, with the shape of the real one, for benchmarks.

Every title, abstract, AI summary, keyword and author name is made of pieces of the real
Hugging Face captures in ../shared/hf-daily (about 700 papers): abstracts are real
sentences, titles join the head of one real title to the tail of another, summaries and
keywords are real ones. Filler words are far cheaper to render, write and index than real
abstracts (a benchmark on them once showed our builds twice as fast as they were), so
there is no made-up text here. Without the captures there is nothing to make an archive
of: `real_text()` raises `NoRealText`, and the benchmark and its tests stop or skip.

Shape: about 25 papers a weekday (some days 60+), few at weekends; an abstract of the
length of a real one; 1-30 authors, drawn from a pool in which a few names recur across
years and most appear a handful of times, as on Hugging Face; upvotes skewed like HF's.
Deterministic for a given seed.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from generator.archive import store
from generator.archive.sources import hf_json
from generator.models import Links, Paper, Topic
from generator.project import Project

REPO = Path(__file__).resolve().parents[1]
TOPICS_FILE = REPO / "data" / "topics.yaml"
CAPTURES = REPO.parent / "shared" / "hf-daily"
MAX_ABSTRACT = 2000
# Of an abstract's sentences, the share taken from its "home" paper; the rest come from
# others, so no two abstracts are alike while each stays about one or two subjects.
HOME_SHARE = 0.75
# Sentence ends: a stop and a space before a capital, a digit or an opening bracket.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])")
_ABBREVIATIONS = ("e.g.", "i.e.", "vs.", "et al.", "Fig.", "Eq.", "Sec.", "etc.", "cf.", "approx.")


class NoRealText(Exception):
    """The real captures the synthetic text is made of are not there."""


@dataclass(frozen=True)
class Source:
    """One real paper, in the pieces a synthetic one borrows."""

    sentences: tuple[str, ...]
    head: str  # its title before the colon, or the whole title
    tail: str | None  # after the colon
    summary: str | None
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class RealText:
    """The pieces of real papers that synthetic ones are made of: each real paper, and
    for each, the real papers that share its first topic (what it borrows from, so that a
    synthetic paper stays about as many subjects as a real one)."""

    sources: tuple[Source, ...]
    kin: tuple[tuple[int, ...], ...]  # per source: indexes of sources sharing its topic
    lengths: tuple[int, ...]  # real abstracts' lengths, to draw lengths from
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


def sentences(text: str) -> list[str]:
    """A real abstract's sentences (not cut after "e.g.", "vs." or "et al.")."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(text):
        if out and out[-1].endswith(_ABBREVIATIONS):
            out[-1] += " " + piece.strip()
        elif piece.strip():
            out.append(piece.strip())
    return out


@functools.cache
def real_papers(folder: Path = CAPTURES) -> tuple[Paper, ...]:
    """The real papers with an abstract in the captures under `folder`, by id, read with
    the archive's own parser."""
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    found = {p.id: p for f in files for p in hf_json.parse_file(f).papers if p.abstract}
    return tuple(sorted(found.values(), key=lambda p: p.id))


@functools.cache
def real_text(folder: Path = CAPTURES, excluding: frozenset[str] = frozenset()) -> RealText:
    """The real text in the captures under `folder`, but for the papers `excluding`
    names (a test that searches for real papers keeps their sentences out of the
    synthetic ones)."""
    from generator.site.classify import Classifier

    papers = [p for p in real_papers(folder) if p.id not in excluding]
    if not papers:
        raise NoRealText(f"no Hugging Face captures in {folder}: the benchmark needs real text")
    judge = Classifier(shipped_topics())
    by_topic: dict[str, list[int]] = {}
    sources = []
    for i, paper in enumerate(papers):
        by_topic.setdefault(judge.classify(paper)[0], []).append(i)
        head, colon, tail = paper.title.partition(": ")
        sources.append(
            Source(
                sentences=tuple(sentences(paper.abstract or "")),
                head=head.strip(),
                tail=tail.strip() if colon and tail.strip() else None,
                summary=paper.ai_summary,
                keywords=paper.ai_keywords,
            )
        )
    kin = {i: tuple(group) for group in by_topic.values() for i in group}
    names = [a.split() for p in papers for a in p.authors if len(a.split()) >= 2]
    return RealText(
        sources=tuple(sources),
        kin=tuple(kin[i] for i in range(len(papers))),
        lengths=tuple(len(p.abstract or "") for p in papers),
        first_names=tuple(dict.fromkeys(n[0] for n in names)),
        last_names=tuple(dict.fromkeys(" ".join(n[1:]) for n in names)),
    )


def shipped_topics() -> list[Topic]:
    return store.read_topics(Project(REPO))


class _Authors:
    """A pool of real first and last names joined anew: Zipf-weighted, so over a large
    archive a few people author hundreds of papers and most one to a few, across years."""

    def __init__(self, text: RealText, rng: random.Random, size: int) -> None:
        names: dict[str, None] = {}
        while len(names) < size:
            names[f"{rng.choice(text.first_names)} {rng.choice(text.last_names)}"] = None
        self.names = list(names)
        self.weights = list(itertools.accumulate(1 / rank**0.5 for rank in range(1, size + 1)))

    def draw(self, rng: random.Random, count: int) -> tuple[str, ...]:
        chosen: dict[str, None] = {}
        while len(chosen) < count:
            chosen[rng.choices(self.names, cum_weights=self.weights)[0]] = None
        return tuple(chosen)


def _abstract(rng: random.Random, text: RealText, home: int) -> str:
    """Sentences of the home paper, in order, mixed with sentences of its kin."""
    target = min(MAX_ABSTRACT, text.lengths[rng.randrange(len(text.lengths))])
    own = list(text.sources[home].sentences)
    kin = text.kin[home]
    parts: list[str] = []
    size = 0
    while size < target:
        if own and rng.random() < HOME_SHARE:
            sentence = own.pop(0)
        else:
            other = text.sources[kin[rng.randrange(len(kin))]].sentences
            sentence = other[rng.randrange(len(other))]
        if size + len(sentence) + 1 > MAX_ABSTRACT and parts:
            break
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)[:MAX_ABSTRACT]


def _title(rng: random.Random, text: RealText, home: int, taken: set[str]) -> str:
    """The home paper's title head, and the tail of one of its kin's titles."""
    head = text.sources[home].head
    kin = text.kin[home]
    for attempt in itertools.count():
        tail = text.sources[kin[rng.randrange(len(kin))]].tail
        title = f"{head}: {tail}" if tail and rng.random() < 0.8 else head
        if attempt > 5:  # the pairs of a small topic are used up: add a real keyword
            keywords = text.sources[kin[rng.randrange(len(kin))]].keywords or ("revisited",)
            title = f"{title} ({rng.choice(keywords)})"
        if attempt > 50:
            title = f"{title} {attempt}"
        if title.casefold() not in taken:
            taken.add(title.casefold())
            return title
    raise AssertionError("unreachable")


def _papers_on(day: date, rng: random.Random) -> int:
    if day.weekday() >= 5:
        return rng.randint(0, 4)
    return rng.randint(40, 70) if rng.random() < 0.08 else rng.randint(12, 35)


def synth_papers(
    n: int,
    *,
    seed: int = 1,
    last_day: date = date(2026, 1, 30),
    text: RealText | None = None,
    listed: float = 0.0,
) -> list[Paper]:
    """`n` papers ending on `last_day`, going back as many days as it takes; a share
    `listed` of them an arXiv feed lists too, with arXiv categories."""
    text = text or real_text()
    rng = random.Random(seed)
    authors = _Authors(text, rng, max(2000, n * 2))
    papers: list[Paper] = []
    taken: set[str] = set()
    day = last_day
    serial = 0
    while len(papers) < n:
        for _ in range(min(_papers_on(day, rng), n - len(papers))):
            serial += 1
            papers.append(_paper(day, serial, rng, text, authors, taken))
        day -= timedelta(days=1)
    return _listed(papers, listed, seed) if listed else papers


# The arXiv categories of Hugging Face's daily papers, roughly as often as they come
# (primary categories; cross-lists are drawn from the same).
_CATEGORIES = {
    "cs.CV": 30, "cs.CL": 28, "cs.LG": 20, "cs.AI": 10, "cs.RO": 5, "cs.IR": 2,
    "eess.AS": 2, "cs.SD": 1, "stat.ML": 1, "eess.IV": 1,
}  # fmt: skip


def _listed(papers: list[Paper], share: float, seed: int) -> list[Paper]:
    """The papers, a share of them also from an arXiv feed: categories, both sources.
    Its own random stream, so the archive is otherwise the same as without it."""
    rng = random.Random(seed * 7919)
    names, weights = list(_CATEGORIES), list(_CATEGORIES.values())
    out = []
    for paper in papers:
        if rng.random() >= share:
            out.append(paper)
            continue
        drawn = rng.choices(names, weights, k=rng.randint(1, 3))
        categories = tuple(dict.fromkeys(drawn))
        out.append(
            paper.with_changes(
                sources=("arxiv", "hf-daily"),
                primary_category=categories[0],
                categories=categories,
            )
        )
    return out


def _paper(
    day: date,
    serial: int,
    rng: random.Random,
    text: RealText,
    authors: _Authors,
    taken: set[str],
) -> Paper:
    # Unique across the run (five digits of serial per month is not enough at 100,000).
    pid = f"{day:%y%m}.{serial % 100000:05d}" if serial < 100000 else f"s{serial}"
    home = rng.randrange(len(text.sources))
    source = text.sources[home]
    has_ai = rng.random() < 0.95 and source.summary is not None
    has_code = rng.random() < 0.4
    return Paper(
        id=pid,
        title=_title(rng, text, home, taken),
        day=day,
        abstract=_abstract(rng, text, home),
        authors=authors.draw(rng, min(30, int(rng.expovariate(1 / 8)) + 1)),
        published=day - timedelta(days=rng.randint(0, 5)),
        upvotes=int(rng.paretovariate(1.2)) - 1,
        comments=rng.randint(0, 5),
        links=Links.for_arxiv(pid, code=f"https://github.com/lab/p{serial}" if has_code else None),
        github_stars=rng.randint(0, 3000) if has_code else None,
        ai_summary=source.summary if has_ai else None,
        ai_keywords=source.keywords if has_ai else (),
        sources=("hf-daily",),  # as a Hugging Face capture would be
    )


def write_archive(project: Project, papers: Sequence[Paper]) -> int:
    """The papers as data/ day files plus the shipped taxonomy; returns files written."""
    by_day: dict[date, list[Paper]] = {}
    for paper in papers:
        by_day.setdefault(paper.day, []).append(paper)
    project.data.mkdir(parents=True, exist_ok=True)
    project.topics_file.write_text(TOPICS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    return len(store.save_days(project, by_day))


def hf_records(papers: list[Paper]) -> Iterator[tuple[date, list[dict[str, Any]]]]:
    """The same papers as HF /api/daily_papers responses, one list per day."""
    by_day: dict[date, list[dict[str, Any]]] = {}
    for p in papers:
        submitted = f"{p.day.isoformat()}T08:00:00.000Z"
        paper: dict[str, Any] = {
            "id": p.id,
            "title": p.title,
            "summary": p.abstract,
            "authors": [
                {"_id": f"a{i}", "name": a, "hidden": False} for i, a in enumerate(p.authors)
            ],
            "publishedAt": f"{p.published}T00:00:00.000Z",
            "submittedOnDailyAt": submitted,
            "upvotes": p.upvotes,
            "ai_summary": p.ai_summary,
            "ai_keywords": list(p.ai_keywords),
            "githubRepo": p.links.code,
            "githubStars": p.github_stars,
        }
        by_day.setdefault(p.day, []).append(
            {"paper": paper, "title": p.title, "numComments": p.comments, "publishedAt": submitted}
        )
    yield from sorted(by_day.items())
