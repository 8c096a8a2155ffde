from __future__ import annotations

from datetime import date

import orjson
import pytest
from helpers import make_paper
from hypothesis import given
from hypothesis import strategies as st
from strategies import papers

from generator.errors import RecordError
from generator.models import Links, Paper, arxiv_id, normalise_title, record_problems, title_id


@pytest.mark.parametrize(
    "bad_id", ["../etc", "a/b", "a b", "", ".hidden", "x\x00y", "tab\there", "é" * 3, "a" * 65]
)
def test_ids_that_are_not_plain_are_rejected(bad_id: str) -> None:
    with pytest.raises(RecordError) as info:
        make_paper(bad_id)
    assert info.value.field == "id"


def test_title_ids_are_stable_and_fold_case_width_and_space() -> None:
    assert title_id("Attention Is All You Need") == title_id("  attention  is all\nyou NEED ")
    assert title_id("Ｆｏｏ bar") == title_id("foo bar")  # full-width letters fold
    assert title_id("A") != title_id("B")
    assert normalise_title("Ünïcode  Title") == "ünïcode title"
    make_paper(title_id("Any title at all"))  # a title id is itself a valid id


def test_arxiv_id_drops_the_version_and_reads_urls() -> None:
    assert arxiv_id("2512.24617v3") == "2512.24617"
    assert arxiv_id("https://arxiv.org/abs/2401.00001v2") == "2401.00001"
    assert arxiv_id("no id here") is None


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("hep-th/0601001", "hep-th/0601001"),
        ("hep-th/0601001v3", "hep-th/0601001"),
        ("math.GT/0309136v1", "math.GT/0309136"),
        ("cond-mat/9901001", "cond-mat/9901001"),
    ],
)
def test_old_style_arxiv_ids_are_ids_without_their_version(given: str, kept: str) -> None:
    paper = make_paper(given, links=Links.for_arxiv(kept))
    assert paper.id == kept and paper.is_arxiv
    assert arxiv_id(f"https://arxiv.org/abs/{given}") == kept
    assert paper.links.arxiv == f"https://arxiv.org/abs/{kept}"
    assert paper.links.hf is None  # Hugging Face has no pages for old-style ids


@pytest.mark.parametrize(
    "bad_id", ["hep-th/060100", "HEP-TH/0601001", "hep-th/0601001/x", "/0601001"]
)
def test_a_slash_is_only_for_old_style_arxiv_ids(bad_id: str) -> None:
    with pytest.raises(RecordError):
        make_paper(bad_id)


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("code", "javascript:alert(1)"),
        ("project", "ftp://example.org/x"),
        ("arxiv", "https://evil.example/abs/2401.00001"),
        ("hf", "https://huggingface.co.evil.example/papers/1"),
        ("code", "https://github.com/a b"),
    ],
)
def test_links_must_be_http_to_the_site_they_claim(kind: str, url: str) -> None:
    with pytest.raises(RecordError) as info:
        Links(**{kind: url})
    assert info.value.field == f"links.{kind}"


def test_error_names_the_paper_and_the_field() -> None:
    with pytest.raises(RecordError) as info:
        make_paper("2601.00002", upvotes=-1)
    assert (
        str(info.value)
        == "<input>: paper 2601.00002: field upvotes: must be a whole number >= 0: -1"
    )


def test_mapping_round_trip_keeps_every_field() -> None:
    paper = make_paper(
        "2601.00003",
        authors=("Ada", "Grace"),
        published=date(2025, 12, 31),
        upvotes=5,
        comments=0,
        github_stars=12,
        ai_keywords=("diffusion", "video"),
        categories=("cs.CV", "cs.LG"),
        fetched_at="2026-01-06T10:00:00Z",
    )
    mapping = paper.to_mapping()
    assert "author_count" not in mapping  # derived from the names
    assert mapping["comments"] == 0  # zero is a value, not a missing one
    assert Paper.from_mapping(mapping) == paper


@given(papers())
def test_a_paper_read_back_from_the_build_folder_is_the_paper_parsed(paper: Paper) -> None:
    mapping = paper.to_mapping()
    parsed, kept = Paper.from_mapping(mapping), Paper.from_memo(mapping)
    assert kept == parsed
    # Page keys digest a paper's JSON (render/jobs.py): the same paper, the same bytes.
    assert orjson.dumps(kept) == orjson.dumps(parsed)


def test_a_paper_read_back_from_the_build_folder_still_has_its_links_checked() -> None:
    mapping = make_paper("2601.00003", authors=("Ada",)).to_mapping()
    assert Paper.from_memo(mapping).author_count == 1
    with pytest.raises(RecordError, match="not an http"):
        Paper.from_memo({**mapping, "links": {"arxiv": "javascript:alert(1)"}})
    for wrong in ({**mapping, "authors": "Ada"}, {**mapping, "day": 20260101}):
        with pytest.raises(TypeError):
            Paper.from_memo(wrong)
    for not_stored in ({**mapping, "upvote": 3}, {"id": "x1", "day": "2026-01-01"}):
        with pytest.raises(KeyError):
            Paper.from_memo(not_stored)


def _pick(*parts: str) -> st.SearchStrategy[str]:
    return st.sampled_from(parts)


