"""The site commands of the CLI: generate, build, serve, topics."""

from __future__ import annotations

import argparse

from generator.errors import AlmanacError
from generator.progress import Progress
from generator.project import Project
from generator.site.mkdocs_glue import DEFAULT_DEV_ADDR, DevAddr
from generator.wording import plural


def cmd_generate(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from generator.site.build import generate_only

    report = generate_only(project, progress)
    progress.summary(f"generate: {report}")
    return 0


def cmd_build(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from generator.site.build import build_site

    build_site(project, progress)
    return 0


def cmd_serve(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    from generator.site.build import serve

    # Read here, not as an argparse type, so a bad address is one line like other errors.
    addr = DevAddr.parse(args.dev_addr)
    serve(project, progress, dev_addr=str(addr), recent_days=args.recent)
    return 0


def cmd_topics(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    """Papers per topic as the site shows them (hidden papers out, curation applied, under
    old ids too), or which rules put one paper in its topics."""
    from generator.memory import collector_held
    from generator.site import load
    from generator.site.buildfolder import BuildFolder
    from generator.site.classify import Classifier

    with collector_held():  # as a build reads the archive (generate.py)
        loaded = load.load(project, BuildFolder(project))
    archive = loaded.archive
    if args.explain:
        current = loaded.inputs.data.current_ids()
        paper_id = current.get(args.explain, args.explain)
        entry = archive.entries.get(paper_id)
        if entry is None:
            known = paper_id in loaded.inputs.data.by_id()
            where = "is hidden by data/curation.yaml" if known else "is not in data/"
            raise AlmanacError(f"paper {args.explain!r} {where}")
        classifier = Classifier(loaded.inputs.topics)
        print(f"{entry.id}: {entry.paper.title}")
        for line in classifier.explain(entry.paper, loaded.inputs.curation.get(entry.id)):
            print(f"  {line}")
        return 0
    total = archive.total or 1
    counts = sorted(
        (
            (len(archive.by_topic[t.slug]), t.slug)
            for t in archive.topics
            if archive.by_topic[t.slug]
        ),
        key=lambda c: (-c[0], c[1]),
    )
    for n, slug in counts:
        print(f"{slug:28} {n:6} {100 * n / total:5.1f}%")
    progress.summary(
        f"topics: {plural(len(loaded.inputs.topics), 'topic')} over "
        f"{plural(archive.total, 'paper')} shown"
    )
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
        help="generate pages and the search index, and build site/ with mkdocs build --strict",
        description="Generate docs/ and the search index, and build site/ with MkDocs. "
        "Offline; the same data/ always gives the same pages.",
    )
    p.set_defaults(handler=cmd_build)
    p = sub.add_parser(
        "serve",
        help="preview the site with live reload (search included)",
        description="Generate, index and serve the site, rebuilding when data/ or docs/ change.",
    )
    p.add_argument(
        "-a",
        "--dev-addr",
        default=DEFAULT_DEV_ADDR,
        metavar="HOST:PORT",
        help="address to serve on, as mkdocs serve takes it (default: %(default)s)",
    )
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
