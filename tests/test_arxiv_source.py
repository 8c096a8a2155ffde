"""arXiv as a source, end to end: saved responses imported, feeds fetched from the local
fake API (tools/fake_hf_api.py), one record per paper with Hugging Face, sources.yaml."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path

import pytest
from helpers import QUIET, fast_client, tree_bytes

from generator.archive import commands as pipeline
from generator.archive import fetch as fetching
from generator.archive import store
from generator.cli import main
from generator.errors import RecordError
from generator.project import Project
from tools.fake_hf_api import DEFAULT_ARXIV, DEFAULT_DAYS, FakeHFApi

LISTING = DEFAULT_ARXIV / "2026-01-05.atom"
WEEK = [date(2026, 1, d) for d in range(5, 10)]
FEEDS = """\
huggingface: false
arxiv:
  - name: language
    categories: [cs.CL, cs.LG]
  - name: splatting
    query: 'abs:"gaussian splatting"'
"""


def follow(project: Project, text: str) -> None:
    project.sources_file.write_text(text, encoding="utf-8")


def fetch(
    project: Project, api: FakeHFApi, days: list[date], **options: object
) -> pipeline.RunReport:
    return fetching.fetch_days(
        project,
        days,
        QUIET,
        client=fast_client(retries=1),
        arxiv_client=fast_client(retries=1),
        base_url=api.url,
        arxiv_url=api.url,
        **options,  # type: ignore[arg-type]
    )


# --- import ----------------------------------------------------------------------------------


def test_import_of_saved_responses_fills_every_field_and_again_changes_nothing(
    project: Project,
) -> None:
    report = pipeline.import_inputs(project, [DEFAULT_ARXIV], QUIET)
    # The error response beside them is refused; the others are read.
    assert report.failed_inputs == [str(DEFAULT_ARXIV / "error.atom")]
    assert report.added == 10 and not report.problems
    papers = {p.id: p for p in store.read_archive(project).papers}
    paper = papers["2601.03112"]
    assert paper.day == date(2026, 1, 6) and paper.sources == ("arxiv",)
    assert paper.arxiv_version == 2 and paper.updated == date(2026, 1, 10)
    assert paper.categories == ("cs.CL", "cs.LG") and paper.primary_category == "cs.CL"
    assert "math.GT/0309136" in papers and "hep-th/0601001" in papers
    stored = store.day_path(project, date(2026, 1, 6)).read_text(encoding="utf-8")
    for field in ("arxiv_version: 2", "updated: '2026-01-10'", "- arxiv", "primary_category"):
        assert field in stored
    before = tree_bytes(project.root)
    again = pipeline.import_inputs(project, [LISTING, DEFAULT_ARXIV / "old-style.atom"], QUIET)
    assert (again.added, again.updated, again.files_written) == (0, 0, 0)
    assert tree_bytes(project.root) == before


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            (DEFAULT_ARXIV / "error.atom").read_text(encoding="utf-8"),
            "arXiv answered with an error",
        ),
        ("<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>", "malformed XML"),
        ("<html>Service Unavailable</html>", "not an Atom feed"),
    ],
)
def test_an_error_or_malformed_response_is_refused_in_one_line_and_data_untouched(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, said: str
) -> None:
    pipeline.import_inputs(project, [LISTING], QUIET)
    before = tree_bytes(project.root)
    bad = tmp_path / "bad.atom"
    bad.write_text(body, encoding="utf-8")
    assert main(["-C", str(project.root), "import", str(bad)]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error")]
    assert len(err) == 1 and str(bad) in err[0] and said in err[0]
    assert tree_bytes(project.root) == before


# --- one record per paper --------------------------------------------------------------------


def test_the_same_paper_from_both_sources_is_one_record_with_the_fields_of_both(
    project: Project,
) -> None:
    hf = pipeline.import_inputs(project, [DEFAULT_DAYS / "2026-02-03.json"], QUIET)
    assert hf.ok
    pipeline.import_inputs(project, [LISTING], QUIET)
    papers = [p for p in store.read_archive(project).papers if p.id == "2601.03112"]
    assert len(papers) == 1
    (paper,) = papers
    assert paper.sources == ("arxiv", "hf-daily")
    # First listed by arXiv, featured by Hugging Face later: its permalink is on its first
    # day and its card on both.
    assert (paper.day, paper.featured_again) == (date(2026, 1, 6), (date(2026, 2, 3),))
    assert paper.upvotes == 41 and paper.ai_summary and paper.links.code  # from HF
    assert paper.links.hf == "https://huggingface.co/papers/2601.03112"
    assert paper.arxiv_version == 2 and paper.categories == ("cs.CL", "cs.LG")  # from arXiv
    assert paper.arxiv_comment == "14 pages, 5 figures; v2 adds ablations"


def test_the_merge_is_the_same_whichever_source_comes_first(tmp_path: Path) -> None:
    made = []
    for order in (
        [DEFAULT_DAYS / "2026-02-03.json", LISTING],
        [LISTING, DEFAULT_DAYS / "2026-02-03.json"],
    ):
        project = Project(tmp_path / str(len(made)))
        (project.data / "papers").mkdir(parents=True)
        for path in order:
            pipeline.import_inputs(project, [path], QUIET)
        made.append(tree_bytes(project.root))
    assert made[0] == made[1]


# --- fetch -----------------------------------------------------------------------------------


def test_fetch_follows_two_categories_and_a_query_and_again_writes_nothing(
    project: Project,
) -> None:
    follow(project, FEEDS)
    with FakeHFApi() as api:
        report = fetch(project, api, WEEK)
        requests = list(api.requests)
        assert report.ok, report.failed_inputs
        papers = {p.id: p for p in store.read_archive(project).papers}
        # cs.CL or cs.LG, listed Jan 5-9; cs.RO's cross-list to cs.LG counts; and the
        # splatting query's two (one of them cs.CV only).
        assert sorted(papers) == [
            "2601.01500", "2601.02001", "2601.02500", "2601.03112", "2601.03300", "2601.04400",
        ]  # fmt: skip
        assert all(p.sources == ("arxiv",) and p.fetched_at for p in papers.values())
        assert papers["2601.03300"].arxiv_version == 3
        assert all("sortBy=submittedDate" in r and "start=0" in r for r in requests)
        assert not any("daily_papers" in r for r in requests)  # huggingface: false
        before = tree_bytes(project.root)
        again = fetch(project, api, WEEK)
        assert (again.added, again.updated, again.files_written) == (0, 0, 0)
        assert tree_bytes(project.root) == before


def test_one_source_by_name_and_an_unknown_name_is_an_error(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    follow(project, FEEDS)
    with FakeHFApi() as api:
        report = fetch(project, api, WEEK, only=["splatting"])
        assert sorted(p.id for p in store.read_archive(project).papers) == [
            "2601.01500",
            "2601.02500",
        ]
        assert report.ok
        code = main(["-C", str(project.root), "fetch", "--source", "vision", "--date", "2026-01-06",
                     "--arxiv-url", api.url, "--base-url", api.url])  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert "no source 'vision'" in err and "huggingface, language, splatting" in err


def test_a_cap_per_day_keeps_the_first_submitted(project: Project) -> None:
    follow(project, FEEDS.replace("[cs.CL, cs.LG]", "[cs.CL, cs.LG]\n    max_per_day: 1"))
    with FakeHFApi() as api:
        assert fetch(project, api, WEEK, only=["language"]).ok
    by_day = {p.day: p.id for p in store.read_archive(project).papers}
    # Tuesday had 2601.02001 and 2601.03112: the earlier submission is kept.
    assert by_day == {
        date(2026, 1, 6): "2601.02001",
        date(2026, 1, 7): "2601.03300",
        date(2026, 1, 9): "2601.04400",
    }


@pytest.mark.parametrize("fault", ["down", "garbage"])
def test_a_failing_arxiv_leaves_the_archive_as_it_was(
    project: Project, fault: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pipeline.import_inputs(project, [LISTING], QUIET)
    follow(project, FEEDS)
    before = tree_bytes(project.root)
    with FakeHFApi(fault=fault) as api:
        report = fetch(project, api, WEEK)
    assert not report.ok and report.files_written == 0
    assert report.failed_inputs == [
        "arxiv language 5 days, 2026-01-05..2026-01-09",
        "arxiv splatting 5 days, 2026-01-05..2026-01-09",
    ]
    assert tree_bytes(project.root) == before
    assert "Traceback" not in capsys.readouterr().err


def test_an_unreachable_arxiv_is_asked_once(project: Project) -> None:
    follow(project, FEEDS)
    with socket.socket() as sock:  # a free port that nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    days = [*WEEK, date(2026, 1, 19)]  # two weeks, two feeds: four queries if it kept on
    report = fetching.fetch_days(
        project, days, QUIET, arxiv_client=fast_client(retries=1), arxiv_url=url
    )
    assert report.failed_inputs == ["arxiv language"]
    assert report.files_written == 0


def test_without_sources_yaml_fetch_is_hugging_face_alone(project: Project) -> None:
    with FakeHFApi() as api:
        report = fetch(project, api, [date(2026, 2, 3)])
        assert report.ok and report.added == 3
        assert not any("/api/query" in r for r in api.requests)


def test_the_command_line_fetches_from_both(project: Project) -> None:
    follow(project, FEEDS.replace("huggingface: false", "huggingface: true"))
    with FakeHFApi() as api:
        code = main(["-C", str(project.root), "--quiet", "fetch", "--since", "2026-01-05",
                     "--until", "2026-01-09", "--base-url", api.url, "--arxiv-url", api.url,
                     "--retries", "0"])  # fmt: skip
    assert code == 0
    assert len(store.read_archive(project).papers) == 6


# --- sources.yaml ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("huggingface: yes please\n", "data/sources.yaml: line 1: field huggingface: must be true"),
        (
            "arxiv:\n  - name: x\n    categories: [cs.CL, CS]\n",
            "line 3: field arxiv[0].categories[1]",
        ),
        ("arxiv:\n  - name: x\n", "line 2: field arxiv[0]: a feed needs categories, a query"),
        ("arxiv:\n  - name: Bad Name\n    query: ti:x\n", "line 2: field arxiv[0].name"),
        (
            "arxiv:\n  - name: a\n    query: ti:x\n  - name: a\n    query: ti:y\n",
            "line 4: field arxiv[1].name: 'a' is taken",
        ),
        (
            "arxiv:\n  - name: a\n    query: ti:x\n    max_per_day: 0\n",
            "line 4: field arxiv[0].max_per_day",
        ),
        (
            "arxiv:\n  - name: a\n    query: ti:x\n    categorie: [cs.CL]\n",
            "line 4: field arxiv[0].categorie: unknown key",
        ),
        ("feeds: []\n", "line 1: field feeds: unknown key"),
        ("arxiv: [\n", "data/sources.yaml"),
    ],
)
def test_sources_yaml_mistakes_name_file_line_and_field(
    project: Project, text: str, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    follow(project, text)
    with pytest.raises(RecordError) as info:
        store.read_sources(project)
    assert where in str(info.value).replace(str(project.root) + "/", "")
    assert main(["-C", str(project.root), "fetch", "--date", "2026-01-06"]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "sources.yaml" in line


def test_validate_reports_a_sources_yaml_mistake(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    follow(project, "arxiv:\n  - name: x\n    categories: [cs.CL]\n    max_per_day: lots\n")
    assert main(["-C", str(project.root), "validate"]) == 1
    err = capsys.readouterr().err
    assert "data/sources.yaml: line 4: field arxiv[0].max_per_day" in err
