"""Fixtures of the browser tests: the app served by uvicorn, one Chromium, a fresh tab."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.main import create_app
from app.settings import Settings
from tests.browser.chromium import Chromium, Page
from tests.browser.server import LiveServer


@pytest.fixture(scope="module")
def live_server(api_dataset) -> Iterator[LiveServer]:
    """The application on the API test store, served on a free 127.0.0.1 port."""
    settings = Settings(store=api_dataset.url, api_token=None, cors_origins=[],
                        max_view_nodes=2000)
    with LiveServer(create_app(settings=settings)) as server:
        yield server


@pytest.fixture(scope="module")
def chromium() -> Iterator[Chromium]:
    """One headless Chromium for the module."""
    with Chromium() as browser:
        yield browser


@pytest.fixture
def page(chromium: Chromium) -> Iterator[Page]:
    """A new tab with the Page, Network, Runtime and Log domains enabled."""
    tab = chromium.new_page()
    try:
        yield tab
    finally:
        chromium.close_page(tab)
