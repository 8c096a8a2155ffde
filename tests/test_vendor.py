"""The vendored KaTeX is the one its README names: every file's hash matches, every woff2
font its stylesheet asks for is there.

To list the hashes after an upgrade (run in docs/assets/vendor/katex/):

    for f in katex.min.js katex.min.css LICENSE fonts/*.woff2; do
      echo "sha384-$(openssl dgst -sha384 -binary $f | base64 -w0)  $f"; done
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

KATEX = Path(__file__).resolve().parents[1] / "docs" / "assets" / "vendor" / "katex"


def _listed() -> dict[str, str]:
    readme = (KATEX / "README.txt").read_text(encoding="utf-8")
    return {name: digest for digest, name in re.findall(r"^(sha384-\S+)  (\S+)$", readme, re.M)}


def test_every_vendored_file_has_the_listed_hash() -> None:
    listed = _listed()
    present = {
        p.relative_to(KATEX).as_posix()
        for p in KATEX.rglob("*")
        if p.is_file() and p.name != "README.txt"
    }
    assert present == set(listed)
    for name, digest in listed.items():
        actual = base64.b64encode(hashlib.sha384((KATEX / name).read_bytes()).digest()).decode()
        assert digest == f"sha384-{actual}", name


def test_the_stylesheets_woff2_fonts_are_all_there() -> None:
    css = (KATEX / "katex.min.css").read_text(encoding="utf-8")
    fonts = set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css))
    assert fonts
    assert all((KATEX / font).is_file() for font in fonts)


def test_the_readme_names_the_version_the_script_has() -> None:
    readme = (KATEX / "README.txt").read_text(encoding="utf-8")
    version = re.match(r"KaTeX (\d+\.\d+\.\d+),", readme)
    assert version
    script = (KATEX / "katex.min.js").read_text(encoding="utf-8")
    assert f'"{version.group(1)}"' in script
