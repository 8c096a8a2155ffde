"""Helpers shared by tests (importable as `helpers`; tests/ is on pythonpath)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.models import Links, Paper


@dataclass
class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    now: float = 1_700_000_000.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def fast_client(retries: int = 2) -> Any:
    """A Client for local servers: no delay between requests, no real waiting on retries."""
    from generator.sources.http import Client

    return Client(delay=0.0, retries=retries, timeout=(2.0, 2.0), sleep=lambda seconds: None)


def make_paper(paper_id: str = "2601.00001", **fields: Any) -> Paper:
    defaults: dict[str, Any] = {
        "title": f"A paper called {paper_id}",
        "day": date(2026, 1, 6),
        "abstract": "We study things.",
        "links": Links.for_arxiv(paper_id) if "." in paper_id[:5] else Links(),
    }
    defaults.update(fields)
    return Paper(id=paper_id, **defaults)


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes: to prove a command left a tree untouched."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def render_all(archive: Any) -> tuple[dict[str, str | bytes], dict[str, str]]:
    """Every generated docs/ file (but the JSON API's) and the search record tree, made at
    once through the real renderers, as generation would write them."""
    from generator import render
    from generator.siteconf import DEFAULT_SITE_URL

    return render.docs_files(archive, DEFAULT_SITE_URL), render.record_files(archive)


def add_unrelated_day(papers_dir: Path, like: str, day: str) -> Path:
    """A new day file made from the day `like` (YYYY-MM-DD) with new ids, and titles and
    abstracts of words no other paper has: it cannot be any old paper's related paper, so
    only the pages that show the day change."""
    import yaml

    source = papers_dir / like[:4] / like[5:7] / f"{like}.yaml"
    text = source.read_text(encoding="utf-8").replace(like, day)
    text = text.replace(f"{like[2:4]}{like[5:7]}.{like[8:10]}", f"{day[2:4]}{day[5:7]}.{day[8:10]}")
    content = yaml.safe_load(text)
    for n, paper in enumerate(content["papers"]):
        paper["title"] = f"Quokkaville{n} Zephyrine{n}"
        paper["abstract"] = f"Marmalade{n} xylophonic{n} quasar{n}."
    target = papers_dir / day[:4] / day[5:7] / f"{day}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(content, sort_keys=True, allow_unicode=True), encoding="utf-8")
    return target
