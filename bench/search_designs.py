"""Issue 31: whole-archive word search, three designs side by side on the same archives.

    python -m bench.search_designs --papers 10000,30000 --work /work/tmp_31/designs

For each archive size, on one synthetic archive of real text (bench/workspace.py, seed 1),
built once with today's generator:

- `today`: the site as built (per-paper Pagefind records in quarterly shards, the catalog
  of titles, ids and authors), searched through its own search page in Chromium. Its
  index CPU is Pagefind over the same records the generator writes, shard by shard.
- `A-day` / `A-month`: Pagefind over one HTML page per day (or per month) in which every
  paper is an `<h3 id="p-ID">` followed by its authors, summary, abstract and keywords, so
  that a page's result carries one sub-result per paper. Searched in Chromium by a small
  harness page (bench/search_designs/pagefind.html): Pagefind's pages in its order, each
  page's data() loaded until ten papers are shown; a paper counts when its section holds
  every query word. `A-*-flat` keeps Pagefind's page order and each page's document order,
  `A-*-scored` (same downloads) re-ranks the loaded sections by their summed
  `balanced_score`.
- `B`: a custom inverted index of the whole archive (the class `WordIndex`): per word
  (lower-cased, plural "s" stemmed), its papers best-first by a BM25 impact, in chunks of
  growing size; words hashed into dictionary buckets that hold each word's first chunk; the
  later chunks packed into files. Its client is simulated exactly in Python (`Client`: which
  files, their sizes as served); its time to first results is the replay of those fetches,
  round by round, in Chromium (bench/search_designs/replay.html).

Queries: WORD_QUERIES; the "remembered words" test (REMEMBERED papers drawn with SEED, half
from the oldest third of the archive and half from the newest, each searched by three words
of its abstract that 5-300 papers use and its title lacks); exact titles (bench/search.py's
draw). Results go to bench/SEARCH-DESIGNS.md and WORK/results.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import measure
from bench.browser import CHROMIUM, CHROMIUM_ARGS, serve_site
from bench.pagefind_records import TOP, body_parts, prune_extras, search_records, shard_days
from generator.project import Project
from generator.site.arranged import Archive, Entry
from generator.site.render.catalog import CHUNK as CATALOG_CHUNK
from generator.site.render.catalog import ordered, words
from generator.site.render.html import esc, prose
from generator.site.render.search import SEARCH_FOLDER
from generator.site.render.tex import plain
from generator.site.render.urls import paper_url
from generator.site.render.wordindex import (
    Stats,
    fnv1a,
    postings,
    terms,
    varint,
    varints_of,
)

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "search_designs"
REPO = HERE.parent
SEED = 31
REMEMBERED = 40
WORD_QUERIES = [
    "diffusion",
    "hallucination",
    "gaussian splatting",
    "reinforcement learning reward",
    "video generation benchmark",
    "agent",
    "reward model",
    "retrieval augmented generation",
    "mixture of experts",
    "speech",
    "robot manipulation",
    "chain of thought reasoning",
    "text to image",
    "long context",
]
RESULTS = 10
GZIP_LEVEL = 6  # as bench/browser.py serves HTML, JS and JSON
DESIGNS_DIR = "_designs"  # inside the built site, so one server serves every design


# --- the archive and its queries ---------------------------------------------------------


def load_archive(project: Project) -> Archive:
    from generator.site import load as inputs
    from generator.site.buildfolder import BuildFolder

    return inputs.load(project, BuildFolder(project)).archive


def prepared(root: Path, papers: int) -> Project:
    """The archive at `root`, built by today's generator (kept from an earlier run)."""
    from bench.workspace import make_project
    from generator.progress import Progress
    from generator.site.build import build_site

    if (root / "site" / "search" / "index.html").is_file():
        return Project(root)
    project = make_project(root, papers)
    build_site(project, Progress(quiet=True))
    return project


def prepared_light(root: Path, papers: int) -> Project:
    """The archive at `root` without a site: only the catalog the search page would have
    (design B shows its results from the catalog's chunks)."""
    from bench.workspace import make_project
    from generator.site.render.catalog import FOLDER, catalog_files

    project = Project(root) if (root / "data").is_dir() else make_project(root, papers)
    folder = project.site / SEARCH_FOLDER / FOLDER
    if not (folder / "index.json").is_file():
        for rel, text in catalog_files(load_archive(project)).items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return project


@dataclass
class Queries:
    words: list[str]
    remembered: list[tuple[str, str, str]]  # (query, paper id, "old" or "new")
    titles: list[tuple[str, str]]  # (title, paper id)


