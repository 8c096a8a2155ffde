"""The baseline: the site a careful user would write without this project.

The same papers as one Markdown page per day, each paper a Markdown card; MkDocs Material
with its built-in search on; a nav that lists sections (home, days), not days, with the
day pages reached through a list on the days page. (MkDocs' default nav lists every page,
which makes the build quadratic; that is not a fair baseline, so it is not used.)
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

MKDOCS_YML = """\
site_name: Baseline almanac
site_url: https://example.org/baseline/
theme:
  name: material
  font: false
plugins:
  - search
nav:
  - Home: index.md
  - Days: days/index.md
validation:
  nav:
    omitted_files: ignore
"""


def card(paper: Mapping[str, Any]) -> str:
    names = paper.get("authors", [])
    authors = ", ".join(names[:5])
    if len(names) > 5:
        authors += f" and {len(names) - 5} more"
    links = [f"[{label}]({url})" for label, url in paper.get("links", {}).items()]
    lines = [
        f"## {paper['title']}",
        "",
        f"**{authors}**" if authors else "",
        "",
        f"Published {paper.get('published')} · {paper.get('upvotes') or 0} upvotes · "
        f"{paper.get('comments') or 0} comments",
        "",
        " · ".join(links),
        "",
    ]
    if paper.get("ai_summary"):
        lines += [f"> **AI summary:** {paper['ai_summary']}", ""]
    if paper.get("ai_keywords"):
        lines += [f"*Keywords: {', '.join(paper['ai_keywords'])}*", ""]
    lines += [paper.get("abstract") or "", ""]
    return "\n".join(lines)


def read_days(data: Path) -> dict[str, list[dict[str, Any]]]:
    """Every day file as plain YAML, no validation: what a quick script would do."""
    days = {}
    for path in sorted((data / "papers").rglob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        days[str(doc["day"])] = doc["papers"]
    return days


def write_site(root: Path, by_day: Mapping[str, Sequence[Mapping[str, Any]]]) -> int:
    """mkdocs.yml and docs/ for the baseline; returns the number of pages written."""
    docs = root / "docs"
    (docs / "days").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    days = sorted(by_day, reverse=True)
    total = sum(len(p) for p in by_day.values())
    (docs / "index.md").write_text(
        f"# Baseline almanac\n\n{total} papers. Latest day: "
        f"[{days[0]}](days/{_path(days[0])}). [All days](days/index.md)\n",
        encoding="utf-8",
    )
    listing = [f"- [{d}]({_path(d)}): {len(by_day[d])} papers" for d in days]
    (docs / "days" / "index.md").write_text(
        "# All days\n\n" + "\n".join(listing) + "\n", encoding="utf-8"
    )
    for day in days:
        page = docs / "days" / _path(day)
        page.parent.mkdir(parents=True, exist_ok=True)
        ranked = sorted(by_day[day], key=lambda p: (-(p.get("upvotes") or 0), p["id"]))
        text = f"# Papers of {day}\n\n" + "\n".join(card(p) for p in ranked)
        page.write_text(text, encoding="utf-8")
    return len(days) + 2


def _path(day: str) -> str:
    return day.replace("-", "/") + ".md"


def main() -> None:
    """`python -m bench.baseline PROJECT OUT`: the baseline's docs/ from PROJECT/data."""
    project, out = Path(sys.argv[1]), Path(sys.argv[2])
    print(write_site(out, read_days(project / "data")), "pages")


if __name__ == "__main__":
    main()
