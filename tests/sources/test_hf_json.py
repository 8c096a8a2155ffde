from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.archive.sources import hf_json
from generator.archive.sources.base import ParseResult
from generator.errors import SourceError
from generator.models import Links, Paper

from .conftest import FIXTURES, SHARED

CAPTURES = sorted((SHARED / "hf-daily").glob("*.json"))
FETCHED = "2026-01-07T06:00:00Z"


def record(**paper: Any) -> dict[str, Any]:
    """A record in today's shape, with `paper` fields overridable."""
    base: dict[str, Any] = {
        "id": "2601.01739",
        "title": "K-EXAONE Technical Report",
        "authors": [
            {"_id": "a1", "name": "Eunbi Choi", "hidden": False},
            {"_id": "a2", "name": "Kibong Choi", "hidden": True},
            {
                "_id": "a3",
                "name": "Soyoung An",
                "user": {"_id": "u3", "user": "soyoung-an", "fullname": "Soyoung"},
                "status": "claimed_verified",
            },
        ],
        "publishedAt": "2026-01-05T02:30:59.000Z",
        "submittedOnDailyAt": "2026-01-06T01:03:14.011Z",
        "submittedOnDailyBy": {"_id": "u", "user": "taesiri", "fullname": "Tae Siri"},
        "summary": "This technical report presents K-EXAONE.",
        "upvotes": 34,
        "githubRepo": "https://github.com/LG-AI-EXAONE/K-EXAONE",
        "githubStars": 31,
        "projectPage": "https://example.org/k-exaone",
        "ai_summary": "K-EXAONE is a multilingual model.",
        "ai_keywords": ["Mixture-of-Experts", "multilingual language model"],
        "ai_summary_model": "Qwen/Qwen3-235B-A22B",
        "organization": {"_id": "o", "name": "LGAI-EXAONE", "fullname": "LG AI Research"},
        "mediaUrls": [
            "https://cdn-uploads.huggingface.co/production/uploads/u/fig.png",
            "https://cdn-uploads.huggingface.co/production/uploads/u/demo.mp4",
        ],
    }
    base.update(paper)
    return {
        "paper": {k: v for k, v in base.items() if v is not ...},
        "publishedAt": "2026-01-04T21:30:59.000Z",
        "title": base["title"],
        "summary": "This technical report presents K-EXAONE.",
        "thumbnail": "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2601.01739.png",
        "numComments": 3,
        "submittedBy": {"_id": "u", "name": "taesiri", "fullname": "Tae Siri"},
        "organization": {"_id": "o", "name": "LGAI-EXAONE", "fullname": "LG AI Research"},
        "isAuthorParticipating": True,
    }


def only(result: ParseResult) -> Paper:
    assert len(result.papers) == 1, result.problems
    return result.papers[0]


@pytest.mark.skipif(not CAPTURES, reason="no HF captures in ../shared/hf-daily")
@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_real_captures_parse_completely(path: Path) -> None:
    expected = json.loads(path.read_bytes())
    result = hf_json.parse_file(path)
    assert [str(p) for p in result.problems] == []
    assert len(result.papers) == len(expected)
    assert [p.id for p in result.papers] == [r["paper"]["id"] for r in expected]
    assert {p.day for p in result.papers} <= {hf_json.file_day(path)}
    for paper in result.papers:
        assert Paper.from_mapping(paper.to_mapping()) == paper
        assert paper.authors and paper.abstract and paper.published and paper.upvotes is not None


def test_every_field_is_mapped() -> None:
    paper = only(hf_json.parse([record()], "test", fetched_at=FETCHED))
    assert paper == Paper(
        id="2601.01739",
        title="K-EXAONE Technical Report",
        day=date(2026, 1, 6),
        abstract="This technical report presents K-EXAONE.",
        authors=("Eunbi Choi", "Kibong Choi", "Soyoung An"),  # hidden: the account, not the author
        author_handles=(("Soyoung An", "soyoung-an"),),
        published=date(2026, 1, 5),
        upvotes=34,
        comments=3,
        links=Links.for_arxiv(
            "2601.01739",
            code="https://github.com/LG-AI-EXAONE/K-EXAONE",
            project="https://example.org/k-exaone",
        ),
        github_stars=31,
        organization="LG AI Research",
        organization_handle="LGAI-EXAONE",
        ai_summary="K-EXAONE is a multilingual model.",
        ai_summary_model="Qwen/Qwen3-235B-A22B",
        ai_keywords=("Mixture-of-Experts", "multilingual language model"),
        thumbnail="https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2601.01739.png",
        media_urls=(
            "https://cdn-uploads.huggingface.co/production/uploads/u/fig.png",
            "https://cdn-uploads.huggingface.co/production/uploads/u/demo.mp4",
        ),
        submitted_by="taesiri",
        submitted_by_name="Tae Siri",
        authors_participating=True,
        sources=("hf-daily",),
        fetched_at=FETCHED,
    )


