"""Browser tests: Debian's Chromium driven by Playwright against Django's live server and the built SPA."""

import os
import time

import pytest
from django.conf import settings

from federage.ledger.testing import ledger_rows_purge
from federage.live import stream

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


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The interface speaks French first: a French browser, whose own widgets (a date field's
    # jj/mm/aaaa, number fields) follow its locale as they do for real users. A test reading in
    # English asks for `locale="en-GB"` on its context.
    return {**browser_context_args, "locale": "fr-FR"}


class _Browser:
    """The session's browser, whose new contexts take `browser_context_args` unless told otherwise.

    The tests open their contexts with `browser.new_context(...)` (several per test: two people,
    two widths), which pytest-playwright's `browser_context_args` alone does not reach.
    """

    def __init__(self, browser, defaults: dict) -> None:
        self._browser = browser
        self._defaults = defaults

    def new_context(self, **kwargs):
        return self._browser.new_context(**{**self._defaults, **kwargs})

    def new_page(self, **kwargs):
        return self._browser.new_page(**{**self._defaults, **kwargs})

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser(launch_browser, browser_context_args):
    launched = launch_browser()
    yield _Browser(launched, browser_context_args)
    launched.close()


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


@pytest.fixture(scope="session", autouse=True)
def _live_streams_poll_briskly():
    # Django's live server is WSGI: a page's live stream polls, and notices a closed page at its
    # next heartbeat. A quicker poll lets each test end without waiting a second for it.
    default, stream.WSGI_POLL_SECONDS = stream.WSGI_POLL_SECONDS, 0.2
    yield
    stream.WSGI_POLL_SECONDS = default


def _wait_for_live_streams_to_end(timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while stream.open_polling_streams() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not stream.open_polling_streams(), "a closed page's live stream is still being served"


@pytest.fixture
def app_url(live_server, transactional_db, browser):
    yield live_server.url
    _close_contexts(browser)
    # Before the test database goes: a stream still polling would read from it.
    _wait_for_live_streams_to_end()
    # SQLite's flush between tests is a DELETE, which the ledger's immutability triggers refuse.
    ledger_rows_purge()
