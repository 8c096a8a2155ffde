"""The `almanac` command line. Works on the project in the current directory, like mkdocs."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from generator import __version__
from generator.archive import commands, fetch
from generator.errors import AlmanacError
from generator.progress import Progress
from generator.project import Project
from generator.site.buildfolder import BuildFolder
from generator.site.daycache import DayCache
from generator.wording import plural

Handler = Callable[[argparse.Namespace, Project, Progress], int]
# Where `fetch` asks by default; the dry run points it at a local fake of the API.
HF_URL_ENV = "ALMANAC_HF_URL"
ARXIV_URL_ENV = "ALMANAC_ARXIV_URL"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number >= 0: {text!r}")
    return int(text)


def _add_retries(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--retries",
        type=_count,
        default=commands.DEFAULT_RETRIES,
        metavar="N",
        help="retry a failed request N times, waiting longer each time (default: %(default)s)",
    )


def cmd_import(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    report = commands.import_inputs(
        project, args.inputs, progress, day=args.day, repair=args.repair
    )
    progress.summary(report.summary("import"))
    return 0 if report.ok else 1


def cmd_fetch(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    today = datetime.now(UTC).date()
    days = fetch.days_to_fetch(today, on=args.date, since=args.since, until=args.until)
    report = fetch.fetch_days(
        project,
        days,
        progress,
        base_url=args.base_url,
        arxiv_url=args.arxiv_url,
        retries=args.retries,
        only=args.source or (),
    )
    progress.summary(report.summary(f"fetch of {plural(len(days), 'day')}"))
    return 0 if report.ok else 1


def cmd_enrich(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    report = commands.enrich(
        project, progress, base_url=args.base_url, refresh=args.refresh, retries=args.retries
    )
    progress.summary(report.summary("enrich"))
    return 0 if report.ok else 1


def cmd_validate(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    # Through the build folder's parsed day files: the build that follows parses nothing.
    memo = DayCache(BuildFolder(project), project.papers_dir)
    count, problems = commands.validate(project, memo)
    for problem in problems:
        progress.warn(f"error: {problem}")
    progress.summary(
        f"validate: {plural(count, 'paper')} checked, {plural(len(problems), 'problem')}"
    )
    return 1 if problems else 0


def cmd_stats(args: argparse.Namespace, project: Project, progress: Progress) -> int:
    stats = commands.stats(project, progress)
    if args.by in ("day", "month"):
        counts = stats.days if args.by == "day" else stats.months
        for key, n in sorted(counts.items()):
            print(f"{key}\t{n}")
    for source, n in sorted(stats.sources.items()):
        print(f"source {source}\t{n}")
    progress.summary(
        f"stats: {plural(stats.papers, 'paper')} on {plural(len(stats.days), 'day')} "
        f"in {plural(len(stats.months), 'month')}"
    )
    return 0


def _add_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import",
        help="import saved HF or arXiv API responses, or scraped page text, into data/",
        description="Import records from files or folders: *.json are HF /api/daily_papers "
        "responses, *.xml and *.atom arXiv /api/query responses, other files scraped Daily "
        "Papers page text.",
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="PATH", help="file or folder")
    p.add_argument("--day", type=_day, help="file the papers under this day (YYYY-MM-DD)")
    p.add_argument(
        "--repair",
        action="store_true",
        help="read JSON captures whose records were saved as Python repr text, as Python "
        "literals (literals only: nothing in them can run)",
    )
    p.set_defaults(handler=cmd_import)


def _add_fetch(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "fetch",
        help="fetch days from Hugging Face Daily Papers and the arXiv feeds followed",
        description="Fetch from every source data/sources.yaml follows (without it, Hugging "
        f"Face Daily Papers). Without options: today and the {fetch.REFETCH_DAYS} days "
        "before it (upvotes and AI fields settle late). An arXiv paper's day is the day "
        "arXiv lists it.",
    )
    p.add_argument(
        "--source",
        action="append",
        metavar="NAME",
        help="fetch only this source: huggingface or an arXiv feed's name (repeatable)",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument("--date", type=_day, help="fetch this one day")
    which.add_argument("--since", type=_day, help="backfill from this day ...")
    p.add_argument("--until", type=_day, help="... to this day (default: today)")
    p.add_argument(
        "--base-url",
        default=os.environ.get(HF_URL_ENV) or commands.HF_BASE_URL,
        help=f"HF API host, for testing (default: {HF_URL_ENV} or %(default)s)",
    )
    p.add_argument(
        "--arxiv-url",
        default=os.environ.get(ARXIV_URL_ENV) or commands.ARXIV_BASE_URL,
        help=f"arXiv API host, for testing (default: {ARXIV_URL_ENV} or %(default)s)",
    )
    _add_retries(p)
    p.set_defaults(handler=cmd_fetch)


def _add_enrich(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "enrich",
        help="add arXiv categories, comment, journal ref and DOI",
        description="Ask the arXiv API (many ids per request, 3 s apart) about archived "
        "papers with an arXiv id and no category yet.",
    )
    p.add_argument("--refresh", action="store_true", help="ask again about every paper")
    p.add_argument("--base-url", default=commands.ARXIV_BASE_URL, help="API host (for testing)")
    _add_retries(p)
    p.set_defaults(handler=cmd_enrich)


def _add_checks(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "validate",
        help="check all of data/ and report every problem",
        description="Check every day file, topics.yaml and curation.yaml; one line per "
        "problem with file, paper and field. Exit 1 if there is any.",
    )
    p.set_defaults(handler=cmd_validate)
    p = sub.add_parser("stats", help="counts by day, month and source")
    p.add_argument("--by", choices=("day", "month", "none"), default="month")
    p.set_defaults(handler=cmd_stats)


def _add_site(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from generator.site import commands as site_commands

    site_commands.add_commands(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="almanac",
        description="Paper Almanac: keep a curated archive of research papers in data/ "
        "and publish it as a searchable static site.",
    )
    parser.add_argument("--version", action="version", version=f"almanac {__version__}")
    parser.add_argument(
        "-C",
        "--project",
        type=Path,
        default=Path.cwd(),
        help="the project folder (default: the current directory)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors and summary")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_import, _add_fetch, _add_enrich, _add_checks, _add_site):
        add(sub)
    for command in sub.choices.values():
        # People type `almanac build --quiet` as often as `almanac --quiet build`.
        command.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            default=argparse.SUPPRESS,
            help="only errors and summary",
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    project = Project(args.project.resolve())
    progress = Progress(quiet=args.quiet)
    handler: Handler = args.handler
    try:
        return handler(args, project, progress)
    except AlmanacError as exc:
        progress.warn(f"almanac {args.command}: error: {exc}")
        return 1
    except KeyboardInterrupt:
        progress.warn(f"almanac {args.command}: interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
