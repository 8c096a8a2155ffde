"""An old-style arXiv id ("hep-th/0601001") goes everywhere a new-style one goes: data/,
the day page's anchor and every link to it, BibTeX, the search record, the catalog and
the JSON API."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import jsonschema
from helpers import SCHEMA_FILE, AllOther, api_files, lookup, make_paper, render_all, save_day

from generator.archive import store
from generator.archive.sources.arxiv import parse_atom
from generator.models import Links
from generator.project import Project
from generator.site.arranged import build_archive
from generator.site.classify import OTHER
from generator.site.render.catalog import catalog_files, id_key
from generator.site.render.urls import paper_url
from generator.site.siteconf import DEFAULT_SITE_URL

OLD = "hep-th/0601001"
DAY = date(2026, 1, 5)


def _paper() -> object:
    return make_paper(
        f"{OLD}v2",
        title="Strings, old and new",
        day=DAY,
        authors=("Ada Lovelace",),
        links=Links.for_arxiv(OLD),
        primary_category="hep-th",
        categories=("hep-th",),
    )


def test_an_old_style_id_round_trips_through_data(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.papers_dir.mkdir(parents=True)
    save_day(project, DAY, [_paper()])  # type: ignore[list-item]
    (read,) = store.read_archive(project).papers
    assert read.id == OLD and read.links.arxiv == f"https://arxiv.org/abs/{OLD}"


def test_an_old_style_id_is_an_anchor_a_link_a_record_and_a_catalog_key() -> None:
    archive = build_archive([_paper()], [], {}, AllOther(), OTHER)  # type: ignore[list-item]
    docs, _manifest = render_all(archive)
    day_page = str(docs["days/2026/01/05/index.md"])
    assert f'id="{OLD}"' in day_page
    linked = [text for path, text in docs.items() if f"#{OLD}" in str(text)]
    assert linked, "no page links to the paper's anchor"
    assert f"eprint = {{{OLD}}}" in day_page
    files = catalog_files(archive)
    assert lookup(files, id_key(OLD)) == [0]
    row = json.loads(files["papers/0.json"])[0]
    # The search page makes the permalink of the row's id and day, as paper_url does.
    assert f"days/{row[2].replace('-', '/')}/#{row[0]}" == paper_url(OLD, DAY)
    api = api_files(archive, DEFAULT_SITE_URL)
    day_doc = json.loads(api["api/days/2026-01-05.json"])
    assert [p["id"] for p in day_doc["papers"]] == [OLD]
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(day_doc, schema, cls=jsonschema.Draft202012Validator)


def test_enrichment_reads_old_style_ids() -> None:
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<entry><id>http://arxiv.org/abs/{OLD}v1</id><title>T</title>"
        '<arxiv:primary_category term="hep-th"/><category term="hep-th"/></entry></feed>'
    )
    assert list(parse_atom(feed, "t")) == [OLD]
