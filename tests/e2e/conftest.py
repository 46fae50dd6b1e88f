"""Browser tests: Debian's Chromium driven by Playwright against Django's live server and the built SPA."""

import os

import pytest
from django.conf import settings

from federage.ledger.testing import ledger_rows_purge

# Playwright's sync API runs an event loop in this thread; Django's ORM (test setup and teardown) is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _built_front_end():
    index = settings.WEBAPP_DIST / "index.html"
    assert index.exists(), (
        "The front end is not built: run `make frontend` (npm run build in frontend/)."
    )


def _close_contexts(browser) -> None:
    # A page left open keeps polling (live tallies, dashboards) into the next tests, whose test
    # client would then re-raise that page's server errors: close every context with its test.
    for context in list(browser.contexts):
        context.close()


@pytest.fixture(autouse=True)
def _contexts_closed_after_each_test(browser):
    yield
    _close_contexts(browser)


@pytest.fixture
def app_url(live_server, transactional_db, browser):
    yield live_server.url
    _close_contexts(browser)
    # SQLite's flush between tests is a DELETE, which the ledger's immutability triggers refuse.
    ledger_rows_purge()
