"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

They never download a browser: without /usr/bin/chromium they skip with one clear line.
"""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
HAVE_CHROMIUM = os.path.exists(CHROMIUM)
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(config, items):
    if HAVE_CHROMIUM:
        return
    skip = pytest.mark.skip(reason=f"no chromium at {CHROMIUM}: install Debian's chromium to run browser tests")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page_for(chromium, live_server):
    """A fresh browser context per persona; `javascript=False` for the no-JS journeys."""
    contexts = []

    def make(javascript: bool = True, width: int = 1100):
        ctx = chromium.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900},
                                   accept_downloads=True, base_url=live_server.url)
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def sign_in():
    from tests.conftest import PASSWORD

    def _sign_in(page, username: str):
        page.goto("/sign-in/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button:has-text('Sign in')")
        page.wait_for_url("**/")
        return page

    return _sign_in


@pytest.fixture
def axe_check():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, name: str):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, "resultTypes": ["violations"]})
        assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"

    return check
