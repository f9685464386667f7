"""Fixtures of the browser tests: the app served by uvicorn, one Chromium, a fresh tab."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.main import create_app
from tests.browser.chromium import Chromium, Page
from tests.browser.server import LiveServer
from tests.fixtures.settings import settings_for


@pytest.fixture(scope="module")
def live_server(api_dataset) -> Iterator[LiveServer]:
    """The application on the API test store, served on a free 127.0.0.1 port."""
    with LiveServer(create_app(settings=settings_for(api_dataset.url))) as server:
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
