"""Fuzz every parser of outside input for a fixed time: only our own errors may escape.

    python -m tools.fuzz [--seconds 60] [--engine auto|atheris|hypothesis] [TARGET ...]

Targets: hf_json (HF daily_papers JSON), hf_repr (the same with records saved as Python
repr text, read by `import --repair`), scraped (Daily Papers page text), arxiv (arXiv
Atom, read for enrichment), arxiv_feed (arXiv Atom, read as papers), store (day-file
YAML), topics (topics.yaml and curation.yaml). Each gets an equal share of the time. A
parser may answer an input with papers or with SourceError /
RecordError; anything else (any other exception, a hang, a paper that does not come back
the same from the store) is a crash: the input is saved in fuzz-crashes/ and the exit
code is 1.

With atheris installed (coverage-guided libFuzzer), each target runs in a process of its
own, starting from the real inputs in tests/ and ../shared. Without it, hypothesis
generates structured inputs, raw bytes and mutations of the same seeds until the time
is up.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

REPO = Path(__file__).resolve().parents[1]
CRASHES = REPO / "fuzz-crashes"
DAY = date(2026, 1, 6)
MAX_SEED = 256 * 1024


class FuzzFailure(Exception):
    """An invariant broke: the input crashed a parser or the store changed its output."""


def _round_trip(papers: Sequence[object]) -> None:
    """Papers a parser accepted must come back from a day file exactly as they went in."""
    from generator.archive import store
    from generator.models import Paper

    by_day: dict[date, list[Paper]] = {}
    for paper in papers:
        if not isinstance(paper, Paper):
            raise FuzzFailure(f"parser returned {type(paper).__name__}, not a Paper")
        by_day.setdefault(paper.day, []).append(paper)
    for day, batch in by_day.items():
        text = store.dump_day(day, batch)
        back, problems = store.read_day(store.parse_yaml(text, "fuzz.yaml"), "fuzz.yaml", day)
        if problems:
            raise FuzzFailure(f"the store refused a day file it wrote: {problems[0]}")
        if sorted(back, key=lambda p: p.id) != sorted(batch, key=lambda p: p.id):
            raise FuzzFailure("a paper did not come back from the store the same")


def target_hf_json(data: bytes) -> None:
    from generator.archive.sources import hf_json

    _round_trip(hf_json.parse(hf_json.loads(data, "fuzz.json"), "fuzz.json", day=DAY).papers)


def target_hf_repr(data: bytes) -> None:
    from generator.archive.sources import hf_json

    _round_trip(hf_json.parse_raw(data, "fuzz.json", day=DAY, repair=True).papers)


def target_scraped(data: bytes) -> None:
    from generator.archive.sources import scraped

    _round_trip(scraped.parse(data.decode("utf-8", "replace"), "fuzz.txt").papers)


def target_arxiv(data: bytes) -> None:
    from generator.archive.sources import arxiv

    found = arxiv.parse_atom(data.decode("utf-8", "replace"), "fuzz.xml")
    if not all(isinstance(meta, arxiv.ArxivMeta) for meta in found.values()):
        raise FuzzFailure("parse_atom returned something that is not ArxivMeta")


def target_arxiv_feed(data: bytes) -> None:
    from generator.archive.sources import arxiv_atom

    result = arxiv_atom.parse(data.decode("utf-8", "replace"), "fuzz.atom")
    _round_trip(result.papers)


def target_store(data: bytes) -> None:
    from generator.archive import store

    parsed = store.parse_yaml(data.decode("utf-8", "replace"), "f.yaml")
    papers, _bad_records = store.read_day(parsed, "f", None)
    _round_trip(papers)


def target_topics(data: bytes) -> None:
    from generator.archive import store
    from generator.archive.hand_edited import parse_curation, topic_entries
    from generator.errors import RecordError

    parsed = store.parse_yaml(data.decode("utf-8", "replace"), "fuzz.yaml")

    try:
        topics, _bad_topics = topic_entries(parsed, "topics.yaml")
    except RecordError:
        topics = []
    parse_curation(parsed, "curation.yaml", {t.slug for t in topics} | {"agents"})


TARGETS: dict[str, Callable[[bytes], None]] = {
    "hf_json": target_hf_json,
    "hf_repr": target_hf_repr,
    "scraped": target_scraped,
    "arxiv": target_arxiv,
    "arxiv_feed": target_arxiv_feed,
    "store": target_store,
    "topics": target_topics,
}


def run_one(name: str, data: bytes) -> None:
    """One input through one target; raises FuzzFailure on anything but our own errors."""
    from generator.errors import RecordError, SourceError

    try:
        TARGETS[name](data)
    except (SourceError, RecordError):
        pass
    except FuzzFailure:
        raise
    except Exception as exc:  # anything else is what we look for
        raise FuzzFailure(f"{type(exc).__name__}: {exc}") from exc


# --- seeds ----------------------------------------------------------------------------------


def seeds(name: str) -> list[bytes]:
    """Real inputs of the target's format to start from (small ones, a few of each)."""
    shared = REPO.parent / "shared"
    globs = {
        "hf_json": [
            REPO / "tests/fixtures/hf_api",
            REPO / "tests/sources/fixtures",
            shared / "hf-daily",
        ],
        "scraped": [shared / "seeds"],
        "arxiv": [REPO / "tests/sources/fixtures"],
        "arxiv_feed": [REPO / "tests/fixtures/arxiv"],
        "store": [REPO / "tests/fixtures/archive/data/papers", REPO / "data/papers"],
        "topics": [REPO / "data", REPO / "tests/fixtures/archive/data"],
    }
    if name == "hf_repr":  # the JSON seeds as the repr captures found in the wild
        return [_as_repr(seed) for seed in seeds("hf_json")]
    suffixes = {"hf_json": ".json", "scraped": ".txt", "arxiv": ".xml", "arxiv_feed": ".atom"}
    suffix = suffixes.get(name, ".yaml")
    found: list[bytes] = []
    for folder in globs[name]:
        if folder.is_dir():
            for path in sorted(folder.rglob(f"*{suffix}"))[:6]:
                if path.stat().st_size <= MAX_SEED:
                    found.append(path.read_bytes())
    return found or [b""]


