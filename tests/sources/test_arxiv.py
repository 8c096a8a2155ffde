from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator.archive.sources.arxiv import (
    ArxivMeta,
    apply,
    fetch_listings,
    fetch_metadata,
    parse_atom,
    search_query,
)
from generator.archive.sources.arxiv_days import submission_window
from generator.archive.sources.http import Client
from generator.errors import SourceError
from generator.models import ArxivFeed, Paper

from .conftest import FIXTURES, FakeTime

MakeClient = Callable[..., Client]
ATOM = (FIXTURES / "arxiv_two_entries.xml").read_text(encoding="utf-8")


def feed(*entries: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        + "".join(entries)
        + "</feed>"
    )


def entry(paper_id: str, category: str = "cs.LG") -> str:
    return (
        f"<entry><id>https://arxiv.org/abs/{paper_id}v1</id><title>T</title>"
        f'<arxiv:primary_category term="{category}"/><category term="{category}"/></entry>'
    )


def test_parses_the_recorded_feed() -> None:
    found = parse_atom(ATOM, "fixture")
    assert found == {
        "2601.01739": ArxivMeta(
            primary_category="cs.CL",
            categories=("cs.CL", "cs.AI", "cs.LG"),
            comment="29 pages, 9 figures; technical report",  # arXiv's line wrap undone
            journal_ref="Proc. Imaginary Conf. 2026, 1-29",
            doi="10.48550/arXiv.2601.01739",
            version=2,
            updated=date(2026, 1, 6),  # v2's day; v1 was 2026-01-05
        ),
        "2509.02547": ArxivMeta(primary_category="math.OC", categories=("math.OC",), version=1),
    }  # the Error entry for the malformed id is not a paper


def test_https_ids_and_namespaces_declared_on_the_root() -> None:
    found = parse_atom(feed(entry("2601.00001", "physics.comp-ph")), "t")
    assert found == {
        "2601.00001": ArxivMeta(
            primary_category="physics.comp-ph", categories=("physics.comp-ph",), version=1
        )
    }