def test_drifted_records_keep_the_paper_and_name_the_field() -> None:
    result = hf_json.parse_file(FIXTURES / "hf_drifted.json")
    by_id = {p.id: p for p in result.papers}
    assert list(by_id) == ["2601.00001", "2601.00002", "2601.00003", "2601.00004"]
    assert by_id["2601.00002"].title == "Nulls everywhere and a versioned id"
    bad = by_id["2601.00003"]
    assert bad.authors == ("Ada Lovelace", "Grace Hopper")
    assert bad.author_count == 5  # the nameless ones still count
    assert bad.ai_keywords == ("ok keyword",)
    assert bad.links == Links.for_arxiv("2601.00003")
    assert (bad.abstract, bad.upvotes, bad.comments, bad.github_stars) == (None,) * 4
    assert by_id["2601.00004"].abstract == "Fields straight on the record."
    assert by_id["2601.00004"].comments == 1
    dropped = {p.field for p in result.problems if p.paper_id == "2601.00003"}
    assert dropped == {
        "abstract", "published", "upvotes", "comments", "github_stars", "organization",
        "ai_summary", "ai_keywords", "thumbnail", "submitted_by", "authors",
        "links.code", "links.project",
    }  # fmt: skip
    skipped = [p for p in result.problems if "record skipped" in p.message]
    assert [(p.paper_id, p.field) for p in skipped] == [
        (None, "id"),
        ("2601.00006", "title"),
        (None, "id"),
    ]
    assert all(p.path == str(FIXTURES / "hf_drifted.json") for p in result.problems)


def test_no_problems_for_absent_optional_fields() -> None:
    minimal = {"paper": {"id": "2601.00001", "title": "T", "submittedOnDailyAt": "2026-01-06"}}
    result = hf_json.parse([minimal], "test")
    assert result.problems == []
    assert only(result).links == Links.for_arxiv("2601.00001")


@pytest.mark.parametrize(
    ("field", "value", "problem_field"),
    [
        ("githubRepo", "javascript:alert(1)", "links.code"),
        ("githubRepo", "https://gitlab.com/a/b", "links.code"),
        ("projectPage", 12, "links.project"),
        ("upvotes", -1, "upvotes"),
        ("upvotes", True, "upvotes"),
        ("githubStars", 3.0, "github_stars"),
        ("ai_keywords", "one string", "ai_keywords"),
        ("publishedAt", "2026-13-45T00:00:00Z", "published"),
        ("organization", {"avatar": "x"}, "organization"),
        ("summary", "x" * 100_001, "abstract"),
        ("mediaUrls", ["https://evil.example/x.png"], "media_urls"),
        ("mediaUrls", "https://cdn-uploads.huggingface.co/a.png", "media_urls"),
        ("organization", {"name": "no spaces allowed", "fullname": "Org"}, "organization_handle"),
        ("isAuthorParticipating", "yes", "authors_participating"),
        ("ai_summary_model", 3, "ai_summary_model"),
    ],
)
def test_a_bad_optional_field_is_dropped_and_reported(
    field: str, value: object, problem_field: str
) -> None:
    result = hf_json.parse([record(**{field: value})], "test")
    paper = only(result)
    assert [p.field for p in result.problems] == [problem_field]
    assert result.problems[0].paper_id == "2601.01739"
    assert paper.title == "K-EXAONE Technical Report"


