"""Offline flush benchmark: 1,000 queued commands sent to a real server, on SQLite and PostgreSQL.

Run from the repository root: `.venv/bin/python bench/offline_flush_bench.py [--commands N]`.
For each database it creates a fresh one (a temporary SQLite file; `federage_offline_bench` on
the local PostgreSQL, postgres@127.0.0.1, trust auth), migrates it, makes a member of a commons
with an API token, serves the app with uvicorn (one worker, loopback, a free port) and flushes
N `contribution.create` commands as one client would after a day offline:

  (a) one by one, in order, over one keep-alive connection (a client without batches; the SPA
      sends a lone command this way);
  (b) through `POST /api/v1/commands/batch`, 100 commands a request: what the SPA's outbox does
      with a queue (frontend/src/lib/outbox/outbox.ts);
  (c) a flush of (b) again with the same ids: every command must replay and nothing be created.

Goal: the SPA's flush (b) of 1,000 commands under 5 s (median of 3 rounds); (a) and (c) are
measured beside it, and N requests to the empty `/api/v1/health` over the same connection as
the reference of the machine's speed in that run.
Writes bench/results/offline.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "offline.json"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DB = "federage_offline_bench"
SLUG = "bench-offline"
BATCH = 100
ROUNDS = 3
GOAL_S = 5.0


# Child side: set up the database in its own process, so the server starts from committed rows.


def child_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federage.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from federage.accounts import services as account_services
    from federage.commons import services as commons_services

    call_command("migrate", verbosity=0)
    user = account_services.user_sign_up(
        email="offline@example.org",
        password="bench-password-offline",  # noqa: S106 - a throwaway database
        display_name="Offline",
    )
    commons_services.commons_create(user=user, slug=SLUG, name="Bench offline", visibility="public")
    _, clear = account_services.api_token_create(user=user, name="bench")
    print("RESULT " + json.dumps({"token": clear}))


# Parent side.


def database_env(backend: str, sqlite_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "FEDERAGE_SQLITE_PATH")
    }
    env["FEDERAGE_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    env["PYTHONPATH"] = str(ROOT / "src")
    if backend == "postgresql":
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
    else:
        env["FEDERAGE_SQLITE_PATH"] = str(sqlite_path)
    return env


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qAtc", sql],
        check=True,
        capture_output=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"server did not answer {url}")


class Client:
    """One keep-alive HTTP connection with the member's token, as one device would hold."""

    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: object | None = None) -> tuple[int, object]:
        data = json.dumps(body).encode() if body is not None else None
        self.connection.request(method, f"/api/v1{path}", body=data, headers=self.headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read() or b"null")


def queued_commands(count: int, label: str) -> list[dict]:
    return [
        {
            "id": str(uuid.uuid4()),
            "type": "contribution.create",
            "payload": {
                "commons_slug": SLUG,
                "kind": "labour",
                "title": f"{label} {index}",
                "quantity": "2",
                "unit": "h",
                "unit_price_cents": 2500,
                "proposed_price_cents": 5000,
            },
        }
        for index in range(count)
    ]


def contributions_count(client: Client) -> int:
    status, body = client.call("GET", "/contributions/mine")
    assert status == 200, body
    return len(body)  # type: ignore[arg-type]


def empty_requests(client: Client, count: int) -> dict:
    """The reference: as many requests to the empty health endpoint, over the same connection."""
    started = time.perf_counter()
    for _ in range(count):
        client.call("GET", "/health")
    return {"seconds": round(time.perf_counter() - started, 3)}


def one_by_one(client: Client, commands: list[dict]) -> dict:
    started = time.perf_counter()
    statuses = [client.call("POST", "/commands", command)[0] for command in commands]
    elapsed = time.perf_counter() - started
    return {"seconds": round(elapsed, 3), "statuses": sorted(set(statuses))}