def draw_queries(entries: Sequence[Entry]) -> Queries:
    """The word queries, the remembered-words queries and the exact titles, by SEED."""
    df: Counter[str] = Counter()
    abstract_words = []
    for entry in entries:
        own = {w for w in words(entry.paper.abstract or "") if w.isalpha() and len(w) > 3}
        abstract_words.append(own)
        df.update(own)
    third = len(entries) // 3
    rng = random.Random(SEED)
    remembered = []
    for age, pool in (("old", range(third)), ("new", range(len(entries) - third, len(entries)))):
        picked = 0
        for i in rng.sample(list(pool), len(pool)):
            title = set(words(plain(entries[i].paper.title)))
            fit = sorted(w for w in abstract_words[i] if 5 <= df[w] <= 300 and w not in title)
            if len(fit) < 3:
                continue
            remembered.append((" ".join(rng.sample(fit, 3)), entries[i].id, age))
            picked += 1
            if picked == REMEMBERED // 2:
                break
    count = Counter(e.paper.title.casefold() for e in entries)
    unique = sorted((e.paper.title, e.id) for e in entries if count[e.paper.title.casefold()] == 1)
    titles = random.Random(SEED).sample(unique, min(REMEMBERED, len(unique)))
    return Queries(list(WORD_QUERIES), remembered, titles)


# --- measuring a child process's CPU --------------------------------------------------------


def child_cpu(command: Sequence[str]) -> float:
    """user+sys seconds of `command` (and its waited-for children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def pagefind(site: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    return child_cpu(
        [
            sys.executable,
            "-m",
            "pagefind_bin",
            "--site",
            str(site),
            "--output-path",
            str(out),
            "--force-language",
            "en",
            "--quiet",
        ]
    )


def tree_size(folder: Path, skip: Iterable[str] = ()) -> tuple[int, int]:
    """(files, bytes) under `folder`, top-level folders in `skip` left out."""
    files = size = 0
    for path in folder.rglob("*"):
        if path.is_file() and path.relative_to(folder).parts[0] not in skip:
            files += 1
            size += path.stat().st_size
    return files, size


def scratch(work: Path, name: str) -> Path:
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else work
    folder = base / f"almanac-designs-{os.getpid()}-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


# --- today: per-paper records in quarterly shards ----------------------------------------------


def today_index(archive: Archive, site: Path, work: Path) -> dict[str, Any]:
    """Pagefind over the generator's own records, shard by shard (and the top index), as
    the build runs it; the index that counts is the one in the built site."""
    records = scratch(work, "today")
    for rel, text in search_records(archive).items():
        path = records / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shards = [*shard_days(archive), TOP]
    cpu = {s: pagefind(records / s, work / "today-out" / s) for s in shards}
    shutil.rmtree(records)
    for shard in shards:  # what the build keeps of each shard's output
        prune_extras(work / "today-out" / shard)
    files, size = tree_size(work / "today-out")
    shutil.rmtree(work / "today-out")
    cat_files, cat_size = tree_size(site / SEARCH_FOLDER / "catalog")
    return {
        "cpu_s": sum(cpu.values()),
        "cpu_top_s": cpu[TOP],
        "files": files + cat_files,
        "mb": (size + cat_size) / 1e6,
        "catalog_files": cat_files,
        "catalog_mb": cat_size / 1e6,
        "cpu_newest_quarter_s": cpu[shards[-2]],
    }


# --- A: Pagefind over day or month pages ------------------------------------------------------


def section(entry: Entry) -> str:
    p = entry.paper
    parts = [f'<h3 id="p-{esc(p.id)}">{prose(p.title)}</h3>', *body_parts(p)]
    parts.append(f"<p>{esc(p.id)}</p>")
    return "\n".join(parts)


def grouped_pages(archive: Archive, by: str) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = defaultdict(list)
    for day in archive.days:
        key = f"{day:%Y-%m-%d}" if by == "day" else f"{day:%Y-%m}"
        out[key].extend(archive.by_day[day])
    return out


def pagefind_pages(archive: Archive, by: str, work: Path, out: Path) -> dict[str, Any]:
    pages = scratch(work, f"a-{by}")
    for key, entries in grouped_pages(archive, by).items():
        body = "\n".join(section(e) for e in entries)
        (pages / f"{key}.html").write_text(
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{key}</title></head><body>\n<main data-pagefind-body>\n"
            f'<h1 data-pagefind-meta="title">{key}</h1>\n{body}\n</main>\n</body></html>\n',
            encoding="utf-8",
        )
    cpu = pagefind(pages, out)
    shutil.rmtree(pages)
    for extra in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js"):
        (out / extra).unlink(missing_ok=True)
    for extra in ("pagefind-component-ui.js", "pagefind-component-ui.css"):
        (out / extra).unlink(missing_ok=True)
    for wasm in out.glob("wasm.*.pagefind"):
        if wasm.name not in ("wasm.en.pagefind", "wasm.unknown.pagefind"):
            wasm.unlink()
    files, size = tree_size(out)
    return {"cpu_s": cpu, "files": files, "mb": size / 1e6}


# --- B: the whole-archive word index, best-first ---------------------------------------------


def read_varint(data: bytes, at: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        byte = data[at]
        at += 1
        n |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return n, at
        shift += 7


def encode_postings(papers: Any, impacts: Any) -> bytes:
    """A chunk's postings, by paper: count, delta-coded papers, then the impacts."""
    import numpy as np

    order = np.argsort(papers, kind="stable")
    by_paper = papers[order]
    deltas = np.diff(by_paper, prepend=0)
    return varint(len(papers)) + varints_of(deltas)[0] + impacts[order].tobytes()