# Links put together from the parts where a host check goes wrong: schemes, users, hosts
# that only end like an allowed one, ports, and whitespace or control characters.
_URLS = st.tuples(
    _pick("https://", "http://", "HTTPS://", "javascript:", "//", "ftp://"),
    _pick("", "", "user@", "a:b@"),
    _pick(
        "arxiv.org",
        "ARXIV.org",
        "export.arxiv.org",
        "evilarxiv.org",
        "arxiv.org.evil.com",
        "huggingface.co",
        "github.com",
        "example.org",
        "a..arxiv.org",
        "",
        "-.github.com",
    ),
    _pick("", "", ":8080", ":"),
    _pick("", "/abs/2601.00001", "?q=1", "#x", "/a b", "/a\tb", "/\x00", "/\u00a0", "/%20"),
).map("".join)


@given(st.sampled_from(["arxiv", "pdf", "hf", "code", "project", "thumbnail"]), _URLS)
def test_a_stored_link_is_taken_exactly_when_checking_it_anew_would(kind: str, url: str) -> None:
    """Links.from_mapping checks a plain link with one pattern: it must take what the
    whole check takes, and nothing else (the same Links, or the same error)."""
    try:
        checked: Links | Exception = Links(**{kind: url})  # type: ignore[arg-type]
    except (RecordError, TypeError) as exc:
        checked = exc
    try:
        kept: Links | Exception = Links.from_mapping({kind: url})
    except (RecordError, TypeError) as exc:
        kept = exc
    if isinstance(checked, Exception):
        assert type(kept) is type(checked) and str(kept) == str(checked)
    else:
        assert kept == checked
        assert orjson.dumps(kept) == orjson.dumps(checked)


def test_from_mapping_rejects_unknown_and_missing_fields() -> None:
    with pytest.raises(RecordError, match="unknown field") as info:
        Paper.from_mapping({"id": "x1", "title": "T", "day": "2026-01-01", "upvote": 3})
    assert info.value.field == "upvote"
    with pytest.raises(RecordError, match="is missing") as info:
        Paper.from_mapping({"id": "x1", "day": "2026-01-01"})
    assert info.value.field == "title"
    with pytest.raises(RecordError) as info:
        Paper.from_mapping({"id": "x1", "title": "T", "day": "yesterday"})
    assert info.value.field == "day"


def test_text_with_unpaired_surrogates_is_rejected() -> None:
    with pytest.raises(RecordError) as info:
        make_paper(abstract="bad \ud800 text")
    assert info.value.field == "abstract"


def test_record_problems_names_every_bad_field_once() -> None:
    record = {
        "id": "2601.00001",
        "title": "T",
        "day": "2026-01-06",
        "upvotes": -4,
        "comments": "many",
        "authors": "A. Author",
        "links": {"code": "https://gitlab.com/x", "hf": "javascript:alert(1)"},
        "upvote": 3,
    }
    with pytest.raises(RecordError):
        Paper.from_mapping(record)
    problems = record_problems(record)
    assert {p.paper_id for p in problems} == {"2601.00001"}
    assert sorted(str(p.field) for p in problems) == [
        "authors",
        "comments",
        "links.code",
        "links.hf",
        "upvote",
        "upvotes",
    ]


def test_record_problems_reports_missing_fields_and_a_bad_id_each() -> None:
    problems = record_problems({"id": "a/b", "published": "soon"})
    assert sorted((p.field or "") for p in problems) == ["day", "id", "published", "title"]
    (not_a_record,) = record_problems([1, 2])
    assert str(not_a_record) == "<input>: a paper must be a mapping of fields"


def test_a_good_record_has_no_problems() -> None:
    paper = make_paper("2601.00001v2", upvotes=3, aliases=("t-0123456789ab",))
    assert record_problems(paper.to_mapping()) == []
    # The version is not part of the id, so an alias equal to the id without it is refused.
    twice = {**paper.to_mapping(), "id": "2601.00001v2", "aliases": ["2601.00001"]}
    assert [p.field for p in record_problems(twice)] == ["aliases"]


def test_a_bad_link_names_its_paper() -> None:
    with pytest.raises(RecordError) as caught:
        Paper.from_mapping(
            {"id": "x1", "title": "T", "day": "2026-01-06", "links": {"code": "ftp://x"}}
        )
    assert (caught.value.paper_id, caught.value.field) == ("x1", "links.code")


def test_a_thumbnail_that_is_not_text_is_a_record_error() -> None:
    record = {"id": "x1", "title": "T", "day": "2026-01-06", "thumbnail": 3}
    with pytest.raises(RecordError) as caught:
        Paper.from_mapping(record)
    assert (caught.value.field, caught.value.message) == ("thumbnail", "must be a string URL")
    assert [p.field for p in record_problems(record)] == ["thumbnail"]


def test_a_records_sources_read_from_the_older_single_source_field() -> None:
    old = {"id": "2601.00001", "title": "T", "day": "2026-01-06", "source": "hf-daily"}
    paper = Paper.from_mapping(old)
    assert paper.sources == ("hf-daily",)
    assert "source" not in paper.to_mapping() and paper.to_mapping()["sources"] == ["hf-daily"]
    both = Paper.from_mapping({**old, "sources": ["arxiv"]})
    assert both.sources == ("arxiv", "hf-daily")


@pytest.mark.parametrize(
    ("sources", "message"),
    [(["hf-daily", "hf-daily"], "each source once"), (["rss"], "must be a list of arxiv")],
)
def test_sources_are_known_names_listed_once(sources: list[str], message: str) -> None:
    record = {"id": "2601.00001", "title": "T", "day": "2026-01-06", "sources": sources}
    with pytest.raises(RecordError, match=message) as info:
        Paper.from_mapping(record)
    assert info.value.field == "sources"
    assert [p.field for p in record_problems(record)] == ["sources"]
