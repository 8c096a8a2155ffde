"""The site commands of the CLI: generate, build, serve, topics."""

from __future__ import annotations

import argparse

from . import store
from .errors import AlmanacError
from .progress import Progress
from .project import Project


def cmd_generate(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from .site import generate

    report = generate(project, progress)
    progress.summary(f"generate: {report}")
    return 0


def cmd_build(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from .site import build

    build(project, progress)
    return 0


def cmd_serve(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from .site import serve

    serve(project, progress, dev_addr=args.dev_addr, recent_days=args.recent)
    return 0


def cmd_topics(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from collections import Counter

    from .topics import Classifier

    topics = store.read_topics(project)
    curation = store.read_curation(project, topics)
    archive = store.read_archive(project)
    classifier = Classifier(topics)
    if args.explain:
        paper = archive.by_id().get(args.explain)
        if paper is None:
            raise AlmanacError(f"no paper with id {args.explain!r} in data/")
        print(f"{paper.id}: {paper.title}")
        for line in classifier.explain(paper, curation.get(paper.id)):
            print(f"  {line}")
        return 0
    counts: Counter[str] = Counter()
    for paper in archive.papers:
        counts.update(classifier.classify(paper, curation.get(paper.id)))
    total = len(archive.papers) or 1
    for slug, n in counts.most_common():
        print(f"{slug:28} {n:6} {100 * n / total:5.1f}%")
    progress.summary(f"topics: {len(topics)} topics over {len(archive.papers)} papers")
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "generate",
        help="write the site's Markdown pages into docs/ from data/",
        description="Render data/ into the generated folders of docs/; writes only changed "
        "files and removes pages that no longer have papers.",
    )
    p.set_defaults(handler=cmd_generate)
    p = sub.add_parser(
        "build",
        help="generate pages, run mkdocs build --strict and index with Pagefind into site/",
        description="Generate docs/, build site/ with MkDocs and make it searchable with "
        "Pagefind. Offline; the same data/ always gives the same pages.",
    )
    p.set_defaults(handler=cmd_build)
    p = sub.add_parser(
        "serve",
        help="preview the site with live reload (search included)",
        description="Generate, index and serve the site, rebuilding when data/ or docs/ change.",
    )
    p.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    p.add_argument(
        "--recent",
        type=int,
        metavar="DAYS",
        help="preview only the archive's last DAYS days (fast on big archives); "
        "also ALMANAC_RECENT_DAYS",
    )
    p.set_defaults(handler=cmd_serve)
    p = sub.add_parser(
        "topics",
        help="show how many papers each topic holds, or why a paper is in its topics",
        description="Without options: papers per topic. With --explain ID: the rules that "
        "put that paper in its topics.",
    )
    p.add_argument("--explain", metavar="PAPER_ID", help="explain one paper's topics")
    p.set_defaults(handler=cmd_topics)