def decode_postings(data: bytes, at: int) -> tuple[list[tuple[int, int]], int]:
    count, at = read_varint(data, at)
    papers = []
    last = 0
    for _ in range(count):
        delta, at = read_varint(data, at)
        last += delta
        papers.append(last)
    impacts = data[at : at + count]
    return list(zip(papers, impacts, strict=True)), at + count


@dataclass(frozen=True)
class Layout:
    first: int = 64  # postings in a word's first chunk (in its dictionary bucket)
    growth: int = 4  # each later chunk this many times the one before
    bucket_bytes: int = 6_000  # target size of a dictionary bucket (compressed)
    pack_bytes: int = 8_000  # later chunks are packed into files of about this size

    @property
    def name(self) -> str:
        return f"B {self.first}x{self.growth}"

    def sizes(self, df: int) -> list[int]:
        out, size, left = [], self.first, df
        while left > 0:
            out.append(min(size, left))
            left -= size
            size *= self.growth
        return out


@dataclass
class WordIndex:
    """The index in memory (render/wordindex.py's postings), written in a Layout."""

    papers: int
    names: list[str]  # term by id
    starts: Any  # postings of term i: [starts[i], starts[i + 1])
    docs: Any  # paper numbers, best-first within each term
    impacts: Any  # uint8, 1..255
    stats: Stats

    @classmethod
    def build(
        cls, entries: Sequence[Entry], after: Stats | None = None, first: int = 0
    ) -> WordIndex:
        """The index of `entries` (numbered from `first`); with `after`, a segment of the
        newest papers scored with the statistics of the papers before them."""
        found = postings(entries, first, after)
        return cls(
            found.papers, found.terms, found.starts, found.numbers, found.impacts, found.stats
        )

    def postings(self, i: int) -> tuple[Any, Any]:
        a, b = self.starts[i], self.starts[i + 1]
        return self.docs[a:b], self.impacts[a:b]

    def write(self, out: Path, layout: Layout) -> dict[str, Any]:
        """Files: meta.json, d/<bucket>.bin (gzip), c/<pack>.bin (gzip)."""
        shutil.rmtree(out, ignore_errors=True)
        (out / "d").mkdir(parents=True)
        (out / "c").mkdir()
        # Later chunks, packed in term order into files of about pack_bytes.
        packs: list[bytearray] = [bytearray()]
        where: dict[tuple[str, int], tuple[int, int, int]] = {}
        chunks: dict[str, list[tuple[int, int, bytes | None]]] = {}
        for i in sorted(range(len(self.names)), key=self.names.__getitem__):
            t = self.names[i]
            papers, impacts = self.postings(i)
            at = 0
            meta = []
            for k, size in enumerate(layout.sizes(len(papers))):
                blob = encode_postings(papers[at : at + size], impacts[at : at + size])
                best = int(impacts[at])
                at += size
                if k == 0:
                    meta.append((size, best, blob))
                    continue
                if len(packs[-1]) and len(packs[-1]) + len(blob) > layout.pack_bytes:
                    packs.append(bytearray())
                where[(t, k)] = (len(packs) - 1, len(packs[-1]), len(blob))
                packs[-1] += blob
                meta.append((size, best, None))
            chunks[t] = meta
        for i, pack in enumerate(packs):
            if pack:
                (out / "c" / f"{i}.bin").write_bytes(gzip.compress(bytes(pack), GZIP_LEVEL))
        # Dictionary buckets by hash: their number from the dictionary's raw size.
        entries: dict[str, bytes] = {}
        for t, meta in chunks.items():
            key = t.encode("utf-8")
            blob = bytearray(varint(len(key)) + key + varint(sum(m[0] for m in meta)))
            blob += varint(len(meta))
            for k, (size, best, inline) in enumerate(meta):
                blob += varint(size) + bytes([best])
                if inline is not None:
                    blob += inline
                else:
                    pack, offset, length = where[(t, k)]
                    blob += varint(pack) + varint(offset) + varint(length)
            entries[t] = bytes(blob)
        total = sum(len(b) for b in entries.values())
        # About 2.5:1 compression of a bucket: aim at bucket_bytes served.
        buckets = max(1, round(total / (layout.bucket_bytes * 2.5)))
        grouped: dict[int, bytearray] = defaultdict(bytearray)
        for t in sorted(entries):
            grouped[fnv1a(t) % buckets] += entries[t]
        for b, blob in grouped.items():
            (out / "d" / f"{b}.bin").write_bytes(gzip.compress(bytes(blob), GZIP_LEVEL))
        meta_json = {"papers": self.papers, "buckets": buckets, "layout": vars(layout)}
        (out / "meta.json").write_text(json.dumps(meta_json) + "\n")
        files, size = tree_size(out)
        return {"files": files, "mb": size / 1e6, "buckets": buckets, "packs": len(packs)}

    def exact(self, query: str, k: int = RESULTS) -> list[int]:
        """Every paper that has every query term, best total impact first (the reference)."""
        ids = {t: i for i, t in enumerate(self.names)}
        qs = list(dict.fromkeys(terms(query)))
        if not qs or any(t not in ids for t in qs):
            return []
        maps = [dict(zip(*(a.tolist() for a in self.postings(ids[t])), strict=True)) for t in qs]
        common = set(maps[0]).intersection(*maps[1:])
        return sorted(common, key=lambda p: (-sum(m[p] for m in maps), p))[:k]


