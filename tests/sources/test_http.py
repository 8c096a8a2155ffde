from __future__ import annotations

import io
import json
from collections.abc import Callable
from email.utils import formatdate

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator import __version__
from generator.archive.sources.http import USER_AGENT, Client, _read_body, _Retryable, full_url
from generator.errors import FetchError, HostUnreachable, SourceError

from .conftest import RESET, FakeTime, Hang, RawServer, http_response

MakeClient = Callable[..., Client]


def test_user_agent_names_the_project_and_version() -> None:
    expected = f"paper-almanac/{__version__} (+https://github.com/paper-almanac)"
    assert expected == USER_AGENT


def test_get_json_sends_params_and_user_agent(httpserver: HTTPServer, make_client: MakeClient):
    httpserver.expect_request(
        "/api", query_string={"date": "2026-01-06", "p": "0"}, headers={"User-Agent": USER_AGENT}
    ).respond_with_json([{"a": 1}])
    client = make_client()
    assert client.get_json(httpserver.url_for("/api"), {"date": "2026-01-06", "p": 0}) == [{"a": 1}]


def test_get_text_uses_the_declared_charset(httpserver: HTTPServer, make_client: MakeClient):
    body = "Café".encode("latin-1")
    httpserver.expect_request("/t").respond_with_data(
        body, content_type="text/plain; charset=ISO-8859-1"
    )
    assert make_client().get_text(httpserver.url_for("/t")) == "Café"


def test_get_text_defaults_to_utf8(httpserver: HTTPServer, make_client: MakeClient):
    httpserver.expect_request("/t").respond_with_data("Ωmega".encode(), content_type="text/xml")
    assert make_client().get_text(httpserver.url_for("/t")) == "Ωmega"


def test_429_waits_as_retry_after_says_then_succeeds(
    httpserver: HTTPServer, make_client: MakeClient, fake_time: FakeTime
):
    httpserver.expect_ordered_request("/api").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/api").respond_with_json(["ok"])
    assert make_client().get_json(httpserver.url_for("/api")) == ["ok"]
    assert fake_time.sleeps == [7.0]


def test_retry_after_as_http_date(
    httpserver: HTTPServer, make_client: MakeClient, fake_time: FakeTime
):
    when = formatdate(fake_time.now + 30, usegmt=True)
    httpserver.expect_ordered_request("/api").respond_with_data(
        "", status=503, headers={"Retry-After": when}
    )
    httpserver.expect_ordered_request("/api").respond_with_json([])
    assert make_client().get_json(httpserver.url_for("/api")) == []
    assert fake_time.sleeps == [30.0]


def test_a_retry_after_longer_than_the_cap_ends_the_request(
    httpserver: HTTPServer, make_client: MakeClient, fake_time: FakeTime
):
    # Waiting less than the server asks would only be refused again: stop, and say why.
    httpserver.expect_request("/api").respond_with_data(
        "", status=429, headers={"Retry-After": "86400"}
    )
    with pytest.raises(FetchError, match=r"asked to wait 86400 s, longer than the 60 s"):
        make_client(backoff_cap=60.0).get_json(httpserver.url_for("/api"))
    assert fake_time.sleeps == [] and len(httpserver.log) == 1


def test_5xx_until_retries_run_out(
    httpserver: HTTPServer, make_client: MakeClient, fake_time: FakeTime
):
    httpserver.expect_request("/api").respond_with_data("down", status=503)
    client = make_client(retries=4)
    with pytest.raises(FetchError) as caught:
        client.get_json(httpserver.url_for("/api"), {"date": "2026-01-06"})
    assert caught.value.message == "HTTP 503 after 5 attempts"
    assert caught.value.origin == httpserver.url_for("/api") + "?date=2026-01-06"
    assert len(httpserver.log) == 5
    assert fake_time.sleeps == [2.0, 4.0, 8.0, 16.0]  # exponential from 2 s, none after the last


