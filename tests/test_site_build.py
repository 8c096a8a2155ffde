"""A real build of the fixture site: generate, the search trees, `mkdocs build --strict`."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from helpers import QUIET, REPO, add_unrelated_day, build_fixture_site, make_site_project

from generator.progress import Progress
from generator.project import Project
from generator.site import generate as generation
from generator.site import mkdocs_glue
from generator.site.build import Build
from generator.site.build import build_site as build
from generator.site.buildfolder import BuildFolder
from generator.site.render.search import SEARCH_FOLDER
from generator.site.render.urls import GENERATED_DOCS, is_generated
from generator.site.scope import FULL, Scope
from generator.site.write import WriteReport

HOSTILE = "<script>alert(1)</script> {{ x }} {% raw %} **b** $x_1$ ]]>"

pytestmark = pytest.mark.slow


def generate(
    project: Project, progress: Progress, *, scope: Scope = FULL, force: bool = False
) -> WriteReport:
    return generation.generate(BuildFolder(project, scope), progress, force=force)


def index_root(project: Project, scope: Scope = FULL) -> Path:
    return BuildFolder(project, scope).index


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project, seconds = build_fixture_site(tmp_path_factory.mktemp("site") / "project")
    print(f"fixture build took {seconds:.2f} s")
    return project


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.ids: set[str] = set()
        self.title = ""
        self.texts_by_id: dict[str, str] = {}
        self._open: list[tuple[str, str]] = []  # (tag, id) of elements whose text we want
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for key in ("href", "src"):
            if found.get(key):
                self.refs.append(found[key] or "")
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "title":
            self._in_title = True
        if tag == "article" and found.get("id"):
            self._open.append(("article", found["id"] or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "article" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        for _, element_id in self._open:
            self.texts_by_id[element_id] = self.texts_by_id.get(element_id, "") + data


def parse_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def catalog_rows(search: Path) -> list[list[object]]:
    """Every paper's row in the catalog under `search` (a site's or the build folder's
    search trees), by number."""
    papers = search / "catalog" / "papers"
    chunks = sorted(papers.glob("*.json"), key=lambda p: int(p.stem))
    return [row for path in chunks for row in json.loads(path.read_text(encoding="utf-8"))]


def test_every_generated_page_is_built(built: Project) -> None:
    for md in (built.docs / "days").rglob("index.md"):
        html = built.site / md.relative_to(built.docs).with_name("index.html")
        assert html.is_file(), html
    assert (built.site / "topics/vision/2026/01/index.html").is_file()
    assert (built.site / "search/index.html").is_file()
    assert (built.site / "feed.xml").is_file()
    assert (built.site / "topics/vision/feed.xml").is_file()
    home = (built.site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate feed" type="application/atom+xml"' in home


def test_feeds_open_data_bibtex_trending_and_stats_are_published(built: Project) -> None:
    site = built.site
    for rel in (
        "feed.json",
        "topics/vision/feed.json",
        "api/index.json",
        "api/days/2026-01-02.json",
        "api/topics/vision.json",
        "api/months/2026-01.jsonl.gz",
        "api/schema-v2.json",
        "api/index.html",
        "trending/index.html",
        "stats/index.html",
        "assets/vendor/katex/katex.min.js",
    ):
        assert (site / rel).is_file(), rel
    index = json.loads((site / "api/index.json").read_text(encoding="utf-8"))
    assert index["papers"] == 10
    months = b"".join(
        (site / "api/months" / f).read_bytes() for f in ("2025-12.jsonl.gz", "2026-01.jsonl.gz")
    )
    assert len(gzip.decompress(months).splitlines()) == 10
    topic = (site / "topics/vision/index.html").read_text(encoding="utf-8")
    head = topic.split("</head>")[0]
    assert (
        '<link rel="alternate feed" type="application/atom+xml" '
        'title="Paper Almanac: Vision &amp; &lt;Images&gt;" href="feed.xml">' in head
    )
    assert 'type="application/feed+json"' in head
    stats = (site / "stats/index.html").read_text(encoding="utf-8")
    assert stats.count('<svg xmlns="http://www.w3.org/2000/svg" class="pa-chart" role="img"') == 4


def test_every_local_link_and_anchor_in_the_built_site_resolves(built: Project) -> None:
    site = built.site
    # 404.html links from the site root (site_url), as it is served at any address.
    pages = {p: parse_page(p) for p in site.rglob("*.html") if p.name != "404.html"}
    checked = 0
    for path, page in pages.items():
        for ref in page.refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or ref.startswith(("mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{path.relative_to(site)}: broken link {ref}"
            if parts.fragment and target in pages and "/days/" in str(target):
                assert parts.fragment in pages[target].ids, f"{path}: no anchor {ref}"
            checked += 1
    assert checked > 500


def test_hostile_text_is_shown_as_text_in_pages_and_titles(built: Project) -> None:
    day = built.site / "days/2026/01/02/index.html"
    page = parse_page(day)
    assert page.texts_by_id["2601.00101"].strip().startswith(HOSTILE)
    assert "<img src=x onerror=alert(2)>" in page.texts_by_id["2601.00101"]
    for path in built.site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        assert "onerror=alert(2)>" not in text.replace("&lt;img src=x onerror=alert(2)&gt;", ""), (
            path
        )
    topic = parse_page(built.site / "topics/vision/index.html")
    assert topic.title == "Vision & <Images> - Paper Almanac"
    raw = (built.site / "topics/vision/index.html").read_text(encoding="utf-8")
    assert "<title>Vision &amp; &lt;Images&gt; - Paper Almanac</title>" in raw


def test_the_catalog_lists_every_paper_once_pointing_at_its_anchor(built: Project) -> None:
    rows = catalog_rows(built.site / SEARCH_FOLDER)
    # The search page makes each result's link of the row's id and day, as paper_url does.
    urls = [f"days/{str(row[2]).replace('-', '/')}/#{row[0]}" for row in rows]
    assert len(urls) == 10  # the fixture's visible papers, not pages
    assert len(set(urls)) == len(urls)
    for url in urls:
        path, _, anchor = url.partition("#")
        assert anchor in parse_page(built.site / path / "index.html").ids, url
    hostile = next(row for row in rows if row[0] == "2601.00101")
    assert hostile[1] == HOSTILE  # data, kept as it is: the page inserts it as text


def test_the_search_folder_holds_the_manifest_the_catalog_and_the_word_index(
    built: Project,
) -> None:
    search = built.site / SEARCH_FOLDER
    assert sorted(p.name for p in search.iterdir()) == ["catalog", "manifest.json", "words-newer"]
    manifest = json.loads((search / "manifest.json").read_text())
    assert manifest["papers"] == 10
    # The word index: two months of papers or fewer are all one (newer) segment.
    assert manifest["words"] == ["words-newer"]
    assert json.loads((search / "words-newer" / "meta.json").read_text())["papers"] == 10
    assert json.loads((search / "catalog" / "index.json").read_text())["papers"] == 10
    # Their stamps stay in the build folder.
    assert not list(search.rglob(".tree-stamp"))
    assert manifest["filters"]["month"] == {"2025-12": 3, "2026-01": 7}
    assert set(manifest["filters"]["topic"]) == {"reasoning", "agents", "vision", "other"}


def test_a_rerun_with_nothing_new_writes_nothing_and_reuses_the_index(built: Project) -> None:
    before = {p: p.stat().st_mtime_ns for p in built.docs.rglob("*") if p.is_file()}
    index_before = _files(index_root(built))
    report = generate(built, QUIET)
    assert not report.changed
    generated = [built.docs / entry for entry in GENERATED_DOCS]
    files = [p for top in generated for p in ([top] if top.is_file() else top.rglob("*"))]
    assert report.unchanged == len([p for p in files if p.is_file()])
    assert {p: p.stat().st_mtime_ns for p in built.docs.rglob("*") if p.is_file()} == before
    assert _files(index_root(built)) == index_before
    assert (index_root(built) / "catalog" / "index.json").is_file()


def build_log(project: Project) -> str:
    out = io.StringIO()
    build(project, Progress(out=out, err=out))
    return out.getvalue()


def _inodes(top: Path) -> dict[Path, int]:
    return {p: p.stat().st_ino for p in top.rglob("*") if p.is_file()}


def test_an_index_restored_with_new_file_times_is_still_current(tmp_path: Path) -> None:
    # What a CI cache restore or a copy does: the same files, with other times.
    project, _ = build_fixture_site(tmp_path / "p")
    trees = index_root(project)
    before = _inodes(trees)
    later = time.time() + 3600
    for path in [*project.build_dir.rglob("*"), *project.docs.rglob("*")]:
        os.utime(path, (later, later))
    build(project, QUIET)
    assert _inodes(trees) == before  # no tree made again
    day = project.papers_dir / "2026/01/2026-01-06.yaml"
    day.write_text(day.read_text(encoding="utf-8").replace("upvotes: ", "upvotes: 1"), "utf-8")
    build(project, QUIET)
    # The catalog holds the upvotes: made again; the manifest is unchanged.
    after = _inodes(trees)
    assert after[trees / "catalog" / "index.json"] != before[trees / "catalog" / "index.json"]
    assert after[trees / "manifest.json"] == before[trees / "manifest.json"]


def _files(*tops: Path) -> dict[Path, tuple[int, int]]:
    return {
        p: (p.stat().st_ino, p.stat().st_mtime_ns)
        for top in tops
        for p in top.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


def test_a_build_with_nothing_new_writes_no_file_at_all(tmp_path: Path) -> None:
    project, _ = build_fixture_site(tmp_path / "p")
    before = _files(project.root)
    build(project, QUIET)
    assert _files(project.root) == before


def test_a_build_with_nothing_new_walks_docs_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Generation's check of its files and the site's inputs share one listing of docs/
    (a walk of 20,000 files at 100,000 papers): a build with nothing new makes one."""
    from generator.site import build as building
    from generator.site import digest

    project, _ = build_fixture_site(tmp_path / "p")
    walked: list[Path] = []

    def tree_stats(top: Path) -> digest.Listing:
        walked.append(top)
        return digest.tree_stats(top)

    for module in (building, generation):
        monkeypatch.setattr(module, "tree_stats", tree_stats)
    build(project, QUIET)
    assert walked.count(project.docs) == 1