@dataclass
class Fetch:
    path: str
    size: int
    round: int


@dataclass
class Client:
    """What the browser does, file by file, on the files `WordIndex.write` made (one index,
    or several segments searched as one: `roots`); sizes are the files' own (gzip
    compressed, served as is), the catalog's display chunks as the server gzips them.

    A query's terms must all be in a paper (as Pagefind's). Round 1 fetches each term's
    dictionary bucket, which holds the term's first chunk: its best postings. Then, while
    the ten best papers that have every term are not proven (no other paper can reach
    the tenth one's score: its known impacts plus the best impact left in each list it
    was not seen in yet), the next chunk of every term is fetched, in one round. Then
    the ten papers' display rows (the catalog's chunks of 32 papers)."""

    roots: list[Path]
    catalog: Path
    cache: dict[str, bytes] = field(default_factory=dict)

    def get(self, path: str, fetched: list[Fetch], round_: int, display: bool = False) -> bytes:
        if path not in self.cache:
            if display:
                data = (self.catalog / path).read_bytes()
                size = len(gzip.compress(data, GZIP_LEVEL))
            else:
                raw = (self.roots[0].parent / path).read_bytes()
                size = len(raw)
                data = gzip.decompress(raw) if path.endswith(".bin") else raw
            self.cache[path] = data
            fetched.append(Fetch(path, size, round_))
        return self.cache[path]

    def search(self, query: str, *, exact_stop: bool = True) -> dict[str, Any]:
        self.cache.clear()
        fetched: list[Fetch] = []
        metas = [json.loads(self.get(f"{r.name}/meta.json", fetched, 0)) for r in self.roots]
        qs = list(dict.fromkeys(terms(query)))
        # Round 1: each term's dictionary bucket in each segment (in parallel). A term's
        # chunks of all segments are taken best first.
        lists: dict[str, list[dict[str, Any]]] = {}
        for t in qs:
            chunks: list[dict[str, Any]] = []
            for root, meta in zip(self.roots, metas, strict=True):
                data = self.get(f"{root.name}/d/{fnv1a(t) % meta['buckets']}.bin", fetched, 1)
                for chunk in find_term(data, t) or []:
                    chunks.append({**chunk, "root": root.name})
            if not chunks:
                return {"numbers": [], "fetched": fetched, "exact": True, "rounds": 1}
            # A segment's chunks are best-first already; merging keeps that.
            lists[t] = sorted(chunks, key=lambda c: -c["best"])
        seen: dict[int, dict[str, int]] = defaultdict(dict)
        taken = dict.fromkeys(qs, 0)
        round_ = 1

        def take(t: str) -> None:
            for paper, imp in lists[t][taken[t]]["postings"]:
                seen[paper][t] = imp
            taken[t] += 1

        def load(t: str) -> bool:
            chunk = lists[t][taken[t]]
            if chunk["postings"] is None:
                data = self.get(f"{chunk['root']}/c/{chunk['pack']}.bin", fetched, round_)
                chunk["postings"], _ = decode_postings(data, chunk["offset"])
            return True

        # The inline chunks (each segment's first) come with the buckets.
        for t in qs:
            while taken[t] < len(lists[t]) and lists[t][taken[t]]["postings"] is not None:
                take(t)
        proven = True
        while True:
            nxt = {t: lists[t][taken[t]]["best"] if taken[t] < len(lists[t]) else 0 for t in qs}
            done = sorted((-sum(v.values()), p) for p, v in seen.items() if len(v) == len(qs))
            top = done[:RESULTS]
            # The best any other paper could still reach (a missing term whose list is
            # exhausted means it cannot match at all).
            bound = sum(nxt.values()) if all(nxt.values()) else 0
            for v in seen.values():
                missing = [t for t in qs if t not in v]
                if missing and all(nxt[t] for t in missing):
                    bound = max(bound, sum(v.values()) + sum(nxt[t] for t in missing))
            if bound == 0:
                break  # nothing else can match
            if len(top) == RESULTS and (not exact_stop or -top[-1][0] >= bound):
                proven = -top[-1][0] >= bound
                break
            round_ += 1
            wanted = [t for t in qs if nxt[t]]
            for t in wanted:
                load(t)
            for t in wanted:
                take(t)
        done = sorted((-sum(v.values()), p) for p, v in seen.items() if len(v) == len(qs))
        ranked = [p for _, p in done[:RESULTS]]
        for p in ranked:
            self.get(f"papers/{p // CATALOG_CHUNK}.json", fetched, round_ + 1, display=True)
        return {
            "numbers": ranked,
            "fetched": fetched,
            "exact": proven,
            "rounds": round_ + 1 if ranked else round_,
        }


