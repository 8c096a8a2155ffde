"""Import and validate at scale: N synthetic records as HF JSON files → data/ → validate.

Run: `python -m bench.archive_bench --papers 10000` (or `make bench`). The baseline, in the
same run, is the least any importer must do: json.load every input and yaml.safe_dump the
records once. Our times are reported as ratios to it, since these machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bench.synth import hf_records, synth_papers
from generator.archive import commands as pipeline
from generator.progress import Progress
from generator.project import Project


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _baseline(inputs: Path) -> None:
    for path in sorted(inputs.glob("*.json")):
        yaml.safe_dump(json.loads(path.read_text()), allow_unicode=True)


def run(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = root / "inputs"
        inputs.mkdir()
        for day, records in hf_records(synth_papers(n)):
            (inputs / f"{day}.json").write_text(json.dumps(records))
        project = Project(root / "project")
        quiet = Progress(quiet=True)
        t_base, _ = _timed(lambda: _baseline(inputs))
        t_import, report = _timed(lambda: pipeline.import_inputs(project, [inputs], quiet))
        t_again, again = _timed(lambda: pipeline.import_inputs(project, [inputs], quiet))
        t_validate, (count, problems) = _timed(lambda: pipeline.validate(project))
        if report.added != n or again.files_written != 0 or count != n or problems:
            raise SystemExit(f"benchmark run is wrong: {report} {again} {count} {problems[:3]}")
    return {
        "papers": n,
        "baseline_s": t_base,
        "import_s": t_import,
        "reimport_s": t_again,
        "validate_s": t_validate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=10_000)
    args = parser.parse_args()
    r = run(args.papers)
    base = r["baseline_s"]
    print(f"papers: {args.papers}")
    print(f"baseline (json.load + yaml.safe_dump): {base:.2f} s")
    for key in ("import_s", "reimport_s", "validate_s"):
        print(f"{key[:-2]}: {r[key]:.2f} s ({r[key] / base:.2f}x baseline)")


if __name__ == "__main__":
    main()
