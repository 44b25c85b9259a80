"""A redirect to another host carries no credential header and no stale Host (issue 11 §3)."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from crawlers.middlewares import (
    CREDENTIAL_HEADERS,
    SafeMetaRefreshMiddleware,
    SafeRedirectMiddleware,
)
from tests.api_crawl_helpers import api_requests, crawl, make_config, rows
from tests.conftest import FIXTURES
from tests.mockserver.client import MockServer

KEY = "secret-usajobs-key-42"


@pytest.fixture(scope="module")
def other_host():
    """A second mock server on another loopback address: a real cross-host redirect target."""
    server = MockServer(FIXTURES, host="127.0.0.2")
    yield server
    server.stop()


@pytest.fixture
def keyed(monkeypatch):
    monkeypatch.setenv("USAJOBS_API_KEY", KEY)
    monkeypatch.setenv("USAJOBS_EMAIL", "seeker@example.org")


def usajobs_source(server) -> dict:
    return {"name": "usajobs", "platform": "usajobs", "base_url": server.url,
            "keywords": ["imaging informatics"], "results_per_page": 25}


def test_crawl_redirected_to_another_host_sends_it_no_key_and_its_own_host(server, other_host, tmp_path,
                                                                            keyed):
    other_host.reset()
    server.routes([{"path": "/api/Search", "status": 302,
                    "headers": {"Location": f"{other_host.url}/moved/Search"}}])
    other_host.routes([{"path": "/moved/Search", "file": "usajobs/search_imaging_informatics.json"}])
    config = make_config(tmp_path, [usajobs_source(server)])
    result = crawl(config, tmp_path, ["usajobs"])["usajobs"]
    assert result.status == "succeeded", result.message
    assert sorted(rows(config, "usajobs")) == ["853377700", "854410200"]  # the redirect was followed
    first = api_requests(server, "/api/Search")
    assert first and first[0]["headers"]["authorization-key"] == KEY  # the key went to its own host
    moved = api_requests(other_host, "/moved/Search")
    assert len(moved) == 1
    headers = moved[0]["headers"]
    assert "authorization-key" not in headers
    assert KEY not in repr(headers)
    assert headers["host"] == other_host.url.removeprefix("http://")  # not the first server's


def test_crawl_redirected_on_the_same_host_keeps_the_key(server, tmp_path, keyed):
    server.routes([{"path": "/api/Search", "status": 301, "headers": {"Location": "/v2/Search"}},
                   {"path": "/v2/Search", "file": "usajobs/search_imaging_informatics.json"}])
    config = make_config(tmp_path, [usajobs_source(server)])
    result = crawl(config, tmp_path, ["usajobs"])["usajobs"]
    assert result.status == "succeeded", result.message
    moved = api_requests(server, "/v2/Search")
    assert moved[0]["headers"]["authorization-key"] == KEY


def _middleware(cls):
    return cls.from_crawler(get_crawler())


ALL_SECRETS = {name: f"value-of-{name}" for name in CREDENTIAL_HEADERS}


@pytest.mark.parametrize("target", ["https://evil.example/next", "http://api.example:8080/next",
                                    "http://evil.example/next"])
def test_every_credential_header_is_dropped_on_a_cross_origin_redirect(target):
    mw = _middleware(SafeRedirectMiddleware)
    request = Request("http://api.example/search", headers={**ALL_SECRETS, "Host": "api.example",
                                                             "Accept": "application/json"})
    response = Response(request.url, status=302, headers={"Location": target}, request=request)
    redirected = mw.process_response(request, response)
    assert isinstance(redirected, Request) and redirected.url == target
    for name in [*CREDENTIAL_HEADERS, "Host"]:
        assert name not in redirected.headers, name
    assert redirected.headers["Accept"] == b"application/json"  # harmless headers stay


def test_same_origin_redirect_keeps_the_credentials():
    mw = _middleware(SafeRedirectMiddleware)
    request = Request("https://api.example/search", headers={**ALL_SECRETS, "Host": "api.example"})
    response = Response(request.url, status=307, headers={"Location": "/v2/search"}, request=request)
    redirected = mw.process_response(request, response)
    for name in CREDENTIAL_HEADERS:
        assert redirected.headers[name] == ALL_SECRETS[name].encode()


def test_meta_refresh_to_another_host_drops_the_credentials_too():
    mw = _middleware(SafeMetaRefreshMiddleware)
    request = Request("http://api.example/jobs", headers={"X-Api-Key": "k", "Host": "api.example"})
    body = b'<html><head><meta http-equiv="refresh" content="0;url=http://evil.example/"></head></html>'
    response = HtmlResponse(request.url, body=body, request=request)
    redirected = mw.process_response(request, response)
    assert isinstance(redirected, Request) and redirected.url == "http://evil.example/"
    assert "X-Api-Key" not in redirected.headers and "Host" not in redirected.headers