def test_a_build_with_nothing_new_never_imports_numpy_or_scipy(tmp_path: Path) -> None:
    # A third of a second of every such build (bench/VERSUS-32.md): only finding related
    # papers and indexing words need them.
    project, _ = build_fixture_site(tmp_path / "p")
    check = (
        "import sys; from pathlib import Path; from generator.project import Project; "
        "from generator.site.build import build_site; from helpers import QUIET; "
        f"build_site(Project(Path({str(project.root)!r})), QUIET); "
        "print(sorted(m for m in ('numpy', 'scipy') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])}
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_the_search_trees_made_in_a_worker_process_are_those_made_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forking: None
) -> None:
    """A first build makes the search trees in a forked process beside the pages: the
    trees, the site and the trees' memo are byte for byte those of a build that makes
    them in its own process (where a fork is unsafe or impossible)."""
    from generator import processes

    makers = tmp_path / "makers"
    made_by = generation.write_search_trees

    def write_search_trees(*args: Any) -> Any:
        with makers.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return made_by(*args)

    monkeypatch.setattr(generation, "write_search_trees", write_search_trees)
    forked, _ = build_fixture_site(tmp_path / "forked")
    can_fork = processes.fork_context
    monkeypatch.setattr(processes, "fork_context", lambda: None)
    here, _ = build_fixture_site(tmp_path / "here")
    monkeypatch.setattr(processes, "fork_context", can_fork)
    assert makers.read_text().split() == [makers.read_text().split()[0], str(os.getpid())]
    assert makers.read_text().split()[0] != str(os.getpid())
    assert _contents(forked.site) == _contents(here.site)
    trees = [BuildFolder(project, FULL) for project in (forked, here)]
    assert _contents(trees[0].index) == _contents(trees[1].index)
    memos = [(folder.work / "trees.json").read_bytes() for folder in trees]
    assert memos[0] == memos[1] and b"words-newer" in memos[0]
    # A new day remakes the newest segment only: too little work for a second process.
    add_unrelated_day(forked.papers_dir, "2026-01-06", "2026-01-07")
    build(forked, QUIET)
    assert makers.read_text().split()[2:] == [str(os.getpid())]