def _as_repr(seed: bytes) -> bytes:
    """A JSON list's records as Python repr strings (anything else as one repr)."""
    try:
        value = json.loads(seed)
    except ValueError:
        return seed
    if isinstance(value, list):
        return json.dumps([repr(item) for item in value]).encode()
    return repr(value).encode()


def save_crash(name: str, data: bytes, why: str) -> Path:
    CRASHES.mkdir(exist_ok=True)
    path = CRASHES / f"{name}-{hashlib.sha256(data).hexdigest()[:16]}.bin"
    path.write_bytes(data)
    print(f"CRASH {name}: {why}\n  input saved in {path}", file=sys.stderr)
    return path


# --- hypothesis engine ----------------------------------------------------------------------


def _hypothesis_round(name: str, until: float, counter: list[int]) -> None:
    from hypothesis import HealthCheck, Phase, given, settings

    strategy = _inputs(name)

    @settings(
        max_examples=50,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def check(data: bytes) -> None:
        if time.monotonic() >= until:
            return  # out of time: the rest of the round passes at once
        counter[0] += 1
        try:
            run_one(name, data)
        except FuzzFailure as exc:
            exc.fuzz_input = data  # type: ignore[attr-defined]
            raise

    check()


def _inputs(name: str) -> SearchStrategy[bytes]:
    """Raw bytes, structured inputs of the target's format, and mutated real inputs."""
    from hypothesis import strategies as hs

    text = hs.text(hs.characters(codec="utf-8"), max_size=80)
    json_values = hs.recursive(
        hs.none() | hs.booleans() | hs.integers() | hs.floats() | text,
        lambda inner: hs.lists(inner, max_size=4) | hs.dictionaries(text, inner, max_size=4),
        max_leaves=20,
    )
    structured = {
        "hf_json": hs.lists(
            hs.fixed_dictionaries(
                {"paper": hs.dictionaries(hs.sampled_from(_HF_KEYS), json_values, max_size=8)},
                optional={"title": json_values, "thumbnail": json_values},
            ),
            max_size=4,
        ).map(lambda v: json.dumps(v).encode()),
        "hf_repr": hs.lists(json_values, max_size=4).map(
            lambda v: json.dumps([repr(item) for item in v]).encode()
        )
        | json_values.map(lambda v: repr(v).encode()),
        "scraped": hs.lists(hs.sampled_from(_PAGE_LINES) | text, min_size=1, max_size=30).map(
            lambda lines: "\n".join(lines).encode()
        ),
        "arxiv": hs.lists(hs.tuples(text, text, text), max_size=4).map(_atom),
        "arxiv_feed": hs.lists(
            hs.tuples(hs.sampled_from(_ENTRY_IDS) | text, hs.sampled_from(_STAMPS) | text, text),
            max_size=4,
        ).map(_atom_feed),
        "store": json_values.map(_yaml_of),
        "topics": json_values.map(_yaml_of),
    }[name]
    real = seeds(name)
    mutations = hs.tuples(
        hs.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]),
        hs.floats(0, 1),
        hs.binary(min_size=1, max_size=8),
    )
    mutated = hs.tuples(hs.sampled_from(real), hs.lists(mutations, max_size=6)).map(
        lambda pair: _mutate(*pair)
    )
    return hs.one_of(hs.binary(max_size=400), structured, mutated, mutated)