def test_backoff_is_capped(httpserver: HTTPServer, make_client: MakeClient, fake_time: FakeTime):
    httpserver.expect_request("/api").respond_with_data("down", status=500)
    with pytest.raises(FetchError, match="HTTP 500 after 7 attempts"):
        make_client(retries=6, backoff_cap=10.0).get_json(httpserver.url_for("/api"))
    assert fake_time.sleeps == [2.0, 4.0, 8.0, 10.0, 10.0, 10.0]


def test_other_4xx_fails_at_once(
    httpserver: HTTPServer, make_client: MakeClient, fake_time: FakeTime
):
    httpserver.expect_request("/api").respond_with_data("no", status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        make_client().get_json(httpserver.url_for("/api"))
    assert len(httpserver.log) == 1
    assert fake_time.sleeps == []


def test_retries_are_reported(httpserver: HTTPServer, make_client: MakeClient):
    httpserver.expect_ordered_request("/api").respond_with_data("", status=502)
    httpserver.expect_ordered_request("/api").respond_with_json([])
    messages: list[str] = []
    make_client(on_retry=messages.append).get_json(httpserver.url_for("/api"))
    assert len(messages) == 1
    assert "HTTP 502; retrying in 2 s (attempt 2 of 5)" in messages[0]


def test_polite_delay_between_requests(
    httpserver: HTTPServer, make_client: MakeClient, fake_time: FakeTime
):
    httpserver.expect_request("/api").respond_with_json([])
    client = make_client(delay=1.5)
    client.get_json(httpserver.url_for("/api"))
    assert fake_time.sleeps == []  # nothing to wait for before the first request
    client.get_json(httpserver.url_for("/api"))
    fake_time.now += 0.5  # time passes outside the client: only the rest is waited
    client.get_json(httpserver.url_for("/api"))
    assert fake_time.sleeps == [1.5, 1.0]


def test_read_timeout_is_retried(raw_server: RawServer, make_client: MakeClient):
    raw_server.script = [Hang(2.0), http_response(b'["late"]')]
    client = make_client(timeout=(0.2, 0.2))
    assert client.get_json(raw_server.url + "/api") == ["late"]
    assert len(raw_server.requests) == 2


def test_read_timeout_until_retries_run_out(raw_server: RawServer, make_client: MakeClient):
    raw_server.script = [Hang(2.0), Hang(2.0)]
    with pytest.raises(FetchError, match="timed out after 2 attempts"):
        make_client(timeout=(0.2, 0.2), retries=1).get_json(raw_server.url + "/api")


def test_truncated_body_is_retried(raw_server: RawServer, make_client: MakeClient):
    raw_server.script = [
        http_response(b'[{"id": 1}, {"i', content_length=500),
        http_response(b"[1]"),
    ]
    assert make_client().get_json(raw_server.url + "/api") == [1]
    assert len(raw_server.requests) == 2


def test_truncated_body_until_retries_run_out(raw_server: RawServer, make_client: MakeClient):
    raw_server.script = [http_response(b"[1, 2", content_length=50)] * 3
    with pytest.raises(FetchError, match="truncated body after 3 attempts"):
        make_client(retries=2).get_json(raw_server.url + "/api")


def test_cut_json_with_a_matching_length_is_retried(raw_server: RawServer, make_client: MakeClient):
    raw_server.script = [http_response(b'[{"title": "Half a tit'), http_response(b"[]")]
    assert make_client().get_json(raw_server.url + "/api") == []
    assert len(raw_server.requests) == 2


def test_connection_reset_is_retried(raw_server: RawServer, make_client: MakeClient):
    raw_server.script = [RESET, http_response(b"[3]")]
    assert make_client().get_json(raw_server.url + "/api") == [3]


def test_a_host_that_refuses_is_tried_twice_then_given_up_for_the_run(
    raw_server: RawServer, make_client: MakeClient, fake_time: FakeTime
):
    url = raw_server.url + "/api"
    raw_server.close()
    client = make_client(retries=4)  # retries are for answers that can change; this cannot
    refused = r"cannot be reached \(connection failed \(Connection refused\)\) after 2 attempts"
    with pytest.raises(HostUnreachable, match=refused):
        client.get_json(url)
    assert fake_time.sleeps == [2.0]
    with pytest.raises(HostUnreachable, match="cannot be reached"):  # at once, no network
        client.get_json(url + "?p=1")
    assert fake_time.sleeps == [2.0]


def test_a_host_that_never_answers_to_connect_is_given_up_too(
    make_client: MakeClient, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
):
    client = make_client(retries=4)
    calls: list[str] = []

    def no_answer(*args: object, **kwargs: object) -> None:
        calls.append("connect")
        raise requests.ConnectTimeout("connect timed out")

    monkeypatch.setattr(client.session, "get", no_answer)
    with pytest.raises(HostUnreachable, match=r"no answer to connect\) after 2 attempts"):
        client.get_json("https://huggingface.co/api/daily_papers")
    assert calls == ["connect", "connect"] and fake_time.sleeps == [2.0]


def test_html_instead_of_json_is_a_source_error(httpserver: HTTPServer, make_client: MakeClient):
    httpserver.expect_request("/api").respond_with_data(
        "<!doctype html><html><body>Maintenance</body></html>", content_type="text/html"
    )
    with pytest.raises(SourceError, match=r"not JSON \(text/html\)") as caught:
        make_client().get_json(httpserver.url_for("/api"))
    assert not isinstance(caught.value, FetchError)
    assert len(httpserver.log) == 1


def test_empty_body_is_a_source_error(httpserver: HTTPServer, make_client: MakeClient):
    httpserver.expect_request("/api").respond_with_data("")
    with pytest.raises(SourceError, match="empty response body"):
        make_client().get_json(httpserver.url_for("/api"))


def test_valid_json_of_any_shape_is_returned(httpserver: HTTPServer, make_client: MakeClient):
    # The client only decodes; whether the shape is right is the parser's business.
    httpserver.expect_request("/api").respond_with_json({"papers": []})
    assert make_client().get_json(httpserver.url_for("/api")) == {"papers": []}


def test_redirect_is_followed(httpserver: HTTPServer, make_client: MakeClient):
    httpserver.expect_request("/old").respond_with_response(
        Response(status=301, headers={"Location": httpserver.url_for("/new")})
    )
    httpserver.expect_request("/new").respond_with_json([1])
    assert make_client().get_json(httpserver.url_for("/old")) == [1]


def test_handler_sees_every_attempt(httpserver: HTTPServer, make_client: MakeClient):
    calls: list[str] = []

    def flaky(request: Request) -> Response:
        calls.append(request.args["p"])
        status = 500 if len(calls) < 3 else 200
        return Response(json.dumps(["x"]), status=status, content_type="application/json")

    httpserver.expect_request("/api").respond_with_handler(flaky)
    assert make_client().get_json(httpserver.url_for("/api"), {"p": 1}) == ["x"]
    assert calls == ["1", "1", "1"]


def test_content_length_mismatch_is_caught_even_without_urllib3() -> None:
    response = requests.Response()
    response.raw = io.BytesIO(b"[1, 2]")  # a raw stream that does not enforce the length
    response.headers["Content-Length"] = "60"
    with pytest.raises(_Retryable, match="truncated body"):
        _read_body("http://example.test/", response)


def test_full_url_encodes_params() -> None:
    assert full_url("https://x.test/a", {"id_list": "1,2", "n": 2}) == (
        "https://x.test/a?id_list=1%2C2&n=2"
    )
    assert full_url("https://x.test/a") == "https://x.test/a"


def test_client_rejects_negative_retries() -> None:
    with pytest.raises(ValueError, match="retries"):
        Client(retries=-1)
