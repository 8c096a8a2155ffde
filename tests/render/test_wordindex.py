"""The word index: each word's papers best first, in chunks a search reads only as far as
its ten best need, and the same ranking as reading every chunk."""

from __future__ import annotations

import gzip
import json
import random
import shutil
import subprocess
from collections.abc import Mapping
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from bench.search_designs import read_varint
from generator.models import Paper
from generator.site.arranged import Archive, build_archive
from generator.site.classify import OTHER
from generator.site.render import wordindex
from generator.site.render.catalog import ordered
from generator.site.render.wordindex import (
    FIRST,
    GROWTH,
    NEWER,
    OLDER,
    index_files,
    postings,
    segment_files,
    segments,
    stem,
    terms,
    varints_of,
)
from tests.helpers import (
    AllOther,
    best_first_search,
    exhaustive_search,
    make_paper,
    word_chunks,
)


def archive_of(papers: list[Paper]) -> Archive:
    return build_archive(papers, [], {}, AllOther(), OTHER)


@pytest.mark.parametrize(
    ("word", "term"),
    [
        ("models", "model"),
        ("studies", "study"),
        ("glass", "glass"),
        ("corpus", "corpus"),
        ("agents", "agent"),
        ("is", "is"),
        ("process", "process"),
    ],
)
def test_plurals_fold_and_nothing_else(word: str, term: str) -> None:
    assert stem(word) == term


def test_a_query_is_cut_into_the_index_s_words() -> None:
    assert terms("The Diffusion Models of $\\alpha$-Agents, for Vidéos") == [
        "diffusion",
        "model",
        "agent",
        "video",
    ]


@given(st.lists(st.integers(min_value=0, max_value=(1 << 28) - 1), max_size=50))
def test_varints_read_back(values: list[int]) -> None:
    data, widths = varints_of(values)
    at, back = 0, []
    for width in widths:
        n, end = read_varint(data, at)
        assert end - at == width
        back.append(n)
        at = end
    assert back == values and at == len(data)


def test_every_word_lists_its_papers_best_first_in_growing_chunks(
    fixture_archive: Archive,
) -> None:
    files = index_files(fixture_archive)
    found = postings(ordered(fixture_archive))
    for i, term in enumerate(found.terms):
        chunks = word_chunks(files, term)
        assert chunks is not None, term
        numbers, impacts = found.of(i)
        expected = dict(zip(numbers.tolist(), impacts.tolist(), strict=True))
        read = {n: imp for _, _, pairs in chunks for n, imp in pairs}
        assert read == expected, term
        sizes = [size for size, _, _ in chunks]
        assert sizes == [len(pairs) for _, _, pairs in chunks]
        assert all(size == FIRST * GROWTH**k for k, size in enumerate(sizes[:-1])), term
        for k, (_, best, pairs) in enumerate(chunks):
            assert best == max(imp for _, imp in pairs)
            if k:  # no paper of a later chunk beats one of an earlier chunk
                assert best <= min(imp for _, imp in chunks[k - 1][2])


def test_the_index_is_deterministic_and_small_files(fixture_archive: Archive) -> None:
    files = index_files(fixture_archive)
    assert files == index_files(fixture_archive)
    for path, data in files.items():
        if path.endswith(".bin"):
            assert data[4:8] == b"\0\0\0\0"  # no time in the gzip header
            assert len(data) < 3 * wordindex.BUCKET_BYTES, path
    meta = json.loads(files["meta.json"])
    assert meta["papers"] == fixture_archive.total
    assert meta["buckets"] & (meta["buckets"] - 1) == 0  # a power of two
    assert sorted(meta["stopwords"]) == sorted(wordindex.STOPWORDS)


def _queries(files: Mapping[str, bytes], archive: Archive) -> list[str]:
    """Single words of every frequency, and pairs and triples of words papers share."""
    found = postings(ordered(archive))
    by_size = sorted(
        range(len(found.terms)), key=lambda i: -(found.starts[i + 1] - found.starts[i])
    )
    common = [found.terms[i] for i in by_size[:40]]
    rare = [found.terms[i] for i in by_size[-20:]]
    return [
        *common,
        *rare,
        *(f"{a} {b}" for a, b in pairwise(common)),
        *(f"{a} {b} {c}" for a, b, c in zip(common, common[3:], common[7:], strict=False)),
    ]