# Shapes of four real records (2024-2026): a project page pasted with a leading space,
# code links broken across lines.
@pytest.mark.parametrize(
    ("key", "value", "kind", "url"),
    [
        (
            "projectPage",
            " https://sites.google.com/view/x",
            "project",
            "https://sites.google.com/view/x",
        ),
        (
            "githubRepo",
            "https://github.com/sirano1004/\nMargin-X",
            "code",
            "https://github.com/sirano1004/Margin-X",
        ),
        ("githubRepo", "https://github.com/a/b\n", "code", "https://github.com/a/b"),
    ],
)
def test_whitespace_in_a_url_is_taken_out_with_a_warning(
    key: str, value: str, kind: str, url: str
) -> None:
    result = hf_json.parse([record(**{key: value})], "test")
    assert getattr(only(result).links, kind) == url
    assert result.problems == []
    [repair] = result.repairs
    assert (repair.paper_id, repair.field) == ("2601.01739", f"links.{kind}")
    assert "whitespace" in repair.message and repr(url) in repair.message


def test_old_captures_name_the_thumbnail_media_url() -> None:
    old = record()
    url = old.pop("thumbnail")
    old["mediaUrl"] = url
    result = hf_json.parse([old], "test")
    assert only(result).thumbnail == url and result.problems == []


def test_overlong_names_and_keywords_are_dropped_for_being_too_long() -> None:
    long = "x" * (hf_json.MAX_KEYWORD + 1)
    authors = [{"name": "Ada Lovelace"}, {"name": long}, {"avatar": "no name"}]
    result = hf_json.parse([record(authors=authors, ai_keywords=["fine", long, 7])], "test")
    paper = only(result)
    assert (paper.authors, paper.ai_keywords) == (("Ada Lovelace",), ("fine",))
    messages = sorted(f"{p.field}: {p.message}" for p in result.problems)
    assert messages == [
        "ai_keywords: 1 of 3 keywords are not text; dropped those",
        "ai_keywords: 1 of 3 keywords are over 1000 characters; dropped those",
        "authors: 1 of 3 author names are over 1000 characters",
        "authors: 1 of 3 authors have no name",
    ]


def test_day_falls_back_to_the_given_day_then_to_published() -> None:
    no_day = record(submittedOnDailyAt=...)
    assert only(hf_json.parse([no_day], "t", day=date(2026, 1, 9))).day == date(2026, 1, 9)
    result = hf_json.parse([no_day], "t")
    assert only(result).day == date(2026, 1, 4)  # the top-level publishedAt
    assert [p.field for p in result.problems] == ["day"]


def test_bad_submitted_on_daily_at_uses_the_given_day_and_says_so() -> None:
    result = hf_json.parse([record(submittedOnDailyAt="soon")], "t", day=date(2026, 1, 9))
    assert only(result).day == date(2026, 1, 9)
    assert [p.field for p in result.problems] == ["day"]


def test_file_day_comes_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "2025-09-02.json"
    path.write_text(json.dumps([record(submittedOnDailyAt=...)]))
    assert only(hf_json.parse_file(path)).day == date(2025, 9, 2)
    assert hf_json.file_day(tmp_path / "latest.json") is None
    assert hf_json.file_day(tmp_path / "2025-02-30.json") is None


def test_a_paper_listed_twice_is_kept_once() -> None:
    result = hf_json.parse([record(), record(upvotes=99)], "t")
    assert only(result).upvotes == 34
    assert "listed twice" in result.problems[0].message


def test_an_empty_list_is_an_empty_day() -> None:
    result = hf_json.parse([], "t")
    assert (result.papers, result.problems) == ([], [])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"papers": [{"paper": {}}]}, "got an object (keys: papers)"),
        (["2601.00001", "2601.00002"], "item 0 is a string"),
        ([record(), None], "item 1 is null"),
        ("<html>", "got a string"),
        (12, "got a number"),
        (None, "got null"),
    ],
)
def test_wrong_shapes_are_rejected_whole(data: object, reason: str) -> None:
    with pytest.raises(SourceError, match=re.escape(reason)):
        hf_json.parse(data, "t")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"<!doctype html><html><body>Bad gateway</body></html>", "not valid JSON"),
        (b'[{"paper": {"id": "2601.00001", "title": "Cut', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not"),
        (b"[" * 100_000, "not"),
    ],
)
def test_unusable_files_are_rejected_whole(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "2026-01-06.json"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=reason) as caught:
        hf_json.parse_file(path)
    assert caught.value.origin == str(path)


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        hf_json.parse_file(tmp_path / "2026-01-06.json")