_HF_KEYS = [
    "id", "title", "summary", "authors", "publishedAt", "submittedOnDailyAt", "upvotes",
    "githubRepo", "projectPage", "ai_summary", "ai_keywords", "organization",
    "submittedOnDailyBy", "numComments", "githubStars",
]  # fmt: skip
_PAGE_LINES = ["", "Jan 6", "Feb 29", "·", "  • 3 authors", "May 17, 2025 3", "Oct 1, 2024"]


def _atom(entries: list[tuple[str, str, str]]) -> bytes:
    from xml.sax.saxutils import escape, quoteattr

    body = "".join(
        f"<entry><id>{escape(i)}</id><arxiv:primary_category term={quoteattr(c)}/>"
        f"<arxiv:comment>{escape(t)}</arxiv:comment></entry>"
        for i, c, t in entries
    )
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"{body}</feed>"
    ).encode()


_ENTRY_IDS = [
    "http://arxiv.org/abs/2601.00001v1", "http://arxiv.org/abs/hep-th/0601001v2",
    "https://arxiv.org/abs/2601.1v", "http://arxiv.org/api/errors#bad", "2601.00001",
]  # fmt: skip
_STAMPS = ["2026-01-05T17:02:11Z", "2026-01-09T19:00:00-05:00", "2026-13-01T00:00:00Z", "0"]