def test_reading_best_first_finds_what_reading_everything_finds(
    fixture_archive: Archive,
) -> None:
    files = index_files(fixture_archive)
    reads = []
    for query in _queries(files, fixture_archive):
        found, read = best_first_search([files], query)
        assert found == exhaustive_search([files], query), query
        reads.append(read)
    # Most queries stop at their words' first chunks (in the dictionary bucket).
    words_per_query = [len(set(terms(q))) for q in _queries(files, fixture_archive)]
    assert sum(r <= w for r, w in zip(reads, words_per_query, strict=True)) > len(reads) / 2


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["diffusion", "model", "agent", "video", "reward", "graph", "robot", "speech"]
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(min_value=1, max_value=300),
)
def test_any_archive_ranks_the_same_best_first(words: list[str], size: int) -> None:
    papers = [
        make_paper(f"2601.{i:05d}", abstract=" ".join(words[: 1 + i % len(words)] * (1 + i % 3)))
        for i in range(size)
    ]
    files = index_files(archive_of(papers))
    for query in [words[0], " ".join(words[:2]), " ".join(words[-3:])]:
        assert best_first_search([files], query)[0] == exhaustive_search([files], query)


def test_a_word_no_paper_has_finds_nothing(fixture_archive: Archive) -> None:
    files = index_files(fixture_archive)
    assert word_chunks(files, "zzzqqq") is None
    assert best_first_search([files], "diffusion zzzqqq") == ([], 0)
    assert gzip.decompress(files["d/0.bin"])  # buckets are gzip the page inflates