def find_term(bucket: bytes, term: str) -> list[dict[str, Any]] | None:
    at = 0
    want = term.encode("utf-8")
    while at < len(bucket):
        size, at = read_varint(bucket, at)
        key = bucket[at : at + size]
        at += size
        _df, at = read_varint(bucket, at)
        count, at = read_varint(bucket, at)
        chunks = []
        for k in range(count):
            n, at = read_varint(bucket, at)
            best = bucket[at]
            at += 1
            if k == 0:
                postings, at = decode_postings(bucket, at)
                chunks.append({"size": n, "best": best, "postings": postings})
            else:
                pack, at = read_varint(bucket, at)
                offset, at = read_varint(bucket, at)
                _length, at = read_varint(bucket, at)
                chunks.append(
                    {"size": n, "best": best, "postings": None, "pack": pack, "offset": offset}
                )
        if key == want:
            return chunks
    return None


def b_runs(client: Client, index: WordIndex, queries: Queries, numbers: dict) -> dict:
    words_out = []
    for q in queries.words:
        r = client.search(q)
        ref = index.exact(q)
        words_out.append(
            {
                "query": q,
                "kb": sum(f.size for f in r["fetched"]) / 1024,
                "index_kb": sum(f.size for f in r["fetched"] if "papers/" not in f.path) / 1024,
                "requests": len(r["fetched"]),
                "rounds": r["rounds"],
                "exact": r["exact"],
                "agree": len(set(r["numbers"]) & set(ref)) / max(1, len(ref)),
                "shown": len(r["numbers"]),
                "plan": [[f.round, f.path, f.size] for f in r["fetched"]],
            }
        )
    remembered = []
    for q, pid, age in queries.remembered:
        r = client.search(q)
        remembered.append(
            {
                "query": q,
                "age": age,
                "hit": numbers[pid] in r["numbers"],
                "matching": len(index.exact(q, k=10**9)),
                "kb": sum(f.size for f in r["fetched"]) / 1024,
            }
        )
    titles = []
    for title, pid in queries.titles:
        r = client.search(plain(title))
        titles.append(
            {
                "first": bool(r["numbers"]) and r["numbers"][0] == numbers[pid],
                "kb": sum(f.size for f in r["fetched"]) / 1024,
            }
        )
    return {"words": words_out, "remembered": remembered, "titles": titles}


TAIL_DAYS = 30


def b_design(
    entries: Sequence[Entry], site: Path, layouts: Sequence[Layout], queries: Queries
) -> dict[str, Any]:
    """B on the whole archive in one index (each layout), and as two segments: the
    archive but its last TAIL_DAYS days, and those days (what a daily build re-indexes)."""
    numbers = {e.id: i for i, e in enumerate(entries)}
    started = time.process_time()
    index = WordIndex.build(entries)
    build_cpu = time.process_time() - started
    out: dict[str, Any] = {}
    for layout in layouts:
        root = site / DESIGNS_DIR / f"b-{layout.first}x{layout.growth}"
        started = time.process_time()
        stats = index.write(root, layout)
        write_cpu = time.process_time() - started
        out[layout.name] = {
            **stats,
            "cpu_s": build_cpu + write_cpu,
            "cpu_terms_s": build_cpu,
            "cpu_write_s": write_cpu,
            **b_runs(Client([root], site / SEARCH_FOLDER / "catalog"), index, queries, numbers),
        }
    # Two segments, first layout; the newest segment's buckets smaller (it is small).
    layout = layouts[0]
    small = Layout(layout.first, layout.growth, bucket_bytes=1_500, pack_bytes=layout.pack_bytes)
    cut = entries[-1].day.toordinal() - TAIL_DAYS
    split = next(i for i, e in enumerate(entries) if e.day.toordinal() > cut)
    base = WordIndex.build(entries[:split])
    base_root = site / DESIGNS_DIR / "b-base"
    base_files = base.write(base_root, layout)
    tail_root = site / DESIGNS_DIR / "b-tail"
    started = time.process_time()
    tail = WordIndex.build(entries[split:], base.stats, first=split)
    tail_files = tail.write(tail_root, small)
    tail_cpu = time.process_time() - started
    last = entries[-1].day
    day_start = next(i for i, e in enumerate(entries) if e.day == last)
    started = time.process_time()
    WordIndex.build(entries[day_start:], base.stats, first=day_start).write(
        site / DESIGNS_DIR / "b-day", small
    )
    day_cpu = time.process_time() - started
    client = Client([base_root, tail_root], site / SEARCH_FOLDER / "catalog")
    out[f"{layout.name}, 2 segments"] = {
        "files": base_files["files"] + tail_files["files"],
        "mb": base_files["mb"] + tail_files["mb"],
        "tail_papers": len(entries) - split,
        "tail_cpu_s": tail_cpu,
        "tail_files": tail_files["files"],
        "day_papers": len(entries) - day_start,
        "day_cpu_s": day_cpu,
        "cpu_s": out[layout.name]["cpu_s"],
        **b_runs(client, index, queries, numbers),
    }
    return out


# --- in Chromium -------------------------------------------------------------------------------


