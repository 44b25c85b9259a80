"""Shared fixtures: the local HTTP server, config folders and databases for tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mockserver.client import MockServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def mockserver():
    server = MockServer(FIXTURES)
    yield server
    server.stop()


@pytest.fixture
def server(mockserver):
    """The session's mock server with routes and log cleared for this test."""
    mockserver.reset()
    return mockserver
