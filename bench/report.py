"""bench/RESULTS.md from the measurements of bench/run.py (`python -m bench.report
[results.json]` rewrites it from a saved run)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.peers import NAMES as PEER_NAMES
from bench.peers import PEERS

TARGET_N = 30_000
LARGE_N = 100_000
SMALL_N = 10_000  # a new day at LARGE_N is held to its cost at this size
SIZES = (3_000, 10_000, 30_000, 100_000)  # reported when present, with any other size run

ARCHIVE_REAL = (
    "**The archives are synthetic, their text is real.** bench/synth.py gives them the "
    "shape of the real archive (about 25 papers a weekday, some days 60 and more, few at "
    "weekends; 1–30 authors from a pool in which a few names recur for years; upvotes "
    "skewed as on Hugging Face) and makes every word of them from the real Hugging Face "
    "captures in ../shared/hf-daily (about 700 papers): each abstract is real abstract "
    "sentences, mostly from one real paper and partly from others, of a real abstract's "
    "length; each title joins the head of one real title to the tail of another; AI "
    "summaries, keywords and author names are real ones. There are no filler words: they "
    "are far cheaper to render, write and index than real abstracts, and once made our "
    "build look twice as fast as it was."
)
ARCHIVE_FILLER = (
    "**The archives of this run were made before bench/synth.py used real text**: their "
    "abstracts are filler words, far cheaper to render, write and index than real "
    "abstracts, so every time below (ours and the peers') is lower than on real text. "
    "Run `make bench` again for figures on real abstract sentences."
)
PEERS_TEXT = (
    "**The peers** (bench/peers.py) are what a careful user would build of the same papers "
    "without this project, each measured in the same run as our build, alternately with "
    "our first build, on the same archive: one Markdown page per day (the same cards for "
    "every peer, written from data/ by one quick script: plain YAML, no validation), a "
    "home page and a page listing the days. They differ only in the builder and the "
    "search:"
)
PEERS_AFTER = (
    "A peer's time is all of it, each step in its own process: writing its pages, its "
    "build and, for the Pagefind peers, `python -m pagefind_bin --site SITE "
    "--force-language en`; its peak memory is its largest step's. The peers have no "
    "incremental build (each build writes everything), so each of our builds (first, "
    "one new day, nothing new) is set against a peer's one build. Every ratio is ours ÷ "
    "the peer's: below 1, ours is faster or smaller."
)
STAGES = ("load", "render", "mkdocs", "search", "build_cold")


# --- Formatting ------------------------------------------------------------------------------


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _num(value: float | None) -> str:
    """A size or count: no decimals from 100 on, one from 1, two below."""
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 1 else f"{value:.2f}"


def _ratio(ours: float | None, peer: float | None, *, time: bool = False) -> str:
    """ours ÷ peer; for a time, also how many times faster (or slower) ours is."""
    if ours is None or peer is None or peer <= 0:
        return "–"
    ratio = ours / peer
    if not time or ratio <= 0:
        return f"{ratio:.2f}"
    if ratio <= 1:
        return f"{ratio:.2f} ({1 / ratio:.1f}× faster)"
    return f"{ratio:.2f} ({ratio:.1f}× slower)"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _ok(good: bool | None) -> str:
    if good is None:
        return "not measured"
    return "holds" if good else "**does not hold**"


# --- Reading a run ---------------------------------------------------------------------------


def _runs(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The runs to report: the standard sizes and any other size the run took, in order."""
    return sorted(runs, key=lambda r: (r["papers"] not in SIZES, r["papers"]))


def _at(runs: list[dict[str, Any]], papers: int) -> dict[str, Any] | None:
    return next((r for r in runs if r["papers"] == papers), None)