def browser_runs(
    site: Path, archive: Archive, entries: Sequence[Entry], queries: Queries, b_plans: Any
) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from bench.browser import _one
    from bench.search import _search

    url_to_id = {paper_url(e.paper.id, e.paper.day): e.id for e in entries}
    shutil.copy(ASSETS / "pagefind.html", site / DESIGNS_DIR / "pagefind.html")
    shutil.copy(ASSETS / "replay.html", site / DESIGNS_DIR / "replay.html")
    out: dict[str, Any] = {}
    with serve_site(site) as (base, counter), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            # today, through its own search page
            words_out = []
            for q in queries.words:
                r = _one(browser, base, counter, q, {}, q)
                words_out.append(
                    {
                        "query": q,
                        "kb": r["search_kb"],
                        "first_s": r["first_results_s"],
                        "requests": r["requests"],
                        "status": r["status"],
                    }
                )
            page = browser.new_page()
            page.set_default_timeout(180_000)

            def today_ids(query: str) -> list[str]:
                _status, hrefs = _search(page, base, query)
                return [url_to_id.get(h, h) for h in hrefs]

            out["today"] = {
                "words": words_out,
                **rank_runs(queries, today_ids),
            }
            page.close()
            counter.take()
            out.update(pagefind_runs(browser, base, counter, "a-day", queries))
            # A month page's data() is the whole month's text (MBs when a query needs many
            # months, a minute of the page's time): its rankings are not measured.
            out.update(pagefind_runs(browser, base, counter, "a-month", queries, rank=False))
            for name, plans in b_plans.items():
                out[f"replay {name}"] = replay_runs(browser, base, counter, plans)
        finally:
            browser.close()
    return out


def rank_runs(queries: Queries, ranked: Any) -> dict[str, Any]:
    remembered = [
        {"query": q, "age": age, "hit": pid in ranked(q)[:RESULTS]}
        for q, pid, age in queries.remembered
    ]
    titles = [{"first": (ranked(t)[:1] or [None])[0] == pid} for t, pid in queries.titles]
    return {"remembered": remembered, "titles": titles}


def pagefind_runs(
    browser: Any, base: str, counter: Any, name: str, queries: Queries, rank: bool = True
) -> dict:
    harness = f"{base}{DESIGNS_DIR}/pagefind.html?index={name}"
    words_out = []
    for q in queries.words:
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(300_000)
        try:
            page.goto(harness)
            page.wait_for_function("() => window.ready === true")
            counter.take()
            r = page.evaluate("q => window.runSearch(q, 10)", q)
            page.wait_for_load_state("networkidle")
            sent = counter.take()
        finally:
            context.close()
        words_out.append(
            {
                "query": q,
                "kb": sum(s for _, s in sent) / 1024,
                "first_s": r["ms"] / 1000,
                "requests": len(sent),
                "pages_loaded": r["loaded"],
                "pages_matched": r["total"],
                "shown": len(r["sections"]),
            }
        )
    if not rank:
        return {f"{name}-flat": {"words": words_out}}
    page = browser.new_page()
    page.set_default_timeout(300_000)
    page.goto(harness)
    page.wait_for_function("() => window.ready === true")
    memo: dict[str, list[dict[str, Any]]] = {}

    def sections(query: str) -> list[dict[str, Any]]:
        if query not in memo:
            memo[query] = page.evaluate("q => window.runSearch(q, 10)", query)["sections"]
        return memo[query]

    def flat(query: str) -> list[str]:
        return [s["id"] for s in sections(query)]

    def scored(query: str) -> list[str]:
        found = sorted(sections(query), key=lambda s: (-s["score"], s["order"]))
        return [s["id"] for s in found]

    out = {
        f"{name}-flat": {"words": words_out, **rank_runs(queries, flat)},
        f"{name}-scored": {"words": words_out, **rank_runs(queries, scored)},
    }
    page.close()
    counter.take()
    return out


def replay_runs(browser: Any, base: str, counter: Any, plans: Any) -> list[dict]:
    """Fetch what the simulated client fetched, round by round (each round in parallel),
    decompressing as the client would: the time to first results, less the ranking."""
    out = []
    for q, plan in plans:
        context = browser.new_context()
        page = context.new_page()
        try:
            page.goto(f"{base}{DESIGNS_DIR}/replay.html")
            page.wait_for_function("() => window.ready === true")
            counter.take()
            rounds: dict[int, list[str]] = defaultdict(list)
            for rnd, path, _size in plan:
                prefix = "pagefind/catalog/" if path.startswith("papers/") else f"{DESIGNS_DIR}/"
                rounds[rnd].append(prefix + path)
            ms = page.evaluate("r => window.replay(r)", [rounds[k] for k in sorted(rounds)])
            sent = counter.take()
        finally:
            context.close()
        out.append({"query": q, "first_s": ms / 1000, "kb_served": sum(s for _, s in sent) / 1024})
    return out


# --- the run -----------------------------------------------------------------------------------


