"""Two `federage serve` processes on one PostgreSQL: a write through one reaches a dashboard served by the other."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from playwright.sync_api import Browser, expect

from federage.accounts import services as account_services
from federage.contributions.tests import scene

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the fan-out between server processes is PostgreSQL's LISTEN/NOTIFY; "
        "on SQLite one process serves everything",
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _server() -> Iterator[str]:
    """`federage serve` in its own process, on the test database, without a task worker."""
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER'] or 'postgres'}@{settings['HOST'] or '127.0.0.1'}"
        f":{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "FEDERAGE_WORKER": "0"}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "federage.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the server did not start"
            try:
                with urllib.request.urlopen(f"{base}/api/v1/health", timeout=2):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def test_a_write_through_one_server_reaches_a_dashboard_served_by_another(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    s = scene.build(make_user, make_commons, slug="atelier-reparti")
    _, token = account_services.api_token_create(user=s.contributor, name="deux serveurs")
    with _server() as first, _server() as second:
        assert first != second
        context = browser.new_context()  # anonymous: the public dashboard
        try:
            page = context.new_page()
            page.goto(f"{first}/explore/{s.slug}/dashboard")
            dashboard = page.get_by_test_id("dashboard")
            # The stream's first poke says where the commons stands.
            expect(dashboard).to_have_attribute("data-cursor", re.compile(r"^\d+$"), timeout=10_000)
            before = int(dashboard.get_attribute("data-cursor") or "0")

            # A script's write through the API of the other process (a token: no cookie, no CSRF).
            request = urllib.request.Request(  # noqa: S310 - a loopback test server
                f"{second}/api/v1/contributions/commons/{s.slug}",
                data=json.dumps(
                    {"kind": "cash", "title": "Apport réparti", "proposed_price_cents": 12_300}
                ).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                assert response.status == 201
                created = json.loads(response.read())
            assert created["title"] == "Apport réparti"

            # Heard by the first process through LISTEN/NOTIFY, pushed down its open stream.
            expect(dashboard).not_to_have_attribute("data-cursor", str(before), timeout=5_000)
            assert int(dashboard.get_attribute("data-cursor") or "0") > before
            expect(page.get_by_test_id("dashboard-updated")).to_have_text(
                re.compile(r"mis à jour à \d\d:\d\d:\d\d"), timeout=5_000
            )
        finally:
            context.close()