def _atom_feed(entries: list[tuple[str, str, str]]) -> bytes:
    from xml.sax.saxutils import escape

    body = "".join(
        f"<entry><id>{escape(i)}</id><published>{escape(p)}</published>"
        f"<title>{escape(t)}</title><author><name>{escape(t[:9])}</name></author></entry>"
        for i, p, t in entries
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom">{body}</feed>'.encode()


def _yaml_of(value: object) -> bytes:
    import yaml

    doc = {"day": "2026-01-06", "papers": [value], "topics": [value]}
    return yaml.safe_dump(doc, allow_unicode=True).encode()


def _mutate(seed: bytes, ops: list[tuple[str, float, bytes]]) -> bytes:
    data = bytearray(seed)
    for op, where, noise in ops:
        at = int(where * len(data))
        if op == "flip" and data:
            data[min(at, len(data) - 1)] ^= noise[0] or 1
        elif op == "insert":
            data[at:at] = noise
        elif op == "delete":
            del data[at : at + noise[0] % 64 + 1]
        elif op == "truncate":
            del data[at:]
        elif op == "repeat":
            data[at:at] = data[at : at + noise[0] % 64 + 1] * 3
    return bytes(data)


def fuzz_with_hypothesis(name: str, seconds: float) -> tuple[int, bool]:
    until = time.monotonic() + seconds
    counter = [0]
    while time.monotonic() < until:
        try:
            _hypothesis_round(name, until, counter)
        except Exception as exc:  # hypothesis re-raises the minimal one
            failure = _failure_of(exc)
            if failure is None:
                raise
            save_crash(name, failure[1], failure[0])
            return counter[0], False
    return counter[0], True


def _failure_of(exc: BaseException) -> tuple[str, bytes] | None:
    """The message and input of a FuzzFailure hypothesis raised (possibly in a group)."""
    stack = [exc]
    while stack:
        error = stack.pop()
        if isinstance(error, FuzzFailure):
            return str(error), getattr(error, "fuzz_input", b"")
        stack += list(getattr(error, "exceptions", []))
    return None


# --- atheris engine -------------------------------------------------------------------------


def atheris_available() -> bool:
    try:
        import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


def fuzz_with_atheris_child(name: str, seconds: float, corpus: Path) -> None:
    """In this process: instrument the generator and let libFuzzer run (it exits itself)."""
    import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]

    with atheris.instrument_imports(include=["generator"]):
        pass

    def one_input(data: bytes) -> None:
        run_one(name, data)  # a FuzzFailure ends the run; libFuzzer saves the input

    argv = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={max(int(seconds), 1)}",
        "-timeout=10",
        "-rss_limit_mb=2048",
        "-max_len=65536",
        f"-artifact_prefix={corpus.parent / 'artifacts'}/{name}-",
        "-print_final_stats=1",
    ]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


def fuzz_with_atheris(name: str, seconds: float) -> tuple[int, bool]:
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{name}-") as folder:
        corpus = Path(folder) / "corpus"
        artifacts = Path(folder) / "artifacts"
        corpus.mkdir()
        artifacts.mkdir()
        for n, seed in enumerate(seeds(name)):
            (corpus / f"seed{n}").write_bytes(seed)
        args = [sys.executable, "-m", "tools.fuzz", "--child", name, "--seconds", str(seconds)]
        done = subprocess.run(
            [*args, "--corpus", str(corpus)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        for artifact in sorted(artifacts.iterdir()):
            save_crash(name, artifact.read_bytes(), f"libFuzzer artifact {artifact.name}")
    runs = 0
    for line in done.stderr.splitlines():
        if line.startswith("stat::number_of_executed_units:"):
            runs = int(line.split(":")[-1])
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
    return runs, done.returncode == 0


# --- main -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.fuzz",
        description="Fuzz every parser of outside input; only our own errors may escape.",
    )
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=", ".join(TARGETS))
    parser.add_argument("--seconds", type=float, default=60.0, help="total budget (default 60)")
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        fuzz_with_atheris_child(args.child, args.seconds, args.corpus)
        return 0
    names = args.targets or list(TARGETS)
    unknown = sorted(set(names) - set(TARGETS))
    if unknown:
        parser.error(f"unknown target {unknown[0]!r} (choose from {', '.join(TARGETS)})")
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if atheris_available() else "hypothesis"
    share = args.seconds / len(names)
    ok = True
    for name in names:
        started = time.monotonic()
        fuzz = fuzz_with_atheris if engine == "atheris" else fuzz_with_hypothesis
        runs, passed = fuzz(name, share)
        ok &= passed
        took = time.monotonic() - started
        verdict = "ok" if passed else "CRASH"
        print(f"fuzz {name}: {runs} inputs in {took:.0f} s ({engine}): {verdict}", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
