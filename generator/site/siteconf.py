"""The address the site is published at, as mkdocs.yml says (`site_url`).

Pages link relatively and work from any address, but feeds and the JSON API are read
outside the site, so their links must be absolute. mkdocs.yml takes the address from the
environment (`site_url: !ENV [ALMANAC_SITE_URL, default]`); reading it with MkDocs' own
YAML loader resolves that the same way `mkdocs build` does.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from generator.errors import AlmanacError
from generator.project import Project

SITE_URL_ENV = "ALMANAC_SITE_URL"
# mkdocs.yml's default, for projects (tests, tools) that have no mkdocs.yml.
DEFAULT_SITE_URL = "https://example.org/paper-almanac/"


def site_url(project: Project) -> str:
    """The published site's root URL, ending in "/"."""
    if not project.mkdocs_yml.is_file():
        return normalise(os.environ.get(SITE_URL_ENV) or DEFAULT_SITE_URL)
    from mkdocs.utils.yaml import yaml_load  # MkDocs' loader knows !ENV

    try:
        with project.mkdocs_yml.open("rb") as handle:
            config = yaml_load(handle)
    except Exception as exc:  # MkDocs raises its own config errors; any of them is fatal here
        raise AlmanacError(f"{project.mkdocs_yml}: cannot read site_url: {exc}") from None
    value = config.get("site_url") if isinstance(config, dict) else None
    if not isinstance(value, str) or not value.strip():
        raise AlmanacError(
            f"{project.mkdocs_yml}: site_url is not set; feeds and the JSON API need the "
            f"address the site is published at (set it, or {SITE_URL_ENV})"
        )
    return normalise(value)


def normalise(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise AlmanacError(f"site_url must be an http(s) address without query or #: {url!r}")
    return url if url.endswith("/") else url + "/"