def test_an_empty_feed_finds_nothing() -> None:
    assert parse_atom(feed(), "t") == {}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Rate exceeded.", "malformed XML"),
        ("<feed xmlns='http://www.w3.org/2005/Atom'><entry>", "malformed XML"),
        ("", "malformed XML"),
        ("<html><body>Service Unavailable</body></html>", "not an Atom feed"),
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol2;</title></feed>',
            "DOCTYPE or ENTITY",
        ),
        ('<!doctype feed SYSTEM "http://example.test/x.dtd"><feed/>', "DOCTYPE or ENTITY"),
    ],
)
def test_unusable_answers_are_source_errors(text: str, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        parse_atom(text, "t")


def serve_feeds(httpserver: HTTPServer, fail_batch: int | None = None) -> list[list[str]]:
    """Answer each request with entries for the ids it asks for; returns the batches."""
    batches: list[list[str]] = []

    def handler(request: Request) -> Response:
        ids = request.args["id_list"].split(",")
        batches.append(ids)
        if int(request.args["max_results"]) != len(ids):
            return Response("bad max_results", status=400)
        if len(batches) == fail_batch:
            return Response("down", status=503)
        return Response(feed(*(entry(i) for i in ids)), content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(handler)
    return batches


def test_fetches_in_batches_with_a_polite_delay(
    httpserver: HTTPServer, make_client: MakeClient, fake_time: FakeTime
):
    ids = [f"2601.{n:05d}" for n in range(250)]
    batches = serve_feeds(httpserver)
    client = make_client(delay=3.0)
    found, errors = fetch_metadata(client, ids, base_url=httpserver.url_for("/"))
    assert [len(b) for b in batches] == [100, 100, 50]
    assert [i for b in batches for i in b] == ids
    assert sorted(found) == ids
    assert errors == []
    assert fake_time.sleeps == [3.0, 3.0]  # between requests, not before the first


def test_a_failed_batch_is_reported_and_the_rest_kept(
    httpserver: HTTPServer, make_client: MakeClient
):
    ids = [f"2601.{n:05d}" for n in range(5)]
    serve_feeds(httpserver, fail_batch=2)
    found, errors = fetch_metadata(
        make_client(retries=0), ids, batch_size=2, base_url=httpserver.url_for("/")
    )
    assert sorted(found) == ids[:2] + ids[4:]
    assert [e.message for e in errors] == ["HTTP 503 after 1 attempt"]
    assert "id_list=2601.00002%2C2601.00003" in errors[0].origin


def test_an_unreadable_batch_is_reported_as_a_fetch_error(
    httpserver: HTTPServer, make_client: MakeClient
):
    httpserver.expect_request("/api/query").respond_with_data("Rate exceeded.")
    found, errors = fetch_metadata(make_client(), ["2601.00001"], base_url=httpserver.url_for("/"))
    assert found == {}
    assert len(errors) == 1
    assert "malformed XML" in errors[0].message


def test_only_arxiv_ids_are_asked_for_once(httpserver: HTTPServer, make_client: MakeClient):
    batches = serve_feeds(httpserver)
    found, _ = fetch_metadata(
        make_client(),
        ["t-0123456789ab", "2601.00001v3", "2601.00001", "hep-th/9901001", "2601.00002"],
        base_url=httpserver.url_for("/"),
    )
    # Old-style ids are arXiv ids too; a title id is not.
    assert batches == [["2601.00001", "hep-th/9901001", "2601.00002"]]
    assert sorted(found) == ["2601.00001", "2601.00002", "hep-th/9901001"]


def test_nothing_to_ask_makes_no_request(httpserver: HTTPServer, make_client: MakeClient):
    assert fetch_metadata(make_client(), [], base_url=httpserver.url_for("/")) == ({}, [])
    assert httpserver.log == []


def test_apply_sets_fields_and_keeps_what_arxiv_lacks() -> None:
    paper = Paper(id="2601.01739", title="T", day=date(2026, 1, 6), doi="10.1/old")
    meta = parse_atom(ATOM, "fixture")["2601.01739"]
    enriched = apply(paper, meta)
    assert enriched.primary_category == "cs.CL"
    assert enriched.categories == ("cs.CL", "cs.AI", "cs.LG")
    assert enriched.arxiv_comment == "29 pages, 9 figures; technical report"
    assert enriched.journal_ref == "Proc. Imaginary Conf. 2026, 1-29"
    assert enriched.doi == "10.48550/arXiv.2601.01739"
    assert apply(enriched, ArxivMeta()) == enriched
    assert apply(paper, ArxivMeta()).doi == "10.1/old"


# --- a feed's listings -----------------------------------------------------------------------

WEEK = [date(2026, 1, d) for d in range(5, 10)]
FEED = ArxivFeed("language", ("cs.CL", "cs.LG"), 'abs:"language model"')


def listing(total: int, *ids: str, published: str = "2026-01-06T15:00:00Z") -> str:
    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/{i}v1</id><published>{published}</published>"
        f"<title>Paper {i}</title><author><name>A. Writer</name></author></entry>"
        for i in ids
    )
    return (
        '<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"<opensearch:totalResults>{total}</opensearch:totalResults>{entries}</feed>"
    )


def test_the_query_asks_for_the_feed_in_the_weeks_submission_window() -> None:
    start, end = submission_window(WEEK[0], WEEK[-1])
    assert search_query(FEED, start, end) == (
        '(cat:cs.CL OR cat:cs.LG) AND (abs:"language model") AND '
        "submittedDate:[202601011900 TO 202601081859]"
    )


def test_pages_are_followed_with_start_until_the_total(
    httpserver: HTTPServer, make_client: MakeClient, fake_time: FakeTime
) -> None:
    pages = [listing(5, "2601.00001", "2601.00002"), listing(5, "2601.00003", "2601.00004")]
    pages.append(listing(5, "2601.00005"))
    starts: list[str] = []

    def handler(request: Request) -> Response:
        starts.append(request.args["start"])
        assert request.args["sortBy"] == "submittedDate"
        return Response(pages[len(starts) - 1], content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(handler)
    result = fetch_listings(
        make_client(delay=3.0),
        FEED,
        WEEK,
        fetched_at="2026-01-10T00:00:00Z",
        base_url=httpserver.url_for("/"),
        page_size=2,
    )
    assert starts == ["0", "2", "4"]
    assert [p.id for p in result.papers] == [f"2601.0000{n}" for n in range(1, 6)]
    assert {p.fetched_at for p in result.papers} == {"2026-01-10T00:00:00Z"}
    assert fake_time.sleeps == [3.0, 3.0]  # arXiv's 3 s between requests


def test_an_empty_page_before_the_total_is_asked_again_then_refused(
    httpserver: HTTPServer, make_client: MakeClient
) -> None:
    answers = [listing(3, "2601.00001", "2601.00002"), listing(3), listing(3, "2601.00003")]
    httpserver.expect_ordered_request("/api/query").respond_with_data(answers[0])
    httpserver.expect_ordered_request("/api/query").respond_with_data(answers[1])
    httpserver.expect_ordered_request("/api/query").respond_with_data(answers[2])
    result = fetch_listings(
        make_client(), FEED, WEEK, fetched_at="2026-01-10T00:00:00Z",
        base_url=httpserver.url_for("/"), page_size=2,
    )  # fmt: skip
    assert [p.id for p in result.papers] == ["2601.00001", "2601.00002", "2601.00003"]
    httpserver.clear()
    httpserver.expect_request("/api/query").respond_with_data(listing(3))
    with pytest.raises(SourceError, match="3 times with no entries at 0 of 3"):
        fetch_listings(
            make_client(), FEED, WEEK, fetched_at="2026-01-10T00:00:00Z",
            base_url=httpserver.url_for("/"),
        )  # fmt: skip


def test_an_error_midway_loses_the_whole_week(
    httpserver: HTTPServer, make_client: MakeClient
) -> None:
    error = (FIXTURES.parent.parent / "fixtures" / "arxiv" / "error.atom").read_text()
    httpserver.expect_ordered_request("/api/query").respond_with_data(listing(4, "2601.00001"))
    httpserver.expect_ordered_request("/api/query").respond_with_data(error, status=400)
    with pytest.raises(SourceError, match="HTTP 400"):
        fetch_listings(
            make_client(retries=0), FEED, WEEK, fetched_at="2026-01-10T00:00:00Z",
            base_url=httpserver.url_for("/"), page_size=1,
        )  # fmt: skip


def test_more_than_arxiv_serves_is_refused_with_what_to_do(
    httpserver: HTTPServer, make_client: MakeClient
) -> None:
    httpserver.expect_request("/api/query").respond_with_data(listing(45_000, "2601.00001"))
    with pytest.raises(SourceError, match="narrow the feed"):  # after one request
        fetch_listings(
            make_client(), FEED, WEEK[:1], fetched_at="2026-01-10T00:00:00Z",
            base_url=httpserver.url_for("/"), page_size=10_000,
        )  # fmt: skip
    assert len(httpserver.log) == 1


def test_weekends_ask_for_nothing(httpserver: HTTPServer, make_client: MakeClient) -> None:
    result = fetch_listings(
        make_client(), FEED, [date(2026, 1, 10), date(2026, 1, 11)],
        fetched_at="2026-01-10T00:00:00Z", base_url=httpserver.url_for("/"),
    )  # fmt: skip
    assert result.papers == [] and httpserver.log == []
