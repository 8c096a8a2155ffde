"""Hostile text in records is stored as the same text; links only ever go where they claim;
YAML is only safe-loaded, and a bomb or a huge file is refused in bounded memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import QUIET

from generator.archive import commands as pipeline
from generator.archive import store
from generator.models import MAX_TEXT
from generator.project import Project

from .conftest import child_env, hf_record, write_capture

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)"><a href="javascript:alert(2)" onclick=alert(3)>x</a>',
    "javascript:alert(document.cookie)",
    "**bold** _it_ [link](javascript:alert(1)) ![img](x) `code` # heading\n---\n> quote",
    "{{ config.__class__ }} {% for x in y %}{{ x }}{% endfor %} {# c #} ${x} #{x}",
    "no",
    "~",
    "2024-01-01",
    "!!python/object/apply:os.system ['touch /tmp/pwned']",
    "&anchor *alias <<: {} %YAML 1.1 --- ... | > ? : - @ ` ' \" \\",
    "null",
    "0x1F 1e3 .inf .NaN 0o17 +12 1_000 True",
    "nul\x00and\x01control\x07\x08\x0b\x0c\x1b[31m\x7f\x85chars",
    "\u202eRTL override\u202c \u200f\u200e marks \u2066isolate\u2069",
    "e\u0301\u0308\u20dd combining Z\u0336\u0321\u035c",
    "zero\u200bwidth\ufeffbom\u2028line\u2029para",
    "😀 emoji 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﬁ ligature Ｆｕｌｌ",
    "</textarea></title></style><!-- -->]]><![CDATA[",
    "x" * MAX_TEXT,
]


def expected(text: str, field: str) -> tuple[str, ...]:
    """The text as the importer keeps it: titles and names with their whitespace folded,
    summaries stripped, otherwise exactly as given; author names and keywords over 1,000
    characters are dropped (and reported)."""
    if field in ("authors", "ai_keywords") and len(text) > 1000:
        return ()
    if field in ("title", "authors"):
        return (" ".join(text.split()),)
    if field in ("abstract", "ai_summary", "ai_keywords"):
        return (text.strip(),)
    return (text,)


def record(n: int, text: str) -> dict[str, object]:
    handle = "".join(text.split())[:100] or "x"
    return hf_record(
        f"2601.{n:05d}",
        title=text,
        summary=text,
        ai_summary=text,
        ai_keywords=[text, "safe"],
        authors=[{"name": text}, {"name": "Ada"}],
        organization={"fullname": text},
        submittedOnDailyBy={"user": handle},
        projectPage="https://example.org/p?q=" + "".join(c for c in text if c.isalnum())[:50],
    )


def test_every_text_field_keeps_its_hostile_text(project: Project, tmp_path: Path) -> None:
    capture = write_capture(
        tmp_path / "in", "2026-01-06", [record(n, t) for n, t in enumerate(HOSTILE)]
    )
    report = pipeline.import_inputs(project, [capture], QUIET)
    assert report.added == len(HOSTILE)
    assert len(report.problems) == 2  # the long author name and keyword, one line each
    stored = {p.id: p for p in store.read_archive(project).papers}
    for n, text in enumerate(HOSTILE):
        paper = stored[f"2601.{n:05d}"]
        assert (paper.title,) == expected(text, "title")
        assert (paper.abstract,) == expected(text, "abstract")
        assert (paper.ai_summary,) == expected(text, "ai_summary")
        assert paper.ai_keywords == (*expected(text, "ai_keywords"), "safe")
        assert paper.authors == (*expected(text, "authors"), "Ada")
        assert paper.organization == text
    # Written once, the same text reads back and writes the same bytes again.
    day = store.day_path(project, stored["2601.00000"].day)
    text = day.read_text(encoding="utf-8")
    assert store.dump_day(stored["2601.00000"].day, stored.values()) == text
    assert "!!python" not in text.replace("'!!python", "").replace('"!!python', "")


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("githubRepo", "javascript:alert(1)", "not an http(s) URL"),
        ("githubRepo", " JaVaScRiPt:alert(1)", "not an http(s) URL"),
        ("githubRepo", "https://github.com.evil.example/a/b", "must point to github.com"),
        ("githubRepo", "https://evil.example/github.com/a", "must point to github.com"),
        ("githubRepo", "https://github.com@evil.example/a", "must point to github.com"),
        ("projectPage", "data:text/html,<script>alert(1)</script>", "not an http(s) URL"),
        ("projectPage", "vbscript:msgbox(1)", "not an http(s) URL"),
        ("projectPage", "//evil.example/x", "not an http(s) URL"),
        ("projectPage", "https://example.org/a b", "whitespace or control"),
        ("projectPage", "https://example.org/\x00", "whitespace or control"),
        ("thumbnail", "https://evil.example/pixel.gif", "must point to huggingface.co"),
        ("thumbnail", "javascript:alert(1)", "not an http(s) URL"),
    ],
)
def test_links_only_go_where_they_claim(
    project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    field: str,
    value: str,
    reason: str,
) -> None:
    rec = hf_record("2601.00001")
    if field == "thumbnail":
        rec["thumbnail"] = value
    else:
        rec["paper"][field] = value  # type: ignore[index]
    capture = write_capture(tmp_path / "in", "2026-01-06", [rec])
    report = pipeline.import_inputs(project, [capture], QUIET)
    assert report.added == 1 and not report.ok  # kept, without the link, and reported
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: {capture}: paper 2601.00001: field ") and reason in line
    (paper,) = store.read_archive(project).papers
    assert paper.links.code is None and paper.links.project is None and paper.thumbnail is None
    links = list(paper.links.to_mapping().values())
    assert all(u.startswith(("https://arxiv.org/", "https://huggingface.co/")) for u in links)


def test_real_links_are_kept(project: Project, tmp_path: Path) -> None:
    rec = hf_record(
        "2601.00001",
        githubRepo="https://github.com/org/repo",
        projectPage="http://example.org/project",
    )
    rec["thumbnail"] = (
        "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2601.00001.png"
    )
    capture = write_capture(tmp_path / "in", "2026-01-06", [rec])
    assert pipeline.import_inputs(project, [capture], QUIET).ok
    (paper,) = store.read_archive(project).papers
    assert paper.links.code == "https://github.com/org/repo"
    assert paper.links.project == "http://example.org/project"
    assert paper.thumbnail and paper.thumbnail.startswith("https://cdn-thumbnails.huggingface.co/")


@pytest.mark.parametrize(
    "text",
    [
        "day: '2026-01-06'\npapers:\n- !!python/object/apply:os.system ['touch pwned']\n",
        "day: '2026-01-06'\npapers: !!python/name:os.system\n",
        "day: !!binary aGVsbG8=\npapers: []\n",
        "day: '2026-01-06'\npapers:\n- {id: x1, title: !!python/object/new:str [T]}\n",
    ],
)
def test_yaml_tags_never_construct_anything(project: Project, text: str) -> None:
    path = store.day_path(project, __import__("datetime").date(2026, 1, 6))
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    (problem,) = store.read_archive(project).problems
    assert str(problem).startswith("data/papers/2026/01/2026-01-06.yaml: ")
    assert not (project.root / "pwned").exists() and not Path("pwned").exists()


MEASURE = """
import os, resource, subprocess, sys
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
out, err = proc.communicate()
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{proc.returncode} {peak}")
sys.stdout.write(err)
"""


def measured(*args: str) -> tuple[int, int, list[str]]:
    """Exit code, peak RSS in kB and stderr lines of `python -m generator ARGS`, in a fresh
    process of its own (so the peak is that command's alone)."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=25,
    )
    first, *err = done.stdout.splitlines()
    code, peak = map(int, first.split())
    return code, peak, err


