"""Hypothesis strategies for archive records."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from generator.models import SOURCE_NAMES, Links, Paper

# Any text a record may carry: every Unicode character except unpaired surrogates,
# including NUL, control characters, RTL marks and combining characters.
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
nonblank = text.filter(lambda s: s.strip() != "")
counts = st.none() | st.integers(min_value=0, max_value=10**6)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
# New-style ids mostly, and now and then an old-style one ("hep-th/0601001").
arxiv_ids = st.from_regex(r"2[0-9]{3}\.[0-9]{5}", fullmatch=True) | st.from_regex(
    r"(hep-th|math\.GT|cs|cond-mat)/[0-9]{7}", fullmatch=True
)


@st.composite
def papers(draw: st.DrawFn, paper_id: str | None = None, day: date | None = None) -> Paper:
    pid = paper_id or draw(arxiv_ids)
    return Paper(
        id=pid,
        title=draw(nonblank),
        day=day or draw(days),
        abstract=draw(st.none() | text),
        authors=tuple(draw(st.lists(nonblank, max_size=4))),
        published=draw(st.none() | days),
        upvotes=draw(counts),
        comments=draw(counts),
        links=draw(st.sampled_from([Links(), Links.for_arxiv(pid)])),
        github_stars=draw(counts),
        organization=draw(st.none() | text),
        ai_summary=draw(st.none() | text),
        ai_keywords=tuple(draw(st.lists(text, max_size=3))),
        arxiv_version=draw(st.none() | st.integers(min_value=1, max_value=30)),
        updated=draw(st.none() | days),
        sources=tuple(sorted(draw(st.sets(st.sampled_from(SOURCE_NAMES))))),
        fetched_at=draw(
            st.none() | st.sampled_from(["2026-01-06T00:00:00Z", "2026-01-07T12:30:00Z"])
        ),
    )