def _peers(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The peers measured in this run, by name; a run saved before the peers had one
    baseline, which was what mkdocs-lunr is now."""
    if "peers" in run:
        return dict(run["peers"])
    if "baseline" in run:
        return {"mkdocs-lunr": {**run["baseline"], "_all": run.get("baseline_all", [])}}
    return {}


def _peer_names(runs: list[dict[str, Any]]) -> list[str]:
    seen = {name for r in runs for name in _peers(r)}
    return [n for n in PEER_NAMES if n in seen] + sorted(seen - set(PEER_NAMES))


def _peer(run: dict[str, Any], name: str, key: str) -> float | None:
    value = _peers(run).get(name, {}).get(key)
    return None if value is None else float(value)


def _get(run: dict[str, Any] | None, key: str, field: str = "seconds") -> float | None:
    found = (run or {}).get(key)
    if not found or found.get(field) is None:
        return None
    return float(found[field])


def _typical_search(run: dict[str, Any]) -> dict[str, Any] | None:
    """The costliest search of the typical ones (sorting everything by upvotes is not)."""
    typical = [s for s in run.get("searches", []) if "upvoted" not in s["label"]]
    return max(typical, key=lambda s: s["search_kb"]) if typical else None


# --- Sections --------------------------------------------------------------------------------


def _intro(meta: dict[str, Any], runs: list[dict[str, Any]]) -> list[str]:
    archive = ARCHIVE_REAL if meta.get("synthetic_text") == "real" else ARCHIVE_FILLER
    names = _peer_names(runs)
    peers = [f"- `{n}`: {PEERS[n].about}." if n in PEERS else f"- `{n}`" for n in names]
    if not names:
        return [archive, "", "No peer was built in this run (`--peers none`): no ratios."]
    return [archive, "", PEERS_TEXT, "", *peers, "", PEERS_AFTER]


def _targets(runs: list[dict[str, Any]]) -> list[str]:
    r = _at(runs, TARGET_N)
    caption = [f"At {TARGET_N:,} papers, each against the peers measured in the same run."]
    if r is None and runs:
        r = max(runs, key=lambda x: x["papers"])
        caption = [
            f"No run at {TARGET_N:,} papers: measured at {r['papers']:,} papers instead, "
            "which the targets are not for (only a full `make bench` tells whether they hold)."
        ]
    if r is None:
        return [f"(no run at {TARGET_N:,} papers)"]
    large = _at(runs, LARGE_N)
    cold, new_day, ci_day = (_get(r, k) for k in ("build_cold", "build_new_day", "build_ci_day"))
    noop = _get(r, "build_noop")
    lunr, hugo = (_peer(r, n, "seconds") for n in ("mkdocs-lunr", "hugo-pagefind"))
    tree = _get(r, "build_cold", "peak_tree_mb")
    site = r["site"]["site_mb"]
    large_site = large["site"]["site_mb"] if large else None
    worst = _typical_search(r)

    def versus(
        ours: float | None, peer: float | None, name: str, test: Callable[[float], bool]
    ) -> tuple[str, str]:
        """`test` is given how many times faster ours is."""
        if ours is None or peer is None or ours <= 0:
            return "–", _ok(None)
        text = f"{ours:.1f} s vs {name} {peer:.1f} s: ours ÷ {name} = "
        return text + _ratio(ours, peer, time=True), _ok(test(peer / ours))

    small = _at(runs, SMALL_N)
    large_day = _get(large, "build_new_day") if large else None
    small_day = _get(small, "build_new_day") if small else None
    large_files = large["site"].get("site_files") if large else None
    rows = [
        [
            "first build ≤ 1.5 × hugo-pagefind's time",
            *versus(cold, hugo, "hugo-pagefind", lambda x: 1 / x <= 1.5),
        ],
        [
            "one new day, build folder kept: ≥ 4× faster than mkdocs-lunr",
            *versus(new_day, lunr, "mkdocs-lunr", lambda x: x >= 4),
        ],
        [
            "one new day in CI (fresh checkout, cache restored): ≥ 3× faster than mkdocs-lunr",
            *versus(ci_day, lunr, "mkdocs-lunr", lambda x: x >= 3),
        ],
        [
            "one new day in CI ≤ 1.5 × with the build folder kept",
            f"{ci_day:.1f} s vs {new_day:.1f} s: {ci_day / new_day:.2f}×"
            if ci_day and new_day
            else "–",
            _ok(None if not (ci_day and new_day) else ci_day / new_day <= 1.5),
        ],
        [
            f"one new day at {LARGE_N:,} papers ≤ 10 s",
            f"{large_day:.1f} s" if large_day is not None else f"no run at {LARGE_N:,}",
            _ok(None if large_day is None else large_day <= 10),
        ],
        [
            f"one new day at {LARGE_N:,} papers ≤ 1.3 × at {SMALL_N:,}",
            f"{large_day:.1f} s vs {small_day:.1f} s: {large_day / small_day:.2f}×"
            if large_day and small_day
            else "–",
            _ok(None if not (large_day and small_day) else large_day / small_day <= 1.3),
        ],
        [
            "nothing new: ≤ 1 s and 0 files written",
            f"{noop:.1f} s, {len(r['noop_written'])} files" if noop is not None else "–",
            _ok(None if noop is None else noop <= 1 and not r["noop_written"]),
        ],
        [
            "peak memory ≤ 1 GB for the whole process tree (first build)",
            f"{tree:,.0f} MB" if tree is not None else "–",
            _ok(None if tree is None else tree <= 1024),
        ],
        [f"site ≤ 200 MB at {r['papers']:,} papers", f"{site:,.0f} MB", _ok(site <= 200)],
        [
            f"site ≤ 650 MB and ≤ 40,000 files at {LARGE_N:,} papers",
            f"{large_site:,.0f} MB, {large_files:,} files"
            if large_site is not None and large_files is not None
            else f"no run at {LARGE_N:,}",
            _ok(
                None
                if large_site is None or large_files is None
                else large_site <= 650 and large_files <= 40_000
            ),
        ],
        _related_target(r, cold, "daily_s", "related papers of one new day ≤ 10% of a first build"),
        _related_target(r, cold, "cold_s", "related papers from nothing ≤ 10% of a first build"),
        [
            "a typical search downloads ≤ 300 KB",
            f"{worst['search_kb']:,.0f} KB at most ({worst['label']})" if worst else "–",
            _ok(None if worst is None else worst["search_kb"] <= 300),
        ],
    ]
    return [*caption, "", *_table(["target", "measured", ""], rows)]


def _related_target(r: dict[str, Any], cold: float | None, key: str, label: str) -> list[str]:
    seconds = r.get("related", {}).get("output", {}).get(key)
    if seconds is None or not cold:
        return [label, "–", _ok(None)]
    share = seconds / cold
    return [label, f"{seconds:.2f} s of {cold:.1f} s: {share:.1%}", _ok(share <= 0.10)]


def _related(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for r in runs:
        out = r.get("related", {}).get("output")
        cold = _get(r, "build_cold")
        if not out or not cold:
            continue
        rows.append(
            [
                f"{r['papers']:,}",
                f"{out['cold_s']:.2f} ({out['cold_s'] / cold:.1%})",
                f"{out['daily_s']:.2f} ({out['daily_s'] / cold:.1%})",
                f"{out['new_papers']:,}",
                f"{out['lists_moved']:,}",
                _s(cold),
            ]
        )
    head = ["papers", "from nothing s (of a first build)", "one new day s (of a first build)"]
    head += ["new papers", "older papers whose list changed", "first build s"]
    intro = [
        "Five neighbours per paper (generator/site/related.py), timed inside the related stage:",
        "from nothing, and as a daily build does it, from the build folder's lists of every",
        "day but the last (checked equal to computing anew). A first build includes the",
        "former; the share is of the first build measured in the same run. The library",
        "was chosen by measuring the alternatives on the same vectors: bench/RELATED.md.",
        "",
    ]
    return [*intro, *_table(head, rows)] if rows else ["(not measured)"]


def _findings(runs: list[dict[str, Any]], cores: int) -> list[str]:
    """What the numbers say, computed from the run (at the target size, else the largest)."""
    r = _at(runs, TARGET_N) or (max(runs, key=lambda x: x["papers"]) if runs else None)
    if r is None:
        return []
    n = r["papers"]
    out = [f"What the numbers say, at {n:,} papers:", ""]
    cold_cpu, cold = _get(r, "build_cold", "cpu_seconds"), _get(r, "build_cold")
    index_cpu = _get(r, "search", "cpu_seconds")
    if cold_cpu is not None and cold is not None and index_cpu is not None:
        text = (
            f"- **First build.** Ours takes {cold_cpu:.0f} CPU-seconds in {cold:.1f} s; "
            f"the search index alone (the catalog and the word index), {index_cpu:.0f} of them "
            f"({index_cpu / n * 1000:.2f} ms a paper). On {cores} cores a build cannot take "
            f"less wall time than {cold_cpu / cores:.1f} s, its CPU time divided by them."
        )
        for name in ("hugo-pagefind", "mkdocs-pagefind"):
            steps = _peers(r).get(name, {}).get("steps", {})
            if steps:
                build, index = steps.get("build", {}), steps.get("pagefind", {})
                text += (
                    f" {name}: {_peer(r, name, 'cpu_seconds') or 0:.0f} CPU-seconds in "
                    f"{_peer(r, name, 'seconds') or 0:.1f} s, of which its build "
                    f"{build.get('cpu_seconds', 0):.0f} and Pagefind, one index of every "
                    f"page, {index.get('cpu_seconds', 0):.0f}."
                )
        out.append(text)
    docs = [p for p in r.get("new_day_written", []) if p.startswith("docs/")]
    if "build_new_day" in r:
        out.append(
            f"- **One new day.** Ours renders and writes only the files that show it "
            f"({len(docs)} docs/ files; {r['site']['html_pages']:,} pages in all), MkDocs "
            "rebuilds only those pages, and the search index makes again the newest segment "
            "of its catalog and of its word index (the last two months); every peer builds "
            "and indexes everything again. In CI the publish workflow carries the last build "
            "over in the Actions cache (the build folder, the generated pages and the site, "
            "through tar as actions/cache stores them) onto a fresh checkout of data/: the "
            "day files are known by their bytes, so the build does the same work as on a "
            "machine that builds every day."
        )
    month_day, ci_day = _get(r, "build_month_day"), _get(r, "build_ci_day")
    if month_day is not None:
        out.append(
            f"- **The first day of a month** ({r['month_day']}, folder kept after the CI "
            f"day): {month_day:.1f} s against {_s(ci_day)} s for an ordinary day. That day "
            "the search's segments move (the newer holds the last two calendar months), so "
            "the older catalog and word index are made again from every paper: a cost that "
            "grows with the archive, once a month. The ordinary days above "
            f"({r['new_day']}, {r.get('ci_day', 'the next')}) are what the targets judge."
        )
    large = _at(runs, LARGE_N)
    if large:
        parts = list(large["site"].get("folders_mb", {}).items())[:4]
        out.append(
            f"- **{LARGE_N:,} papers.** Site {large['site']['site_mb']:,.0f} MB ("
            + ", ".join(f"{k} {v:,.0f}" for k, v in parts)
            + f"), largest page {large['site']['largest_page_kb']:,.0f} KB; first build "
            f"{_s(_get(large, 'build_cold'))} s, one new day {_s(_get(large, 'build_new_day'))}"
            f" s, whole-tree peak {_mb(_get(large, 'build_cold', 'peak_tree_mb'))} MB."
        )
    out.append(
        "- **Searches.** Every search covers the whole archive: a search of words reads "
        "each word's best papers first until its ten best are certain, a whole title, an id "
        "or an author's full name is looked up in the catalog, and a sort or filters alone "
        "list every match from the word index and the catalog's lists (bench/SEARCH.md, "
        "bench/SEARCH-SCALE.md). mkdocs-lunr's every search first downloads its whole index."
    )
    return out


def _versus(runs: list[dict[str, Any]]) -> list[str]:
    names = _peer_names(runs)
    if not names:
        return ["(no peer measured)"]
    out: list[str] = []
    for r in runs:
        if not _peers(r):
            out += ["", f"**{r['papers']:,} papers**: no peer measured at this size", ""]
            continue
        site = r["site"]
        worst = _typical_search(r)
        # (figure, ours, the peer's figure it is set against, is a time)
        figures: list[tuple[str, float | None, str, bool]] = [
            ("first build from a clean checkout, s", _get(r, "build_cold"), "seconds", True),
            ("one new day, build folder kept, s", _get(r, "build_new_day"), "seconds", True),
            (
                "one new day in CI (fresh checkout, cache restored), s",
                _get(r, "build_ci_day"),
                "seconds",
                True,
            ),
            ("nothing new, s", _get(r, "build_noop"), "seconds", True),
            (
                "CPU seconds, first build",
                _get(r, "build_cold", "cpu_seconds"),
                "cpu_seconds",
                False,
            ),
            (
                "peak memory, largest process, MB (first build)",
                _get(r, "build_cold", "peak_rss_mb"),
                "peak_rss_mb",
                False,
            ),
            (
                "peak memory, whole process tree, MB (first build)",
                _get(r, "build_cold", "peak_tree_mb"),
                "peak_tree_mb",
                False,
            ),
            ("site MB", site.get("site_mb"), "site_mb", False),
            ("site files", site.get("site_files"), "site_files", False),
            ("search index MB", site.get("search_mb"), "search_index_mb", False),
            (
                "a typical search downloads, KB (at most)",
                worst["search_kb"] if worst else None,
                "search_download_kb",
                False,
            ),
        ]
        rows = []
        for label, ours, key, time in figures:
            cells = [label, _s(ours) if time else _num(ours)]
            for name in names:
                theirs = _peer(r, name, key)
                cells += [_s(theirs) if time else _num(theirs), _ratio(ours, theirs, time=time)]
            rows.append(cells)
        head = ["", "ours"]
        for name in names:
            head += [name, f"ours ÷ {name}"]
        out += ["", f"**{r['papers']:,} papers**", "", *_table(head, rows)]
    return [
        *out,
        "",
        "A peer's time is its one build, set against each of ours. What a search downloads: "
        "ours, the costliest typical search in Chromium (below); mkdocs-lunr, its whole "
        "index, gzipped, which every search loads first; the Pagefind peers' searches are "
        "not measured (Pagefind loads part of its index per search, as ours does).",
    ]


def _times(runs: list[dict[str, Any]]) -> list[str]:
    rows = [
        [
            f"{r['papers']:,}",
            _s(_get(r, "build_cold")),
            _s(_get(r, "build_new_day")),
            _s(_get(r, "build_ci_day")),
            _s(_get(r, "build_month_day")),
            _s(_get(r, "build_noop")),
            _s(_get(r, "generate_noop")),
        ]
        for r in runs
    ]
    head = ["papers", "first build s", "one new day s", "one new day in CI s"]
    head += ["a month's first day s"]
    head += ["nothing new: build s", "nothing new: generate s"]
    notes = []
    for r in runs:
        taken = [f"ours {', '.join(_s(x) for x in r.get('build_cold_all', []))}"]
        taken += [
            f"{name} {', '.join(_s(x) for x in peer.get('_all', [])) or '–'}"
            for name, peer in _peers(r).items()
        ]
        notes.append(f"{r['papers']:,}: " + "; ".join(taken) + " s")
    return [
        *_table(head, rows),
        "",
        "Every attempt at a first build, ours and the peers' (the fastest counts): "
        + " · ".join(notes),
    ]


def _cpu(runs: list[dict[str, Any]]) -> list[str]:
    names = _peer_names(runs)
    rows = []
    for r in runs:
        if "cpu_seconds" not in r["build_cold"]:
            continue
        stages = [_get(r, k, "cpu_seconds") for k in ("load", "render", "mkdocs", "search")]
        rows.append(
            [
                f"{r['papers']:,}",
                _s(_get(r, "build_cold", "cpu_seconds")),
                *(_s(x) for x in stages),
                _s(_get(r, "build_ci_day", "cpu_seconds")),
                *(_s(_peer(r, name, "cpu_seconds")) for name in names),
            ]
        )
    head = ["papers", "first build", "load", "render + write", "mkdocs", "search index"]
    head += ["one new day in CI", *names]
    return _table(head, rows) if rows else ["(not measured in this run)"]


def _peer_steps(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for r in runs:
        for name, p in _peers(r).items():
            steps = p.get("steps", {})
            write = steps.get("write pages", {}).get("seconds", p.get("generate_s"))
            build = steps.get("build", {}).get("seconds", p.get("mkdocs_s"))
            index = steps.get("pagefind", {}).get("seconds")
            rows.append(
                [
                    f"{r['papers']:,}",
                    name,
                    _s(write),
                    _s(build),
                    _s(index),
                    _s(p.get("seconds")),
                    _s(p.get("cpu_seconds")),
                    f"{_mb(p.get('peak_rss_mb'))} / {_mb(p.get('peak_tree_mb'))}",
                    f"{_num(p.get('site_mb'))} ({_num(p.get('site_files'))} files)",
                    _num(p.get("search_index_mb")),
                ]
            )
    if not rows:
        return ["(no peer measured)"]
    head = ["papers", "peer", "write pages s", "build s", "Pagefind s", "total s", "CPU s"]
    head += ["peak MB (process / tree)", "site MB", "search index MB"]
    return _table(head, rows)


def _inner(run: dict[str, Any]) -> float:
    """The stage's own seconds, measured inside (no interpreter start, no untimed setup)."""
    return float(run["output"].get("seconds", run["seconds"]))


def _stages(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for r in runs:
        render = r["render"]["output"]
        parts = [render.get(k) for k in ("render_docs_s", "render_records_s", "write_s")]
        # Since pages are written as they are rendered, the parts are no longer timed apart.
        split = f" ({' + '.join(_s(x) for x in parts)})" if None not in parts else ""
        rows.append(
            [
                f"{r['papers']:,}",
                _s(_inner(r["load"])),
                f"{_s(_inner(r['render']))}{split}",
                _s(_inner(r["mkdocs"])),
                f"{_s(_inner(r['search']))} ({r['search']['output'].get('made')})",
            ]
        )
    head = ["papers", "load + validate s", "render and write docs/ and the search records s"]
    head += ["mkdocs build s", "search index s (trees)"]
    return _table(head, rows)


def _memory(runs: list[dict[str, Any]]) -> list[str]:
    names = _peer_names(runs)
    rows = []
    for r in runs:
        cells = [f"{r['papers']:,}"]
        for key in STAGES:
            cells.append(f"{_mb(r[key]['peak_rss_mb'])} / {_mb(r[key].get('peak_tree_mb'))}")
        for name in names:
            rss, tree = _peer(r, name, "peak_rss_mb"), _peer(r, name, "peak_tree_mb")
            cells.append(f"{_mb(rss)} / {_mb(tree)}" if rss is not None else "–")
        rows.append(cells)
    head = ["papers", "load", "render", "mkdocs", "search index", "complete build", *names]
    return _table(head, rows)


def _sizes(runs: list[dict[str, Any]]) -> list[str]:
    names = _peer_names(runs)
    rows = []
    for r in runs:
        s = r["site"]
        cells = [
            f"{r['papers']:,}",
            f"{s['site_mb']:,.0f} ({s['site_files']:,} files)",
            f"{s['search_mb']:,.0f}",
            f"{s['html_kb_per_paper']:.1f}",
            f"{s['largest_page_kb']:,.0f} ({s['largest_page']})",
            str(s["pages_over_1mb"]),
        ]
        for name in names:
            size = _peer(r, name, "site_mb")
            files, index = _peer(r, name, "site_files"), _peer(r, name, "search_index_mb")
            cells.append(
                "–"
                if size is None
                else f"{size:,.0f} ({_num(files)} files; search index {_num(index)})"
            )
        rows.append(cells)
    head = [
        "papers",
        "site/ MB",
        "of which the search index MB",
        "HTML KB per paper",
        "largest page KB",
    ]
    head += ["pages > 1 MB", *(f"{name} MB" for name in names)]
    parts = [
        f"{r['papers']:,}: "
        + ", ".join(f"{k} {v:,.0f}" for k, v in list(r["site"].get("folders_mb", {}).items())[:6])
        for r in runs
    ]
    return [*_table(head, rows), "", "Biggest folders of site/, MB: " + "; ".join(parts)]


# What each written file is, by the first prefix it starts with (specific ones first).
_GROUPS = (
    ("docs/", "docs/ pages and feeds"),
    (".almanac-build/search-index/", "search index files"),
    (".almanac-build/", "build caches and stamps"),
    ("site/search-index/", "site/search-index (links)"),
    ("site/", "site/ pages"),
)


def _groups(paths: list[str]) -> Counter[str]:
    kinds = (next((n for prefix, n in _GROUPS if path.startswith(prefix)), "") for path in paths)
    return Counter(kind for kind in kinds if kind)


def _describe(paths: list[str]) -> str:
    groups = _groups(paths)
    return ", ".join(f"{n:,} {what}" for what, n in groups.items()) or "none"


def _incremental(runs: list[dict[str, Any]]) -> list[str]:
    rows = [
        [f"{r['papers']:,}", str(len(r["noop_written"])), _describe(r["new_day_written"])]
        for r in runs
    ]
    return _table(["papers", "files written, nothing new", "files written, one new day"], rows)


def _new_day_pages(runs: list[dict[str, Any]]) -> list[str]:
    target = _at(runs, TARGET_N) or (runs[-1] if runs else None)
    if not target:
        return []
    docs = [p for p in target["new_day_written"] if p.startswith("docs/")]
    return [
        "",
        f"<details><summary>docs/ files rewritten by one new day ({target['new_day']}) at "
        f"{target['papers']:,} papers: {len(docs)}</summary>",
        "",
        *[f"- `{p}`" for p in docs],
        "",
        "</details>",
    ]


def _searches(runs: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for r in runs:
        if "searches" not in r:
            continue
        rows = [
            [
                s["label"],
                f"`{s['query']}`" + (f" {s['filters']}" if s["filters"] else ""),
                f"{s['search_kb']:,.0f}",
                str(s["requests"]),
                str(s["shards"]),
                s["status"],
            ]
            for s in r["searches"]
        ]
        page = r["searches"][0]["page_kb"]
        lunr = _peer(r, "mkdocs-lunr", "search_download_kb")
        against = f"; mkdocs-lunr's whole index, gzipped: {lunr:,.0f} KB" if lunr else ""
        out += [
            "",
            f"**{r['papers']:,} papers** (the search page itself: {page:,.0f} KB{against})",
            "",
        ]
        out += _table(["search", "typed / chosen", "KB", "requests", "shards", "status"], rows)
    return out or ["", "(not measured in this run: `--no-browser`)"]


def _serve(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for r in runs:
        for s in r.get("serve", []):
            window = f"last {s['recent_days']} days" if s["recent_days"] else "whole archive"
            rows.append([f"{r['papers']:,}", window, _s(s["first_build_s"]), _s(s["rebuild_s"])])
    if not rows:
        return ["(not measured in this run)"]
    return _table(["papers", "preview of", "first build s", "rebuild after one edit s"], rows)


def write_report(path: Path, meta: dict[str, Any], runs: list[dict[str, Any]]) -> None:
    runs = _runs(runs)
    m = meta["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"- Command: `{meta['command']}` (`make bench`; `BENCH_ARGS=--sizes 3000` for a quick run)",
        f"- Machine: {m.get('cores')} cores ({m.get('cpu', '?')}), {m.get('memory_gb')} GB",
        f"- Date: {meta['date']}; load average {meta['load_before']:.2f} before, "
        f"{meta['load_after']:.2f} after",
        *([f"- {meta['note']}"] if meta.get("note") else []),
        "",
        *_intro(meta, runs),
        "",
        "## Targets",
        "",
        *_targets(runs),
        "",
        *_findings(runs, int(m.get("cores") or 1)),
        "",
        "## Ours against the peers",
        "",
        "First build: from a clean checkout (no build folder). One new day, build folder "
        "kept: with everything the previous build left (docs/, site/, the build folder), as "
        "on the machine of someone who builds every day. One new day in CI: as the publish "
        "workflow builds it: a fresh checkout of data/ (every day file new), with what the "
        "workflow caches (generator/site/build.py's CARRIED_OVER: the build folder, the generated "
        "pages, the site) restored through tar as actions/cache does. Nothing new: a build "
        "right after a build.",
        *_versus(runs),
        "",
        "## Our builds",
        "",
        *_times(runs),
        "",
        "CPU seconds (user + system, every process of the build; the machine has "
        f"{m.get('cores')} cores, so a build cannot take less wall time than its CPU time "
        "divided by them):",
        "",
        *_cpu(runs),
        "",
        "## The peers' builds",
        "",
        *_peer_steps(runs),
        "",
        "## Related papers",
        "",
        *_related(runs),
        "",
        "## Each stage of ours alone (cold)",
        "",
        *_stages(runs),
        "",
        "## Peak memory, MB (largest process / whole process tree at once)",
        "",
        *_memory(runs),
        "",
        "## Site",
        "",
        *_sizes(runs),
        "",
        "## Files written by a rebuild",
        "",
        *_incremental(runs),
        *_new_day_pages(runs),
        "",
        "## What a search downloads (fresh browser, gzip as GitHub Pages serves it)",
        *_searches(runs),
        "",
        "## almanac serve",
        "",
        *_serve(runs),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    """Rewrite RESULTS.md from results.json: `python -m bench.report [results.json]`."""
    import json
    import sys

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("results.json")
    saved = json.loads(source.read_text(encoding="utf-8"))
    write_report(source.with_name("RESULTS.md"), saved["meta"], saved["runs"])


if __name__ == "__main__":
    main()