def test_bad_fetched_at_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="fetched_at"):
        hf_json.parse([], "t", fetched_at="yesterday")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
FIELD_NAMES = [
    "id", "title", "authors", "publishedAt", "submittedOnDailyAt", "submittedOnDailyBy",
    "summary", "upvotes", "githubRepo", "githubStars", "projectPage", "ai_summary",
    "ai_keywords", "organization", "numComments", "thumbnail", "submittedBy", "name",
    "user", "fullname",
]  # fmt: skip
PLAUSIBLE = (
    st.sampled_from(["2601.00001", "2601.00002v2", "2025-09-01T00:00:00.000Z", "https://x.org"])
    | st.sampled_from(["javascript:x", "", " ", "2026-01-06", "Title", -1, 0, 7, True])
    | JSON
)
VALUE = st.recursive(
    PLAUSIBLE,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=3)
    ),
    max_leaves=4,
)
FIELDS = dict.fromkeys(FIELD_NAMES, VALUE)
OPTIONAL = {k: v for k, v in FIELDS.items() if k not in ("id", "title")}
USABLE_PAPER = st.fixed_dictionaries(  # gets past id and title, so every field is tried
    {
        "id": st.sampled_from(["2601.00001", "2601.00002v2", "2601.00003"]),
        "title": st.text(min_size=1, max_size=12),
    },
    optional=OPTIONAL,
)
RECORDS = st.lists(
    st.fixed_dictionaries({"paper": USABLE_PAPER}, optional=FIELDS)
    | st.dictionaries(st.sampled_from([*FIELD_NAMES, "paper"]), VALUE, max_size=6),
    max_size=4,
)


def check_never_raises_but_source_error(data: object) -> None:
    try:
        result = hf_json.parse(data, "prop", day=date(2026, 1, 6))
    except SourceError:
        return
    for paper in result.papers:
        assert Paper.from_mapping(paper.to_mapping()) == paper
    assert len({p.id for p in result.papers}) == len(result.papers)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_arbitrary_json_only_ever_raises_source_error(data: object) -> None:
    check_never_raises_but_source_error(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RECORDS)
def test_record_like_json_only_ever_raises_source_error(data: object) -> None:
    check_never_raises_but_source_error(data)


def _as_repr_capture(records: list[dict[str, Any]]) -> bytes:
    """As a month of captures in the wild was saved: each record its Python repr."""
    return json.dumps([repr(r) for r in records]).encode()


def test_repr_captures_are_refused_without_repair_and_read_with_it(tmp_path: Path) -> None:
    path = tmp_path / "2026-01-06.json"
    records = [record(), record(id="2601.01740", title="Another")]
    path.write_bytes(_as_repr_capture(records))
    with pytest.raises(SourceError, match=r"Python repr text\? `almanac import --repair`"):
        hf_json.parse_file(path)
    repaired = hf_json.parse_file(path, repair=True)
    assert repaired.papers == hf_json.parse(records, str(path), day=date(2026, 1, 6)).papers
    assert repaired.problems == []
    assert [r.message for r in repaired.repairs] == ["read as Python literals (--repair)"]
    # A whole file that is one Python literal too.
    path.write_text(repr(records))
    assert hf_json.parse_file(path, repair=True).papers == repaired.papers


def test_repair_reads_a_plain_json_capture_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "2026-01-06.json"
    path.write_text(json.dumps([record()]))
    result = hf_json.parse_file(path, repair=True)
    assert len(result.papers) == 1 and result.repairs == []


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ("__import__('os').system('touch pwned')", "not a Python literal"),
        ("{'paper': open('/etc/passwd').read()}", "not a Python literal"),
        ("(lambda: 1)()", "not a Python literal"),
        ("{'paper': {1, 2}}", "holds set"),
        ("{'paper': b'bytes'}", "holds bytes"),
        ("{'paper': 1j}", "holds complex"),
        ("[" * 200 + "]" * 200, "nested too deeply|not a Python literal"),
    ],
)
def test_repair_builds_literals_only(tmp_path: Path, item: str, reason: str) -> None:
    path = tmp_path / "2026-01-06.json"
    path.write_text(json.dumps([item]))
    with pytest.raises(SourceError, match=reason):
        hf_json.parse_file(path, repair=True)
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