WORDS_JS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "almanac" / "words.js"
# Runs queries through words.js in node, over HTTP as the search page does (fetch, then
# DecompressionStream): argv[1] is the segments' addresses, argv[2] the queries, argv[3]
# how many results, all JSON.
DRIVER = """
const [bases, queries, k] = process.argv.slice(1, 4).map((a) => JSON.parse(a));
const index = new AlmanacWords.Index(bases.map((base) => AlmanacWords.fetcher(base)));
(async () => {
  const [out, totals] = [[], []];
  for (const q of queries) {
    const found = await index.search(q, k);
    out.push(found.numbers);
    totals.push(found.total);
  }
  const cut = queries.map((q) => AlmanacWords.terms(q, index.stopwords));
  console.log(JSON.stringify({ found: out, terms: cut, totals: totals }));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def serve_index(httpserver: HTTPServer, segments: list[Mapping[str, bytes]]) -> list[str]:
    """The segments served over HTTP; their addresses."""
    bases = []
    for n, files in enumerate(segments):
        for path, data in files.items():
            kind = "application/json" if path.endswith(".json") else "application/octet-stream"
            url = f"/words-{n}/{path}"
            httpserver.expect_request(url).respond_with_data(data, content_type=kind)
        bases.append(httpserver.url_for(f"/words-{n}/"))
    return bases


def run_words_js(
    bases: list[str], queries: list[str], k: int = 10
) -> dict[str, list[list[object]]]:
    script = WORDS_JS.read_text(encoding="utf-8") + DRIVER
    out = subprocess.run(
        ["node", "-e", script, json.dumps(bases), json.dumps(queries), str(k)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout)


VOCABULARY = (
    "diffusion",
    "model",
    "agent",
    "video",
    "reward",
    "graph",
    "robot",
    "speech",
    "policy",
    "benchmark",
    "dataset",
    "token",
    "attention",
    "transformer",
    "language",
    "vision",
    "retrieval",
    "reasoning",
    "memory",
    "planning",
    "segmentation",
    "detection",
    "tracking",
    "generation",
    "editing",
    "alignment",
    "preference",
    "feedback",
    "studies",
    "bodies",
    "queries",
    "boxes",
    "glasses",
    "classes",
    "analyses",
    "species",
    "series",
    "corpus",
)


def crowded_archive(size: int = 2000, seed: int = 7, days: int = 1) -> Archive:
    """Papers whose few words recur with Zipf's frequencies: every word's list runs over
    several chunks, so a search must decide when to read on. Spread over `days` days
    that end on 31 July 2026."""
    draw = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(VOCABULARY))]

    def text(low: int, high: int) -> str:
        return " ".join(draw.choices(VOCABULARY, weights, k=draw.randint(low, high)))

    last = date(2026, 7, 31)
    papers = [
        make_paper(
            f"2601.{i:05d}",
            title=text(3, 8),
            abstract=text(20, 90),
            day=last - timedelta(days=i % days),
        )
        for i in range(size)
    ]
    return archive_of(papers)


def crowded_queries() -> list[str]:
    draw = random.Random(11)
    pairs = [" ".join(draw.sample(VOCABULARY, 2)) for _ in range(40)]
    triples = [" ".join(draw.sample(VOCABULARY, 3)) for _ in range(30)]
    return [*VOCABULARY, *pairs, *triples]


def test_reading_best_first_stops_early_and_finds_what_reading_everything_finds() -> None:
    files = index_files(crowded_archive())
    reads = 0
    for query in crowded_queries():
        found, read = best_first_search([files], query)
        assert found == exhaustive_search([files], query), query
        reads += read
    chunks = sum(len(word_chunks(files, t) or []) for t in {stem(w) for w in VOCABULARY})
    assert reads < chunks * len(crowded_queries()) / 4  # far from reading everything


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run words.js")
def test_the_search_page_finds_what_the_index_ranks_best(
    fixture_archive: Archive, httpserver: HTTPServer
) -> None:
    samples = [
        "Gaussian Splatting",
        "the of and",  # stopwords only: nothing to look for
        "diffusion zzzqqq",  # a word no paper has
        "Naïve Vidéos $\\alpha$-Agents: Studies of bodies, glasses and boxes (2 species)",
    ]
    for archive, queries in [
        (fixture_archive, [*_queries(index_files(fixture_archive), fixture_archive), *samples]),
        (crowded_archive(), crowded_queries()),
    ]:
        files = index_files(archive)
        base = serve_index(httpserver, [files])
        found = run_words_js(base, queries)
        assert found["found"] == [exhaustive_search([files], q) for q in queries]
        assert found["terms"] == [list(dict.fromkeys(terms(q))) for q in queries]
        more = run_words_js(base, queries[:8], k=25)
        assert more["found"] == [exhaustive_search([files], q, 25) for q in queries[:8]]
        httpserver.clear()


def segment_sets(archive: Archive) -> list[dict[str, bytes]]:
    """The archive's segments as the build makes them: the newer scored with the
    older's statistics."""
    entries = ordered(archive)
    parts = segments(archive)
    out, before = [], None
    for (_, first), (_, end) in zip(parts, [*parts[1:], ("", len(entries))], strict=True):
        files, before = segment_files(entries[first:end], first, before)
        out.append(files)
    return out


def test_an_archive_of_many_months_is_two_segments_searched_as_one(
    httpserver: HTTPServer,
) -> None:
    archive = crowded_archive(days=200)
    parts = segments(archive)
    assert [name for name, _ in parts] == [OLDER, NEWER]
    newest = [e for d in archive.days if (d.year, d.month) >= (2026, 6) for e in archive.by_day[d]]
    assert parts[1][1] == archive.total - len(newest)  # the last two months
    sets = segment_sets(archive)
    assert json.loads(sets[1]["meta.json"])["first"] == parts[1][1]
    queries = crowded_queries()
    for query in queries:
        found, _ = best_first_search(sets, query)
        assert found == exhaustive_search(sets, query), query
    if shutil.which("node") is not None:
        ran = run_words_js(serve_index(httpserver, sets), queries)
        assert ran["found"] == [exhaustive_search(sets, q) for q in queries]
        # How many papers have every word, where it is known: always for one word.
        for query, total in zip(queries, ran["totals"], strict=True):
            if total is not None or len(set(terms(query))) == 1:
                assert total == len(exhaustive_search(sets, query, 10**6)), query