def test_a_huge_file_and_an_alias_bomb_are_refused_in_bounded_memory(project: Project) -> None:
    folder = project.papers_dir / "2026" / "01"
    folder.mkdir(parents=True)
    entry = "- {id: '2601.00001', title: 'A title that repeats', day: '2026-01-06', upvotes: 1}\n"
    with (folder / "2026-01-06.yaml").open("w", encoding="utf-8") as handle:
        handle.write("day: '2026-01-06'\npapers:\n")
        chunk = entry * 10_000
        for _ in range(100 * 1024 * 1024 // len(chunk) + 1):
            handle.write(chunk)  # ~100 MB of valid-looking YAML: parsed, it would take GBs
    levels = "".join(
        f"l{i + 1}: &l{i + 1} [*l{i}, *l{i}, *l{i}, *l{i}, *l{i}, *l{i}, *l{i}, *l{i}, *l{i}]\n"
        for i in range(40)
    )
    (folder / "2026-01-07.yaml").write_text(
        "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + levels, encoding="utf-8"
    )
    size = (folder / "2026-01-06.yaml").stat().st_size
    assert size > 100 * 1024 * 1024
    code, peak_kb, lines = measured("-C", str(project.root), "--quiet", "validate")
    assert code == 1
    assert lines == [
        f"error: data/papers/2026/01/2026-01-06.yaml: file is {size} bytes, over "
        f"{store.MAX_YAML_BYTES}",
        "error: data/papers/2026/01/2026-01-07.yaml: YAML aliases are not allowed here",
    ]
    print(
        f"peak RSS of `almanac validate` on a {size >> 20} MB file and a bomb: {peak_kb >> 10} MB"
    )
    assert peak_kb < 200 * 1024


def test_the_biggest_allowed_day_file_stays_within_bounds(project: Project) -> None:
    # Just under the limit: read in full, in memory that grows with the file, not beyond.
    folder = project.papers_dir / "2026" / "01"
    folder.mkdir(parents=True)
    entry = "- {id: '2601.%05d', title: 'T', day: '2026-01-06', abstract: '%s'}\n"
    body = "".join(entry % (n, "w" * 2000) for n in range(store.MAX_YAML_BYTES // 2100))
    (folder / "2026-01-06.yaml").write_text("day: '2026-01-06'\npapers:\n" + body, encoding="utf-8")
    code, peak_kb, lines = measured("-C", str(project.root), "--quiet", "stats")
    assert code == 0, lines
    print(f"peak RSS of `almanac stats` on a {len(body) >> 20} MB day file: {peak_kb >> 10} MB")
    assert peak_kb < 300 * 1024


def test_json_input_is_never_evaluated(project: Project, tmp_path: Path) -> None:
    rec = hf_record("2601.00001", title="__import__('os').system('touch pwned')")
    path = write_capture(tmp_path / "in", "2026-01-06", [rec])
    assert json.loads(path.read_text())[0]["paper"]["title"].startswith("__import__")
    assert pipeline.import_inputs(project, [path], QUIET).ok
    assert not os.path.exists("pwned") and not (project.root / "pwned").exists()