def run_size(n: int, work: Path, layouts: Sequence[Layout], browser: bool) -> dict[str, Any]:
    log(f"{n:,}: archive and today's build")
    project = prepared(work / f"n{n}", n) if browser else prepared_light(work / f"n{n}", n)
    archive = load_archive(project)
    entries = ordered(archive)
    queries = draw_queries(entries)
    site = project.site
    designs = site / DESIGNS_DIR
    designs.mkdir(exist_ok=True)
    r: dict[str, Any] = {"papers": len(entries), "days": len(archive.days)}
    r["queries"] = {
        "words": queries.words,
        "remembered": queries.remembered,
        "titles": queries.titles,
    }
    log(f"{n:,}: design B")
    r["b"] = b_design(entries, site, layouts, queries)
    log(f"{n:,}: today's Pagefind CPU")
    r["today_index"] = today_index(archive, site, work)
    for by in ("day", "month"):
        log(f"{n:,}: design A, a page per {by}")
        r[f"a-{by}_index"] = pagefind_pages(archive, by, work, designs / f"a-{by}")
    if browser:
        log(f"{n:,}: Chromium")
        plans = {
            name: [(w["query"], w["plan"]) for w in res["words"]] for name, res in r["b"].items()
        }
        r["browser"] = browser_runs(site, archive, entries, queries, plans)
    return r


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search_designs", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--papers", default="10000,30000")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--no-browser", dest="browser", action="store_false")
    parser.add_argument("--out", type=Path, default=HERE / "SEARCH-DESIGNS.md")
    parser.add_argument(
        "--merge", type=Path, nargs="*", default=[], help="results.json of other runs to report"
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    layouts = [Layout(64, 4), Layout(128, 8)]
    results_file = args.work / "results.json"
    runs = json.loads(results_file.read_text()) if results_file.is_file() else {}
    for n in (int(s.replace("_", "")) for s in args.papers.split(",") if s.strip()):
        runs[str(n)] = run_size(n, args.work, layouts, args.browser)
        runs[str(n)]["date"] = time.strftime("%Y-%m-%d %H:%M %Z")
        runs[str(n)]["machine"] = measure.machine()
        results_file.write_text(json.dumps(runs, indent=1, default=str) + "\n")
    for other in args.merge:
        runs.update(json.loads(other.read_text()))
    previous = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
    command = " ".join(sys.argv[1:] if argv is None else argv)
    args.out.write_text(report(runs, command, previous), encoding="utf-8")
    log(f"written {args.out}")


# --- the report --------------------------------------------------------------------------------

GENERATED = "<!-- generated by bench/search_designs.py: everything below is rewritten -->"


def report(runs: dict[str, Any], command: str, previous: str = "") -> str:
    """The tables, after whatever text the report had above GENERATED (kept)."""
    head = previous.split(GENERATED)[0].rstrip() if GENERATED in previous else ""
    out = [head or "# Search designs (issue 31)", "", GENERATED, "", "# Measurements", ""]
    out.append(f"- Command: `python -m bench.search_designs {command}`")
    for key in sorted(runs, key=int):
        r = runs[key]
        out.append(f"- {int(key):,} papers: {r.get('date', '')}; {_machine(r.get('machine', {}))}")
    for key in sorted(runs, key=int):
        out += size_table(runs[key])
        out += query_table(runs[key])
        out += b_details(runs[key])
    return "\n".join(out) + "\n"


def _machine(m: dict[str, Any]) -> str:
    return f"{m.get('cores')} cores ({m.get('cpu')}), {m.get('memory_gb')} GB"


def _rates(res: dict[str, Any], clear: Sequence[bool] | None = None) -> tuple[str, str, str]:
    """Remembered-words hits, oldest and newest third (only the queries `clear` marks,
    when given), and exact titles first."""
    rem = [x for i, x in enumerate(res.get("remembered", [])) if clear is None or clear[i]]
    old = [x["hit"] for x in rem if x["age"] == "old"]
    new = [x["hit"] for x in rem if x["age"] == "new"]
    titles = res.get("titles", [])
    return (
        f"{sum(old)}/{len(old)}" if old else "–",
        f"{sum(new)}/{len(new)}" if new else "–",
        f"{sum(t['first'] for t in titles)}/{len(titles)}" if titles else "–",
    )


def _kb(found: list[dict[str, Any]]) -> tuple[str, str]:
    sizes = [w["kb"] for w in found]
    if not sizes:
        return "–", "–"
    return f"{statistics.median(sizes):,.0f}", f"{max(sizes):,.0f}"


def _first(found: list[dict[str, Any]]) -> str:
    times = [w["first_s"] for w in found if "first_s" in w]
    if not times:
        return "not measured"
    return f"{statistics.median(times):.2f} / {max(times):.2f}"


def _cpu(cpu: float, n: int) -> str:
    return f"{cpu:,.1f} ({cpu / n * 1000:.2f} ms)"


def designs_of(r: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any], list]]:
    """(name, index figures, search results, first-results timings) of each design."""
    br = r.get("browser", {})
    out = []
    today = br.get("today", {})
    out.append(("today", r["today_index"], today, today.get("words", [])))
    for name in ("a-day", "a-month"):
        for variant in ("flat", "scored"):
            res = br.get(f"{name}-{variant}", {})
            if res or variant == "flat":
                out.append((f"{name} ({variant})", r[f"{name}_index"], res, res.get("words", [])))
    for name, res in r["b"].items():
        out.append((name, res, res, br.get(f"replay {name}", [])))
    return out