def _contents(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_new_day_reindexes_the_newest_words_and_rewrites_the_pages_that_show_it(
    tmp_path: Path,
) -> None:
    project, _ = build_fixture_site(tmp_path / "p")
    search = project.site / SEARCH_FOLDER
    add_unrelated_day(project.papers_dir, "2026-01-06", "2026-01-07")
    docs_before = _files(project.docs)
    build(project, QUIET)
    assert json.loads((search / "words-newer" / "meta.json").read_text())["papers"] == 12
    rows = catalog_rows(search)
    assert len(rows) == 12 and {row[2] for row in rows[-2:]} == {"2026-01-07"}
    rewritten = {
        p.relative_to(project.docs).as_posix()
        for p, key in _files(project.docs).items()
        if docs_before.get(p) != key
    }
    assert {"days/2026/01/07/index.md", "days/2026/01/06/index.md", "index.md"} <= rewritten
    assert not any(p.startswith("days/2025/") for p in rewritten)
    assert len(rewritten) < len(docs_before) / 2


def test_a_day_leaving_the_apis_window_is_removed_without_a_full_build(tmp_path: Path) -> None:
    # The JSON API keeps a document for each of the last DAY_DOCUMENT_DAYS days: a new day
    # sends the oldest out. It is a file MkDocs copies, not a page: the dirty build stays.
    project, _ = build_fixture_site(tmp_path / "p")
    old = project.site / "api/days/2025-12-30.json"
    page = project.site / "days/2025/12/30/index.html"
    assert old.is_file()
    kept = page.stat().st_mtime_ns
    add_unrelated_day(project.papers_dir, "2026-01-06", "2026-03-01")
    log = build_log(project)
    assert "built changed pages with MkDocs" in log, log
    assert not old.exists()
    assert (project.site / "api/days/2026-03-01.json").is_file()
    assert page.stat().st_mtime_ns == kept


@pytest.mark.parametrize("checkout", [False, True], ids=["kept", "fresh checkout"])
def test_a_new_day_s_dirty_build_makes_the_site_a_full_build_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, checkout: bool
) -> None:
    # A dirty build hands MkDocs only the files it rebuilds and the nav's pages
    # (mkdocs_glue.Stage), and makes the sitemap of every page itself, as MkDocs would.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the sitemap's dates: one day
    project = make_site_project(tmp_path / "p")
    about = project.docs / "about.md"  # a page that links to one the new day leaves alone
    about.write_text(about.read_text() + "\n[A past day](days/2025/12/30/index.md)\n")
    build(project, QUIET)
    add_unrelated_day(project.papers_dir, "2026-01-06", "2026-01-07")
    if checkout:  # as in CI: the hand-written files checked out anew, newer than the site
        later = time.time() + 60
        for path in project.docs.rglob("*"):
            if path.is_file() and not is_generated(path.relative_to(project.docs).as_posix()):
                os.utime(path, (later, later))
    staged: list[bool] = []
    stage = mkdocs_glue._staged
    monkeypatch.setattr(mkdocs_glue, "_staged", lambda *a: staged.append(stage(*a)) or staged[0])
    log = build_log(project)
    assert "built changed pages with MkDocs" in log, log
    assert staged == [True]
    assert not (project.build_dir / "mkdocs-docs").exists()
    daily = _contents(project.site)
    assert "https://example.org/paper-almanac/days/2026/01/07/" in daily["sitemap.xml"].decode()
    shutil.rmtree(project.site)
    build(project, QUIET)  # with no site to keep, a full build
    full = _contents(project.site)
    assert sorted(daily) == sorted(full)
    assert [rel for rel in full if daily[rel] != full[rel]] == []


