"""ProperDocs, the maintained fork of MkDocs 1.x, builds the same site as MkDocs.

MkDocs 1.x is unmaintained and Material is in maintenance mode: this keeps the move to
ProperDocs a pin (and, for `almanac build`'s calls into `mkdocs.*`, the import of
`properdocs.replacement`, which its own CLI does first). The shipped sample's pages are
generated once (`almanac generate`'s code), then the build's MkDocs step
(`mkdocs_glue.mkdocs_build`, as `almanac build` runs it, with the project's mkdocs.yml and
hooks) runs once with each, and the two site/ trees must hold the same files with the
same bytes, but for the generator <meta> tag each puts in every page. Pagefind is not
part of that step: its index goes in after it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

import pytest
from helpers import QUIET, REPO, make_site_project

from generator.site.build import generate_only

pytestmark = pytest.mark.slow

BUILDERS = ("mkdocs", "properdocs")

# The build's MkDocs step in a fresh interpreter per builder: ProperDocs takes over the
# `mkdocs.*` imports (of mkdocs_glue, the hooks and Material) process-wide, as its own CLI
# does before anything else. Each run then checks it loaded nothing of the other package.
STEP = """
import os
import sys
from importlib import metadata
from pathlib import Path

sys.path.insert(0, sys.argv[1])
builder = sys.argv[2]
if builder == "properdocs":
    import properdocs.replacement  # noqa: F401  (mkdocs.* is ProperDocs from here on)

from generator.progress import Progress
from generator.project import Project
from generator.site.build import Build
from generator.site.mkdocs_glue import mkdocs_build

project = Project(Path("."))
mkdocs_build(project, driver=Build(project, Progress(quiet=True)))  # the hooks stand aside
other = "properdocs" if builder == "mkdocs" else "mkdocs"
root = str(metadata.distribution(other).locate_file(other)) + os.sep
used = sorted(
    name for name, module in list(sys.modules.items())
    if (getattr(module, "__file__", None) or "").startswith(root)
)
assert not used, f"the {builder} build loaded {other}'s modules: {used[:5]}"
"""


def generator_tag(builder: str) -> bytes:
    """The generator <meta> tag Material writes under `builder` (from the installed pins)."""
    version = metadata.version(builder)
    name = f"ProperDocs {version}" if builder == "properdocs" else version
    material = metadata.version("mkdocs-material")
    return f'<meta name="generator" content="mkdocs-{name}, mkdocs-material-{material}">'.encode()


def mkdocs_step(project_root: Path, builder: str) -> Path:
    """The MkDocs step with `builder` into site/, moved to site-<builder>/; returns that."""
    env = dict(os.environ)
    # The sitemap's dates and its gzip time are the build's date: the same for both runs.
    env["SOURCE_DATE_EPOCH"] = "1767225600"
    result = subprocess.run(
        [sys.executable, "-c", STEP, str(REPO), builder],
        cwd=project_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{builder}: {result.stderr[-3000:]}"
    return (project_root / "site").rename(project_root / f"site-{builder}")


def tree(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def first_difference(a: bytes, b: bytes) -> str:
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return f"at byte {at}: {a[max(at - 60, 0) : at + 60]!r} != {b[max(at - 60, 0) : at + 60]!r}"


def test_properdocs_builds_the_sample_site_byte_for_byte_as_mkdocs(tmp_path: Path) -> None:
    if find_spec("properdocs") is None:
        pytest.fail("properdocs is not installed: pip install -c constraints.txt -e '.[dev]'")
    began = time.perf_counter()
    project = make_site_project(tmp_path / "project", REPO / "data")
    generate_only(project, QUIET)
    sites = {builder: tree(mkdocs_step(project.root, builder)) for builder in BUILDERS}
    print(f"generated and built twice in {time.perf_counter() - began:.1f} s")

    mkdocs, properdocs = sites["mkdocs"], sites["properdocs"]
    assert sorted(mkdocs) == sorted(properdocs), (
        f"only mkdocs: {sorted(set(mkdocs) - set(properdocs))[:10]}; "
        f"only properdocs: {sorted(set(properdocs) - set(mkdocs))[:10]}"
    )
    # Each builder's own tag, exactly as its pins write it, and nothing else normalised.
    tags = {builder: re.compile(re.escape(generator_tag(builder))) for builder in BUILDERS}
    tagged: set[str] = set()
    differ: list[str] = []
    for rel in sorted(mkdocs):
        one, other = mkdocs[rel].read_bytes(), properdocs[rel].read_bytes()
        one, found = tags["mkdocs"].subn(b"<meta generator>", one)
        other, found_too = tags["properdocs"].subn(b"<meta generator>", other)
        assert found <= 1 and found_too <= 1, rel
        if found:
            tagged.add(rel)
        if one != other:
            differ.append(f"{rel} {first_difference(one, other)}")
    assert not differ, f"{len(differ)} files differ:\n" + "\n".join(differ[:5])
    pages = {rel for rel in mkdocs if rel.endswith("index.html") or rel == "404.html"}
    assert len(pages) > 100 and pages <= tagged  # every page carried its builder's tag
    # The build that was compared is the project's: its hooks' policy and the sample's days.
    home = (tmp_path / "project/site-properdocs/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="Content-Security-Policy"' in home
    assert len([rel for rel in pages if rel.startswith("days/") and rel.count("/") == 4]) == 44
