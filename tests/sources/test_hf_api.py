from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator.archive.sources.base import ParseResult
from generator.archive.sources.hf_api import fetch_day
from generator.archive.sources.http import Client
from generator.errors import FetchError, SourceError

MakeClient = Callable[..., Client]
DAY = date(2026, 1, 6)
FETCHED = "2026-01-07T06:00:00Z"


def rec(n: int, daily: str = "2026-01-06T08:00:00.000Z") -> dict[str, Any]:
    return {
        "paper": {
            "id": f"2601.{n:05d}",
            "title": f"Paper {n}",
            "submittedOnDailyAt": daily,
            "upvotes": n,
        },
        "numComments": 0,
    }


def serve_pages(httpserver: HTTPServer, records: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Answer like HF: `limit` records from page `p`; returns the query of each request."""
    seen: list[dict[str, str]] = []

    def handler(request: Request) -> Response:
        seen.append(dict(request.args))
        limit, page = int(request.args["limit"]), int(request.args["p"])
        chunk = records[page * limit : (page + 1) * limit]
        return Response(json.dumps(chunk), content_type="application/json")

    httpserver.expect_request("/api/daily_papers").respond_with_handler(handler)
    return seen


def fetch(httpserver: HTTPServer, client: Client, **options: Any) -> ParseResult:
    return fetch_day(client, DAY, base_url=httpserver.url_for("/"), fetched_at=FETCHED, **options)


def test_follows_pages_until_a_short_one(httpserver: HTTPServer, make_client: MakeClient):
    seen = serve_pages(httpserver, [rec(n) for n in range(1, 6)])
    result = fetch(httpserver, make_client(), page_size=2)
    assert [p.id for p in result.papers] == [f"2601.{n:05d}" for n in range(1, 6)]
    assert seen == [{"date": "2026-01-06", "limit": "2", "p": str(p)} for p in range(3)]
    assert result.problems == []
    stamps = {(p.day, p.fetched_at, p.sources) for p in result.papers}
    assert stamps == {(DAY, FETCHED, ("hf-daily",))}


def test_a_full_last_page_needs_one_empty_page(httpserver: HTTPServer, make_client: MakeClient):
    seen = serve_pages(httpserver, [rec(n) for n in range(1, 5)])
    result = fetch(httpserver, make_client(), page_size=2)
    assert len(result.papers) == 4
    assert len(seen) == 3


def test_one_page_is_enough_for_a_small_day(httpserver: HTTPServer, make_client: MakeClient):
    seen = serve_pages(httpserver, [rec(1), rec(2)])
    assert len(fetch(httpserver, make_client()).papers) == 2
    assert seen == [{"date": "2026-01-06", "limit": "100", "p": "0"}]


def test_stops_when_the_server_ignores_the_page(httpserver: HTTPServer, make_client: MakeClient):
    httpserver.expect_request("/api/daily_papers").respond_with_json([rec(1), rec(2)])
    result = fetch(httpserver, make_client(), page_size=2)
    assert [p.id for p in result.papers] == ["2601.00001", "2601.00002"]
    assert len(httpserver.log) == 2


def test_papers_repeated_across_pages_are_kept_once(
    httpserver: HTTPServer, make_client: MakeClient
):
    # Upvotes reorder the list between requests, so a paper can show up on two pages.
    pages = [[rec(1), rec(2)], [rec(2), rec(3)], [rec(4)]]
    for page in pages:
        httpserver.expect_ordered_request("/api/daily_papers").respond_with_json(page)
    result = fetch(httpserver, make_client(), page_size=2)
    assert [p.id for p in result.papers] == ["2601.00001", "2601.00002", "2601.00003", "2601.00004"]
    assert result.problems == []


def test_gives_up_after_max_pages(httpserver: HTTPServer, make_client: MakeClient):
    serve_pages(httpserver, [rec(n) for n in range(1, 100)])
    with pytest.raises(SourceError, match="after 3 pages"):
        fetch(httpserver, make_client(), page_size=2, max_pages=3)
    assert len(httpserver.log) == 3


def test_a_paper_keeps_its_own_listing_day(httpserver: HTTPServer, make_client: MakeClient):
    serve_pages(httpserver, [rec(1), rec(2, daily="2026-01-05T23:00:00.000Z")])
    result = fetch(httpserver, make_client())
    assert [p.day for p in result.papers] == [DAY, date(2026, 1, 5)]
    assert result.problems == []


def test_record_problems_are_passed_on(httpserver: HTTPServer, make_client: MakeClient):
    bad = rec(2)
    bad["paper"]["upvotes"] = -3
    serve_pages(httpserver, [rec(1), bad])
    result = fetch(httpserver, make_client())
    assert len(result.papers) == 2
    assert [(p.paper_id, p.field) for p in result.problems] == [("2601.00002", "upvotes")]
    assert "p=0" in (result.problems[0].path or "")


def test_wrong_shape_rejects_the_day(httpserver: HTTPServer, make_client: MakeClient):
    httpserver.expect_request("/api/daily_papers").respond_with_json({"papers": [rec(1)]})
    with pytest.raises(SourceError, match="got an object"):
        fetch(httpserver, make_client())


def test_html_rejects_the_day(httpserver: HTTPServer, make_client: MakeClient):
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        "<html><body>Hugging Face is down</body></html>", content_type="text/html"
    )
    with pytest.raises(SourceError, match="not JSON"):
        fetch(httpserver, make_client())


def test_a_failing_later_page_rejects_the_whole_day(
    httpserver: HTTPServer, make_client: MakeClient
):
    httpserver.expect_ordered_request("/api/daily_papers").respond_with_json([rec(1), rec(2)])
    httpserver.expect_request("/api/daily_papers").respond_with_data("", status=503)
    with pytest.raises(FetchError, match="HTTP 503 after 2 attempts"):
        fetch(httpserver, make_client(retries=1), page_size=2)


def test_page_size_must_be_positive(make_client: MakeClient) -> None:
    with pytest.raises(ValueError, match="page_size"):
        fetch_day(make_client(), DAY, page_size=0, fetched_at=FETCHED)