def size_table(r: dict[str, Any]) -> list[str]:
    n = r["papers"]
    head = [
        "design",
        "index CPU s (per paper)",
        "index files",
        "index MB",
        "median KB / search",
        "max KB",
        "first results s (median / max)",
        "remembered: oldest third",
        "remembered: newest third",
        "exact title first (word ranking)",
    ]
    lines = [
        "",
        f"## {n:,} papers ({r['days']:,} days)",
        "",
        _row(head),
        _row(["---"] * len(head)),
    ]
    for name, index, res, timed in designs_of(r):
        lines.append(
            _row(
                [
                    name,
                    _cpu(index["cpu_s"], n),
                    f"{index['files']:,}",
                    f"{index['mb']:.1f}",
                    *_kb(res.get("words", [])),
                    _first(timed),
                    *_rates(res),
                ]
            )
        )
    # The queries whose three words at most ten papers share: a ranking can show them all.
    clear = [x["matching"] <= RESULTS for x in next(iter(r["b"].values()))["remembered"]]
    head = ["design", "remembered: oldest third", "remembered: newest third"]
    lines += [
        "",
        f"Remembered words, only the {sum(clear)} queries whose three words at most ten "
        "papers share (any ranking could show the paper):",
        "",
        _row(head),
        _row(["---"] * len(head)),
    ]
    for name, _index, res, _timed in designs_of(r):
        if res.get("remembered"):
            lines.append(_row([name, *_rates(res, clear)[:2]]))
    t = r["today_index"]
    lines += [
        "",
        f"today's index: Pagefind {t['cpu_s'] - t['cpu_top_s']:.1f} CPU s over the quarters "
        f"+ {t['cpu_top_s']:.1f} s for the most-upvoted index; files and MB include the "
        f"catalog ({t['catalog_files']:,} files, {t['catalog_mb']:.1f} MB), which every "
        "design keeps (titles, ids, authors, display rows, topic and category lists). "
        "Designs A and B are counted without it. Today's exact titles go through its own "
        "search page, i.e. the catalog's title lookup; A's and B's are their word ranking "
        "alone.",
    ]
    return lines


def query_table(r: dict[str, Any]) -> list[str]:
    designs = [(name, res) for name, _i, res, _t in designs_of(r) if res.get("words")]
    designs = [(n, res) for n, res in designs if not n.endswith("(scored)")]
    if not designs:
        return []
    head = ["query", *[n.replace(" (flat)", "") for n, _ in designs]]
    lines = ["", f"KB per word query, {r['papers']:,} papers:", "", _row(head)]
    lines.append(_row(["---"] * len(head)))
    for i, q in enumerate(r["queries"]["words"]):
        cells = [f"`{q}`"]
        for _name, res in designs:
            w = res["words"][i] if i < len(res["words"]) else None
            cells.append(f"{w['kb']:,.0f}" if w else "–")
        lines.append(_row(cells))
    return lines


def b_details(r: dict[str, Any]) -> list[str]:
    lines = ["", f"Design B in detail, {r['papers']:,} papers:", ""]
    for name, res in r["b"].items():
        words_ = res["words"]
        idx = statistics.median(w["index_kb"] for w in words_)
        rounds = max(w["rounds"] for w in words_)
        proven = sum(w["exact"] for w in words_)
        agree = statistics.mean(w["agree"] for w in words_)
        rem_kb = [x["kb"] for x in res["remembered"]]
        title_kb = [x["kb"] for x in res["titles"]]
        line = (
            f"- {name}: median {idx:.0f} KB of index (the rest is the ten results' catalog "
            f"chunks); at most {rounds} rounds of requests; top ten proven best "
            f"{proven}/{len(words_)}; agreement with the exhaustive ranking {agree:.0%}; "
            f"remembered-words queries median {statistics.median(rem_kb):.0f} KB (max "
            f"{max(rem_kb):.0f}); exact titles as word queries median "
            f"{statistics.median(title_kb):.0f} KB (max {max(title_kb):.0f})"
        )
        if "tail_cpu_s" in res:
            line += (
                f"; newest segment ({res['tail_papers']} papers, last {TAIL_DAYS} days) "
                f"re-indexed in {res['tail_cpu_s']:.2f} CPU s ({res['tail_files']} files), "
                f"one day ({res['day_papers']} papers) in {res['day_cpu_s']:.2f} s"
            )
        else:
            line += f"; {res['buckets']} dictionary buckets, {res['packs']} chunk packs"
        lines.append(line)
    rem = next(iter(r["b"].values()))["remembered"]
    wide = [x for x in rem if x["matching"] > RESULTS]
    lines.append(
        f"- remembered-words queries whose three words are shared by more than ten papers "
        f"(no ranking can be sure to show the paper): {len(wide)} of {len(rem)} "
        f"(the synthetic abstracts reuse real sentences, so word triples recur)"
    )
    return lines


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"


if __name__ == "__main__":
    main()