def test_a_hand_edited_page_is_built_against_every_page(tmp_path: Path) -> None:
    # Its links are checked against the pages MkDocs is handed: all of docs/, not a stage.
    project, _ = build_fixture_site(tmp_path / "p")
    about = project.docs / "about.md"
    about.write_text(about.read_text() + "\n[A day](days/2025/12/30/index.md)\n")
    add_unrelated_day(project.papers_dir, "2026-01-06", "2026-01-07")
    log = build_log(project)
    assert "built changed pages with MkDocs" in log, log
    assert 'href="../days/2025/12/30/"' in (project.site / "about/index.html").read_text()


def test_a_stage_reads_docs_as_mkdocs_does(built: Project) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, get_files

    from generator.site.digest import tree_stats
    from generator.site.mkdocs_glue import output_path, pages_in_order

    config = load_config(config_file=str(built.mkdocs_yml))
    files = get_files(config)
    pages = [f.src_uri for f in files.documentation_pages()]
    assert pages_in_order(tree_stats(built.docs)) == pages
    assert "days/2026/01/05/index.md" in pages and "about.md" in pages
    for by_dir in (True, False):
        for f in files:
            page = f.is_documentation_page()
            made = File(f.src_uri, f.src_dir, f.dest_dir, use_directory_urls=by_dir)
            assert output_path(f.src_uri, page=page, by_dir=by_dir) == made.dest_uri