def batched(client: Client, commands: list[dict]) -> dict:
    started = time.perf_counter()
    results = []
    for start in range(0, len(commands), BATCH):
        status, body = client.call(
            "POST", "/commands/batch", {"commands": commands[start : start + BATCH]}
        )
        assert status == 200, body
        results.extend(body["results"])  # type: ignore[index]
    elapsed = time.perf_counter() - started
    return {
        "seconds": round(elapsed, 3),
        "statuses": sorted({item["status"] for item in results}),
        "replayed": sum(1 for item in results if item["replayed"]),
    }


def run_backend(backend: str, count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="federage-offline-bench-") as tmp:
        sqlite_path = Path(tmp) / "bench.sqlite3"
        env = database_env(backend, sqlite_path)
        if backend == "postgresql":
            psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
            psql(f"CREATE DATABASE {PG_DB}")
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--child"],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                sys.exit(f"setup failed on {backend}:\n{done.stderr[-3000:]}")
            line = next(item for item in done.stdout.splitlines() if item.startswith("RESULT "))
            token = json.loads(line[len("RESULT ") :])["token"]
            return serve_and_flush(env, token, count)
        finally:
            if backend == "postgresql":
                psql(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def serve_and_flush(env: dict[str, str], token: str, count: int) -> dict:
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "uvicorn"),
            "federage.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/v1/health")
        client = Client(port, token)
        client.call("POST", "/commands/batch", {"commands": queued_commands(5, "warm")})
        reference = empty_requests(client, count)
        before = contributions_count(client)
        single = one_by_one(client, queued_commands(count, "one by one"))
        after_single = contributions_count(client)
        # The machine's speed drifts (a shared VM): the SPA's flush is measured in several
        # rounds, each with new commands, and its median is the figure.
        rounds = [batched(client, queued_commands(count, f"batch {n}")) for n in range(ROUNDS)]
        after_batch = contributions_count(client)
        commands = queued_commands(count, "replayed")
        batched(client, commands)
        after_first = contributions_count(client)
        replay = batched(client, commands)
        after_replay = contributions_count(client)
        batch = {
            "seconds": statistics.median(item["seconds"] for item in rounds),
            "rounds_s": [item["seconds"] for item in rounds],
            "statuses": sorted({status for item in rounds for status in item["statuses"]}),
            "created": (after_batch - after_single) / ROUNDS,
        }
        return {
            "reference_empty_requests": reference,
            "one_by_one": {**single, "created": after_single - before},
            "batch": batch,
            "batch_replay": {**replay, "created": after_replay - after_first},
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=1000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", action="store_true")
    options = parser.parse_args()
    if options.child:
        child_setup()
        return
    backends = ["sqlite", "postgresql"] if options.backend == "both" else [options.backend]
    results: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "settings": {
            "commands": options.commands,
            "command_type": "contribution.create",
            "batch_size": BATCH,
            "server": "uvicorn federage.asgi, 1 worker, loopback; client on the same machine",
            "goal_s": GOAL_S,
        },
    }
    for backend in backends:
        results[backend] = run_backend(backend, options.commands)
        reference = results[backend].pop("reference_empty_requests")["seconds"]
        results[backend]["reference_empty_requests_s"] = reference
        print(f"{backend:10} reference    {options.commands} empty requests in {reference:6.2f} s")
        for mode, measured in results[backend].items():
            if not isinstance(measured, dict):
                continue
            measured["per_command_ms"] = round(measured["seconds"] * 1000 / options.commands, 2)
            measured["ratio_to_empty_requests"] = round(measured["seconds"] / reference, 2)
            measured["within_goal"] = measured["seconds"] < GOAL_S
            rounds = f"; rounds {measured['rounds_s']}" if "rounds_s" in measured else ""
            print(
                f"{backend:10} {mode:12} {options.commands} commands in {measured['seconds']:6.2f} s "
                f"({measured['per_command_ms']:5.2f} ms each, {measured['ratio_to_empty_requests']}× "
                f"the empty requests; statuses {measured['statuses']}; created "
                f"{measured['created']:g}{rounds}; goal < {GOAL_S} s)"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
