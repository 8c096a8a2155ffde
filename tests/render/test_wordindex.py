"""The word index: each word's papers best first, in chunks a search reads only as far as
its ten best need, and the same ranking as reading every chunk."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.models import Paper
from generator.site.arranged import Archive, build_archive
from generator.site.classify import OTHER
from generator.site.render import wordindex
from generator.site.render.catalog import ordered
from generator.site.render.wordindex import (
    FIRST,
    GROWTH,
    index_files,
    postings,
    stem,
    terms,
    varints_of,
)
from tests.helpers import (
    AllOther,
    best_first_search,
    exhaustive_search,
    make_paper,
    read_varint,
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
        found, read = best_first_search(files, query)
        assert found == exhaustive_search(files, query), query
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
        assert best_first_search(files, query)[0] == exhaustive_search(files, query)


def test_a_word_no_paper_has_finds_nothing(fixture_archive: Archive) -> None:
    files = index_files(fixture_archive)
    assert word_chunks(files, "zzzqqq") is None
    assert best_first_search(files, "diffusion zzzqqq") == ([], 0)
    assert gzip.decompress(files["d/0.bin"])  # buckets are gzip the page inflates