def _contents(top: Path) -> dict[str, bytes]:
    return {p.relative_to(top).as_posix(): p.read_bytes() for p in top.rglob("*") if p.is_file()}


def test_a_recent_preview_renders_the_window_and_spares_the_full_index(tmp_path: Path) -> None:
    project, _ = build_fixture_site(tmp_path / "p")
    full_index = _files(index_root(project))
    generate(project, QUIET, scope=Scope(2))
    days = sorted(
        p.parent.relative_to(project.docs).as_posix()
        for p in (project.docs / "days").glob("*/*/*/index.md")
    )
    assert days == ["days/2026/01/05", "days/2026/01/06"]
    Build(project, QUIET, Scope(2)).before_mkdocs()
    assert _files(index_root(project)) == full_index
    recent = json.loads((index_root(project, Scope(2)) / "manifest.json").read_text())
    assert recent["papers"] == 4
    generate(project, QUIET)  # back to the whole archive
    assert (project.docs / "days/2025/12/30/index.md").is_file()


def test_a_removed_day_removes_its_pages_and_records(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "p")
    generate(project, QUIET)
    (project.papers_dir / "2025/12/2025-12-31.yaml").unlink()
    report = generate(project, QUIET)
    assert "docs/days/2025/12/31/index.md" in report.deleted
    assert not (project.docs / "days/2025/12/31").exists()
    assert (project.docs / "about.md").is_file()


def test_plain_mkdocs_build_generates_and_indexes_through_the_hook(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "p")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=project.root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (project.site / "days/2026/01/06/index.html").is_file()
    assert len(catalog_rows(project.site / SEARCH_FOLDER)) == 10


def test_generation_is_skipped_when_nothing_changed_and_redone_when_pages_were_edited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_site_project(tmp_path / "p")
    first = generate(project, QUIET)
    assert first.written
    import generator.site.load

    def must_not_load(*_: object) -> None:
        raise AssertionError("data/ was read although nothing changed")

    with monkeypatch.context() as patch:
        patch.setattr(generator.site.load, "load", must_not_load)
        again = generate(project, QUIET)
    assert again.written == () and again.unchanged == len(first.written)
    page = project.docs / "days/2026/01/06/index.md"
    original = page.read_text(encoding="utf-8")
    page.write_text("edited by hand\n", encoding="utf-8")
    repaired = generate(project, QUIET)
    assert repaired.written == ("docs/days/2026/01/06/index.md",)
    assert page.read_text(encoding="utf-8") == original


