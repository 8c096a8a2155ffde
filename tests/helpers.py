"""Helpers shared by tests (importable as `helpers`; tests/ is on pythonpath)."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.models import Links, Paper
from generator.progress import Progress
from generator.project import Project
from generator.site.render.api import VERSION
from generator.site.render.bibtex import year
from generator.site.render.html import strip_controls
from generator.site.render.tex import plain

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "archive"
SCHEMA_FILE = REPO / "docs" / "api" / f"schema-v{VERSION}.json"

# The Progress every test hands the code under test: only warnings and summaries, to
# whatever sys.stdout and sys.stderr are when each line is printed (pytest captures them).
# Progress keeps nothing between calls, so one is shared; a test that reads what was
# written makes its own, with its own `err`.
QUIET = Progress(quiet=True)


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
    from generator.archive.sources.http import Client

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


def day_bytes(project: Project) -> dict[str, bytes]:
    """Every day file of the archive with its bytes (paths from the project's root)."""
    return {
        str(p.relative_to(project.root)): p.read_bytes()
        for p in sorted(project.papers_dir.rglob("*.yaml"))
    }


class AllOther:
    """A topic classifier that puts every paper in "other"."""

    def classify(self, paper: Paper, curation: object) -> tuple[str, ...]:
        return ("other",)


def lookup(files: Mapping[str, str | bytes], key: str) -> list[int]:
    """What the search page does in a segment of the catalog: the bucket of the longest
    prefix, then the key in it; the papers' numbers in the whole archive."""
    index = json.loads(files["index.json"])
    prefixes = [p for p in index["buckets"] if key.startswith(p)]
    if not prefixes:
        return []
    bucket = json.loads(files[f"keys/{max(prefixes, key=len).encode().hex()}.json"])
    numbers, at = [], index["first"]
    for delta in bucket.get(key, []):
        at += delta
        numbers.append(at)
    return numbers


def docs_files(archive: Any, site_url: str) -> dict[str, str | bytes]:
    """docs/ path -> text of every generated file but the JSON API's, made at once through
    the jobs generation runs one at a time; raises on a path that two files share."""
    from generator.site.related import compute, entries_of
    from generator.site.render import Keys, docs_jobs
    from generator.site.render.catalog import ordered
    from generator.site.write import gather

    related = entries_of(archive, compute([entry.paper for entry in ordered(archive)]))
    return gather((job.path, job.make()) for job in docs_jobs(archive, site_url, Keys(), related))


def manifest_files(archive: Any) -> dict[str, str]:
    """The search manifest, as its tree holds it."""
    from generator.site.render import catalog, search_manifest, wordindex
    from generator.site.render.search import MANIFEST

    words = [tree for tree, _ in wordindex.segments(archive)]
    catalogs = [tree for tree, _ in catalog.segments(archive)]
    return {MANIFEST: search_manifest(archive, words, catalogs)}


def api_files(archive: Any, site_url: str) -> dict[str, bytes]:
    """docs/ path -> bytes of every file of the JSON API, through its jobs."""
    from generator.site.render import keys_for
    from generator.site.render.api import api_jobs

    jobs = api_jobs(archive, site_url, keys_for(archive, site_url))
    return {job.path: as_bytes(job.make()) for job in jobs}


def as_bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def render_all(archive: Any) -> tuple[dict[str, str | bytes], dict[str, str]]:
    """Every generated docs/ file (but the JSON API's) and the search manifest, made at
    once through the real renderers, as generation would write them."""
    from generator.site.siteconf import DEFAULT_SITE_URL

    return docs_files(archive, DEFAULT_SITE_URL), manifest_files(archive)


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


# --- The site, built for real (generation, the search trees and mkdocs) ------------------


def make_site_project(root: Path, data: Path = FIXTURE / "data") -> Project:
    """A project folder holding the repository's site setup and the given data/."""
    from generator.site.render.urls import GENERATED_DOCS

    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(data, root / "data")
    shutil.copytree(
        REPO / "docs",
        root / "docs",
        ignore=lambda folder, names: (
            [n for n in names if Path(folder) == REPO / "docs" and n in GENERATED_DOCS]
            + ["screenshots"]
        ),
    )
    (root / "generator").symlink_to(REPO / "generator", target_is_directory=True)
    return Project(root)


def build_fixture_site(root: Path) -> tuple[Project, float]:
    """The fixture archive's site, built in a new project at root; and the seconds it took."""
    from generator.site.build import build_site

    project = make_site_project(root)
    began = time.perf_counter()
    build_site(project, QUIET)
    return project, time.perf_counter() - began


# --- RIS, as a reference manager reads it (rispy) -------------------------------------


def folded(text: str) -> str:
    return " ".join(strip_controls(text).split())


def _lowercase(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and letters[0].islower()


def last_first(name: str) -> str:
    """What the RIS file should say for an author, from BibTeX's definition of "First von
    Last": von runs from the first to the last lowercase word before the last word, the
    surname is von and the rest. A name with a comma, or of one word, is kept as it is;
    a name typed all from a lowercase word ("li yuan") has its last word as surname."""
    name = folded(name)
    words = name.split()
    if "," in name or len(words) < 2:
        return name
    von = [i for i, w in enumerate(words[:-1]) if _lowercase(w)]
    start = von[0] if von and von[0] > 0 else len(words) - 1
    return ", ".join([" ".join(words[start:]), " ".join(words[:start])])


def check_ris_record(found: dict[str, object], paper: Paper) -> None:
    assert found["id"] == paper.id
    assert found["title"] == folded(plain(paper.title))
    names = [folded(a) for a in paper.authors if folded(a)]
    got = found.get("authors", [])
    assert got == [last_first(a) for a in names]
    assert isinstance(got, list)
    for name, written in zip(names, got, strict=True):
        check_name(name, written)
    assert found["year"] == str(year(paper))
    url = paper.links.arxiv or paper.links.hf or paper.links.project
    assert found.get("urls", [None])[0] == url  # type: ignore[index]
    assert found.get("doi") == (folded(paper.doi) if paper.doi else None)
    if paper.is_arxiv:
        assert found["accession_number"] == f"arXiv:{paper.id}"


def check_name(name: str, written: str) -> None:
    """`written` says `name`, as "Last, First": the same words, turned at one place, and
    one comma; a name of one word, or with its own comma, as it was."""
    if "," in name or " " not in name:
        assert written == name
        return
    assert written.count(",") == 1
    surname, given = written.split(", ")
    assert surname and given
    assert f"{given} {surname}" == name
    first = surname.split(" ")[0]
    # The surname is the last word, or starts at a particle (a lowercase word).
    assert surname.split(" ")[-1] == name.split(" ")[-1]
    assert " " not in surname or _lowercase(first)


# --- writing generated trees --------------------------------------------------------------


def write_tree(root: Path, files: Any, owned: Any) -> Any:
    """Make the `owned` entries of `root` hold exactly `files` (relative path -> text or
    bytes), written in sorted order through the generator's TreeWriter."""
    from generator.site.write import TreeWriter

    writer = TreeWriter(root, owned)
    put_all(writer, ((rel, files[rel]) for rel in sorted(files)))
    return writer.finish()


def put_all(writer: Any, files: Any) -> None:
    for rel, content in files:
        writer.put(rel, content)


def classify_all(classifier: Any, papers: Any, curation: Any) -> dict[str, tuple[str, ...]]:
    """Topics of every paper, by paper id, as the build asks the classifier one by one."""
    return {p.id: classifier.classify(p, curation.get(p.id)) for p in papers}


def save_day(project: Project, day: date, papers: Any) -> bool:
    """Write one day file (atomically, only if its bytes change); True if it was written."""
    from generator.archive import store

    return bool(store.save_days(project, {day: list(papers)}))


def parse_day(data: object, shown: str, day: date | None) -> list[Paper]:
    """The papers of a safe-loaded day file; its first problem raises."""
    from generator.archive import store

    papers, problems = store.read_day(data, shown, day)
    if problems:
        raise problems[0]
    return papers


def parse_topics(data: object, path: str) -> list[Any]:
    """The taxonomy of a safe-loaded topics.yaml; its first problem raises."""
    from generator.archive.hand_edited import topic_entries

    topics, problems = topic_entries(data, path)
    if problems:
        raise problems[0]
    return topics


# --- the word index (render/wordindex.py), read back as the search page reads it ---------


def word_chunks(files: Mapping[str, bytes], term: str) -> list[tuple[int, int, Any]] | None:
    """A term's chunks as (size, best impact, pairs), pairs read from the packs, or None
    when the index does not have the term."""
    import gzip

    from bench.search_designs import decode_postings, read_varint
    from generator.site.render.wordindex import fnv1a

    meta = json.loads(files["meta.json"])
    bucket = gzip.decompress(files[f"d/{fnv1a(term) % meta['buckets']}.bin"])
    at = 0
    while at < len(bucket):
        size, at = read_varint(bucket, at)
        key, at = bucket[at : at + size].decode(), at + size
        _total, at = read_varint(bucket, at)
        count, at = read_varint(bucket, at)
        chunks: list[tuple[int, int, Any]] = []
        for k in range(count):
            papers, at = read_varint(bucket, at)
            best, at = bucket[at], at + 1
            if k == 0:
                pairs, at = decode_postings(bucket, at)
                chunks.append((papers, best, pairs))
                continue
            pack, at = read_varint(bucket, at)
            offset, at = read_varint(bucket, at)
            _length, at = read_varint(bucket, at)
            data = gzip.decompress(files[f"c/{pack}.bin"])
            chunks.append((papers, best, decode_postings(data, offset)[0]))
        if key == term:
            return chunks
    return None


def merged_chunks(
    segments: Sequence[Mapping[str, bytes]], term: str
) -> list[tuple[int, int, Any]] | None:
    """A term's chunks from every segment, best first (each segment's are already)."""
    found = [c for files in segments for c in (word_chunks(files, term) or [])]
    return sorted(found, key=lambda chunk: -chunk[1]) if found else None


def best_first_search(
    segments: Sequence[Mapping[str, bytes]], query: str, k: int = 10
) -> tuple[list[int], int]:
    """The k best papers that have every word of `query` (by summed impact, ties by
    number), read chunk by chunk as the search page does: stops when no paper can still
    reach the k-th. Returns the papers and how many chunks were read."""
    from generator.site.render.wordindex import terms

    wanted = list(dict.fromkeys(terms(query)))
    found = [merged_chunks(segments, t) for t in wanted]
    lists = [chunks for chunks in found if chunks is not None]
    if not wanted or len(lists) < len(wanted):
        return [], 0
    seen: dict[int, dict[int, int]] = {}
    taken = [0] * len(wanted)
    read = 0
    while True:
        left = [c[taken[i]][1] if taken[i] < len(c) else 0 for i, c in enumerate(lists)]
        full = sorted((-sum(v.values()), p) for p, v in seen.items() if len(v) == len(wanted))
        bound = sum(left) if all(left) else 0
        for v in seen.values():
            missing = [i for i in range(len(wanted)) if i not in v]
            if missing and all(left[i] for i in missing):
                bound = max(bound, sum(v.values()) + sum(left[i] for i in missing))
        # Strictly above: a paper not seen yet could tie the k-th and come first by number.
        if bound == 0 or (len(full) >= k and -full[k - 1][0] > bound):
            return [p for _, p in full[:k]], read
        for i, chunks in enumerate(lists):
            if left[i]:
                for number, impact in chunks[taken[i]][2]:
                    seen.setdefault(number, {})[i] = impact
                taken[i] += 1
                read += 1


def exhaustive_search(
    segments: Sequence[Mapping[str, bytes]], query: str, k: int = 10
) -> list[int]:
    """The same ranking from every chunk of every word: what best_first_search must find."""
    from generator.site.render.wordindex import terms

    wanted = list(dict.fromkeys(terms(query)))
    found: list[dict[int, int]] = []
    for term in wanted:
        chunks = merged_chunks(segments, term)
        if chunks is None:
            return []
        found.append({n: i for _, _, pairs in chunks for n, i in pairs})
    if not found:
        return []
    common = set(found[0]).intersection(*found[1:])
    return sorted(common, key=lambda p: (-sum(f[p] for f in found), p))[:k]
