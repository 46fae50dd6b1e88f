"""A server killed (SIGKILL) while clients write loses no acknowledged command and leaves `verify` clean.

`federage serve --no-worker` runs as a child process on the test database (committed rows:
`transactional_db`). Writer threads post ledger entries as commands, each with its own command
id, retrying the same id after a refused connection, as the SPA's outbox does. The server is
killed mid-way KILLS times and restarted. Then every command answered 2xx is in the books
exactly once, and `federage verify` finds nothing wrong. CRASH_SECONDS sets the writing time.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import httpx
import pytest
from django.db import connection

from federage.accounts import services as account_services
from federage.commons import services as commons_services
from federage.ledger import selectors as ledger_selectors
from federage.ledger.models import Entry
from federage.ledger.testing import ledger_rows_purge
from federage.testing import PASSWORD

WRITERS = 4
KILLS = 2
SECONDS = float(os.environ.get("CRASH_SECONDS", "9"))
SLUG = "commun-crash"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(tmp_path) -> dict[str, str]:
    """The child's settings: this test's database, whatever the backend."""
    env = {**os.environ, "FEDERAGE_VAR": str(tmp_path), "FEDERAGE_WORKER": "0"}
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        env["FEDERAGE_SQLITE_PATH"] = str(database["NAME"])
    else:
        user, host, port = database["USER"], database["HOST"], database["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{database['NAME']}"
    return env


class Server:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.env, self.port, self.process = env, port, None
        self.base = f"http://127.0.0.1:{port}/api/v1"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "federage", "serve", "--no-worker", "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Generous: a loaded CI machine takes long to import Django in a new process.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError("the server did not start within 180 s")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def writer(server: Server, token: str, number: int, stop: threading.Event, acked: list[str]):
    today = dt.date.today().isoformat()
    headers = {"Authorization": f"Bearer {token}"}
    sequence = 0
    with httpx.Client(timeout=10) as client:
        while not stop.is_set():
            sequence += 1
            command_id = str(uuid.uuid4())
            body = {
                "id": command_id,
                "type": "ledger.entry_post",
                "payload": {
                    "commons_slug": SLUG,
                    "journal": "OD",
                    "entry_date": today,
                    "label": command_id,
                    "lines": [
                        {"account_number": "512", "debit_cents": 100 + number},
                        {"account_number": "4562", "credit_cents": 100 + number},
                    ],
                },
            }
            # The same command id until the server answers: the outbox's retry.
            while not stop.is_set():
                try:
                    response = client.post(f"{server.base}/commands", json=body, headers=headers)
                except httpx.HTTPError:
                    time.sleep(0.05)
                    continue
                if response.status_code in (200, 201):
                    acked.append(command_id)
                    break
                if response.status_code >= 500 or response.status_code == 429:
                    time.sleep(0.05)
                    continue
                raise AssertionError(f"{response.status_code}: {response.text[:300]}")


@pytest.fixture
def committed_world(transactional_db, tmp_path):
    steward = account_services.user_sign_up(
        email="crash@example.org", password=PASSWORD, display_name="Gestionnaire"
    )
    commons_services.commons_create(user=steward, slug=SLUG, name="Commun", visibility="private")
    _, token = account_services.api_token_create(user=steward, name="crash")
    yield token
    ledger_rows_purge()


def test_acknowledged_commands_survive_sigkill(committed_world, tmp_path):
    env = server_environment(tmp_path)
    server = Server(env, free_port())
    server.start()
    stop, acked, errors = threading.Event(), [], []

    def run(number: int) -> None:
        try:
            writer(server, committed_world, number, stop, acked)
        except Exception as error:  # reported below, with the thread's number
            errors.append(f"writer {number}: {error}")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(KILLS):
            time.sleep(SECONDS / (KILLS + 1))
            server.kill()
            server.start()
        time.sleep(SECONDS / (KILLS + 1))
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
        server.kill()

    assert not errors, errors
    assert len(acked) >= WRITERS, f"only {len(acked)} commands acknowledged"
    labels = list(Entry.objects.filter(label__in=acked).values_list("label", flat=True))
    missing = set(acked) - set(labels)
    assert not missing, f"{len(missing)} of {len(acked)} acknowledged commands lost: {missing}"
    assert len(labels) == len(set(labels)), "a retried command was booked twice"
    for book in ledger_selectors.books_all():
        assert ledger_selectors.book_verify(book=book) == []
    verify = subprocess.run(
        [sys.executable, "-m", "federage", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    print(f"\n{len(acked)} acknowledged commands survived {KILLS} SIGKILLs")