def test_unchanged_search_trees_are_not_made_again_unless_they_were_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.site.render import catalog, wordindex

    project, _ = build_fixture_site(tmp_path / "p")
    made: list[str] = []
    real_catalog, real_segment = catalog.catalog_files, wordindex.segment_files

    def catalog_spy(*args: Any) -> Any:
        made.append("catalog")
        return real_catalog(*args)

    def segment_spy(*args: Any) -> Any:
        made.append("words")
        return real_segment(*args)

    monkeypatch.setattr(catalog, "catalog_files", catalog_spy)
    monkeypatch.setattr(wordindex, "segment_files", segment_spy)
    day = project.papers_dir / "2026/01/2026-01-06.yaml"
    text = day.read_text(encoding="utf-8")
    day.write_text(text.replace("Test-Time Scaling Without", "Test-Time Scaling, Now Without"))
    build(project, QUIET)
    assert made == ["catalog", "words"]  # a title changed: the catalog and the words
    made.clear()
    build(project, QUIET)
    assert made == []
    stamp = index_root(project) / "catalog" / ".tree-stamp"
    stamp.write_text("tampered", encoding="utf-8")
    build(project, QUIET)
    assert made == ["catalog"]  # made again, and its stamp with it
    assert stamp.read_text(encoding="utf-8") != "tampered"


def _index_holds(project: Project, text: str) -> bool:
    try:  # trees are swapped whole: a file can go between two reads
        return any(
            text in str(row[1])
            for search in project.build_dir.rglob(SEARCH_FOLDER)
            for row in catalog_rows(search)
        )
    except OSError:
        return False


def _site_url() -> str:
    # `site_url: !ENV [ALMANAC_SITE_URL, "default"]` or a plain URL.
    line = re.search(r"^site_url:(.*)$", (REPO / "mkdocs.yml").read_text(), re.MULTILINE)
    urls = re.findall(r"https?://[^\s\"',\]]+", line.group(1)) if line else []
    return os.environ.get("ALMANAC_SITE_URL") or (urls[-1] if urls else "/")


def _get(url: str) -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except OSError:
        return 0, b""


def _wait_for(url: str, needle: bytes, seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, body = _get(url)
        if status == 200 and needle in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{url} did not serve {needle!r} within {seconds} s")


@pytest.mark.parametrize("command", ["mkdocs serve", "almanac serve"])
def test_preview_serves_search_and_rebuilds_when_data_changes(tmp_path: Path, command: str) -> None:
    import socket

    project = make_site_project(tmp_path / "p")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"127.0.0.1:{port}"
    if command == "mkdocs serve":
        argv = [sys.executable, "-m", "mkdocs", "serve", "-a", address]
    else:
        code = (
            "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
            "from generator.site.build import serve; from generator.project import Project;"
            "from generator.progress import Progress;"
            "serve(Project(Path('.')), Progress(quiet=True), dev_addr=sys.argv[2])"
        )
        argv = [sys.executable, "-c", code, str(REPO), address]
    server = subprocess.Popen(
        argv, cwd=project.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        mount = urlsplit(_site_url()).path or "/"  # mkdocs serve mounts the site there
        base = f"http://{address}{mount}"
        _wait_for(base + "days/2026/01/06/", b"Test-Time Scaling Without Verifiers")
        _wait_for(base + f"{SEARCH_FOLDER}/manifest.json", b"papers")
        day = project.papers_dir / "2026/01/2026-01-06.yaml"
        day.write_text(
            day.read_text(encoding="utf-8").replace(
                "Test-Time Scaling Without Verifiers", "Test-Time Scaling, Edited Live"
            ),
            encoding="utf-8",
        )
        _wait_for(base + "days/2026/01/06/", b"Test-Time Scaling, Edited Live")
        _wait_for(base + f"{SEARCH_FOLDER}/catalog/index.json", b"papers")
        deadline = time.monotonic() + 60
        while not _index_holds(project, "Edited Live"):
            assert time.monotonic() < deadline, "the search index did not take the edit"
            time.sleep(0.3)
    finally:
        # Ctrl-C, as a person stops it: MkDocs then removes its temporary site folder
        # (SIGTERM left one in /tmp per run).
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_project_named_by_a_relative_path_builds_into_its_own_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs reads a relative site_dir against mkdocs.yml's folder: the build hands it an
    absolute one, or a project named `p` would be built into p/p/site."""
    make_site_project(tmp_path / "p")
    monkeypatch.chdir(tmp_path)
    build(Project(Path("p")), QUIET)
    assert (tmp_path / "p" / "site" / "index.html").is_file()
    assert not (tmp_path / "p" / "p").exists()
