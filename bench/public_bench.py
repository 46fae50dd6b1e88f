"""Public API benchmark: real endpoints beside the empty one, on PostgreSQL with several workers.

Run from the repository root: `.venv/bin/python bench/public_bench.py [--lines N] [--duration S]`.
Needs a local PostgreSQL (postgres@127.0.0.1, trust auth) and `wrk` on PATH (apt-get install
wrk). It creates and drops its own database (federage_public_bench), loads one public commons
with N ledger lines (default 1,000,000) with the ledger benchmark's bulk loader, then:

  (a) times the dashboard aggregates in-process (goal < 100 ms with 1,000,000 lines);
  (b) serves the app with uvicorn (--workers 2, loopback) and loads, one after the other in
      the same server run, /api/v1/health (the empty endpoint), the commons detail, the
      balance sheet and the dashboard with wrk: requests/s and p99 latency of each, and each
      one's ratio to the empty endpoint (goal ≥ 0.5).

The public rate limit is turned off for the run (FEDERAGE_PUBLIC_RATE_PER_MINUTE=0): all the
load comes from one address. wrk sends no If-None-Match, so every answer is computed in full.
Writes bench/results/public.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "public.json"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DB = "federage_public_bench"
SLUG = "bench-public"
WORKERS = 2
CONNECTIONS = 16


def _ledger_bench():
    """The ledger benchmark's bulk loader: the same rows `entry_post` would write, by COPY."""
    spec = importlib.util.spec_from_file_location(
        "ledger_bench", ROOT / "bench" / "ledger_bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _django() -> None:
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federage.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


# Child side.


def part_load(lines: int) -> dict:
    _django()
    from django.core.management import call_command

    ledger_bench = _ledger_bench()
    call_command("migrate", verbosity=0)
    with ledger_bench._fixed_clock():
        _, commons = ledger_bench._new_commons(SLUG)
        started = time.perf_counter()
        loaded = ledger_bench.bulk_load(commons_id=commons.pk, lines=lines, seed=7)
        loaded["load_s"] = round(time.perf_counter() - started, 1)
    return loaded


def part_dashboard(runs: int) -> dict:
    _django()
    from django.db import connection

    from federage.ledger.models import AccountDay, Line
    from federage.opendata import selectors

    commons = selectors.commons_public(slug=SLUG)
    selectors.dashboard(commons)  # warm the connection and caches
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        board = selectors.dashboard(commons)
        timings.append((time.perf_counter() - started) * 1000)
    lines = Line.objects.filter(book__commons_id=commons.pk).count()
    days = AccountDay.objects.filter(book__commons_id=commons.pk).count()
    connection.close()
    return {
        "lines": lines,
        "account_days": days,
        "runs": runs,
        "median_ms": round(statistics.median(timings), 2),
        "max_ms": round(max(timings), 2),
        "months": len(board["produced"]),
        "sankey_links": len(board["sankey"]["links"]),
    }


def child(argv: list[str]) -> None:
    part, *args = argv
    if part == "load":
        result = part_load(int(args[0]))
    elif part == "dashboard":
        result = part_dashboard(int(args[0]))
    else:
        raise SystemExit(f"unknown part {part}")
    print("RESULT " + json.dumps(result))


# Parent side.


def run_child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode != 0:
        sys.exit(f"part {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def psql(database: str, sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qAtc", sql],
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


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([0-9.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(url: str, duration: int) -> dict:
    done = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "requests_per_s": rps,
        "p50_ms": round(p50, 2),
        "p99_ms": round(p99, 2),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def serve_and_load(duration: int) -> dict:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG_SERVER}/{PG_DB}",
        # A connection pool: see public_bench_settings.py.
        "DJANGO_SETTINGS_MODULE": "public_bench_settings",
        "FEDERAGE_PUBLIC_RATE_PER_MINUTE": "0",
        "FEDERAGE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT / 'bench'}",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "uvicorn"),
            "federage.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    endpoints = {
        "health": f"{base}/health",
        "commons_detail": f"{base}/public/commons/{SLUG}",
        "balance_sheet": f"{base}/public/commons/{SLUG}/balance-sheet",
        "dashboard": f"{base}/public/commons/{SLUG}/dashboard",
    }
    try:
        wait_until_up(endpoints["health"])
        for url in endpoints.values():  # warm every worker's connection and imports
            for _ in range(WORKERS * 4):
                urllib.request.urlopen(url, timeout=30).read()  # noqa: S310 - loopback
        results: dict = {}
        # The empty endpoint first and last: its mean is the reference, its spread the noise.
        order = ["health", "commons_detail", "balance_sheet", "dashboard", "health"]
        health_runs = []
        for name in order:
            measured = wrk(endpoints[name], duration)
            if name == "health":
                health_runs.append(measured)
            else:
                results[name] = measured
        reference = statistics.mean(run["requests_per_s"] for run in health_runs)
        results["health"] = {
            "requests_per_s": round(reference, 1),
            "p99_ms": max(run["p99_ms"] for run in health_runs),
            "p50_ms": statistics.mean(run["p50_ms"] for run in health_runs),
            "runs": health_runs,
        }
        for measured in results.values():
            measured["ratio_to_empty"] = round(measured["requests_per_s"] / reference, 3)
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per endpoint")
    parser.add_argument("--runs", type=int, default=30, help="in-process dashboard timings")
    parser.add_argument("--keep-db", action="store_true", help="keep the loaded database")
    parser.add_argument("--reuse-db", action="store_true", help="reuse a kept database")
    parser.add_argument("--child", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return
    if not options.reuse_db:
        psql("postgres", f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        psql("postgres", f"CREATE DATABASE {PG_DB}")
    try:
        results = {
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "settings": {
                "lines": options.lines,
                "workers": WORKERS,
                "connections": CONNECTIONS,
                "duration_s": options.duration,
                "load_generator": "wrk -t2 (loopback, same machine)",
                "server": "uvicorn federage.asgi; pool: "
                + ("psycopg_pool" if importlib.util.find_spec("psycopg_pool") else "none"),
            },
            "load": {"reused": True} if options.reuse_db else run_child("load", str(options.lines)),
            "dashboard_in_process": run_child("dashboard", str(options.runs)),
        }
        results["dashboard_in_process"]["goal_ms"] = 100
        results["http"] = serve_and_load(options.duration)
    finally:
        if not options.keep_db:
            psql("postgres", f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    board = results["dashboard_in_process"]
    print(
        f"dashboard aggregates, {board['lines']:,} lines: median {board['median_ms']} ms "
        f"(max {board['max_ms']} ms; goal < 100 ms)"
    )
    for name, measured in results["http"].items():
        print(
            f"{name:15} {measured['requests_per_s']:9.1f} req/s  p99 {measured['p99_ms']:8.2f} ms"
            f"  ratio to empty {measured['ratio_to_empty']:.3f} (goal ≥ 0.5)"
        )
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
