"""Load: 50 concurrent clients of mixed traffic against PostgreSQL and several uvicorn workers.

    .venv/bin/python bench/load.py [--seconds 60] [--clients 50] [--workers 4]

Makes a fresh database (`federage_load` on the local server, or --database-url), migrates it,
seeds one commons with MEMBERS members (contributors and approvers, each holding titles from an
accepted contribution) through the services, then serves it with `federage serve --workers N
--no-worker` and runs the clients for a bounded time. Each client is one member (API token)
doing, at random: reads (commons, trial balance, cap table, contributions, proposals, public
dashboard), votes on open proposals, contributions (create and submit, which opens a vote),
transfers of titles to another member (offered, then accepted by the buyer) and ledger entries.

Reported: requests per second, p50/p99 latency per kind and overall, errors (5xx, transport
errors and unexpected refusals: 400, 401, 403, 404) apart from refusals on the merits (409,
422: a vote already closed, units already sold), then `federage verify` on the books. Writes
bench/results/load.json. The goal: zero errors and zero invariant violations.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "load.json"
SLUG = "commun-en-charge"
MEMBERS = 25
# Each client's next action, by weight.
MIX = {"read": 60, "vote": 12, "contribution": 10, "transfer": 10, "entry": 8}
READS = (
    "/commons/{slug}",
    "/commons/{slug}/ledger/trial-balance",
    "/titles/{slug}/cap-table",
    "/contributions/commons/{slug}",
    "/commons/{slug}/proposals",
    "/public/commons/{slug}/dashboard",
    "/titles/portfolio",
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/federage_load"
        ),
    )
    return parser.parse_args()


def fresh_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def seed() -> dict:
    """One public commons, MEMBERS members with titles, their tokens; returns what clients need."""
    import django

    django.setup()
    from federage.accounts import services as account_services
    from federage.agents import selectors as agent_selectors
    from federage.commons import services as commons_services
    from federage.contributions import services as contribution_services
    from federage.governance import selectors as governance_selectors
    from federage.governance import services as governance_services

    def user(name: str):
        return account_services.user_sign_up(
            email=f"{name}@example.org", password=uuid.uuid4().hex, display_name=name.title()
        )

    steward = user("gestionnaire")
    commons_services.commons_create(
        user=steward, slug=SLUG, name="Commun en charge", visibility="public"
    )
    members = [user(f"membre{n:02}") for n in range(MEMBERS)]
    for member in members:
        _, link = commons_services.invitation_create(
            user=steward, slug=SLUG, email=member.email, roles=["contributor", "approver"]
        )
        commons_services.invitation_accept(user=member, token=link.rsplit("/", 1)[1])
    voters = members  # the approvers; the author is left out of their own vote
    for member in members:
        contribution = contribution_services.contribution_create(
            user=member,
            commons_slug=SLUG,
            kind="cash",
            title="Apport initial",
            proposed_price_cents=100_000,
        )
        contribution = contribution_services.contribution_submit(
            user=member, contribution_id=contribution.pk
        )
        for voter in voters:
            proposal = governance_selectors.proposal_get(proposal_id=contribution.proposal_id)
            if proposal.status != "open":
                break
            if voter != member:
                governance_services.ballot_cast(user=voter, proposal_id=proposal.pk, choice="for")
    people = []
    for person in [steward, *members]:
        _, token = account_services.api_token_create(user=person, name="load")
        agent = agent_selectors.self_agent(user=person).pk
        people.append({"token": token, "agent_id": agent, "steward": person == steward})
    return {"people": people}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, int] = defaultdict(int)
        self.errors: list[str] = []
        self.refusals: dict[str, int] = defaultdict(int)

    def record(self, kind: str, seconds: float, status: int | None, detail: str = "") -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[str(status)] += 1
            if status is None or status >= 500 or status in (400, 401, 403, 404):
                if len(self.errors) < 50:
                    self.errors.append(f"{kind} {status} {detail[:200]}")
                self.statuses["errors"] += 1
            elif status in (409, 422, 429):
                self.refusals[detail[:60]] += 1


class Client:
    def __init__(self, base: str, person: dict, everyone: list[dict], stats: Stats, seed: int):
        self.base, self.person, self.everyone, self.stats = base, person, everyone, stats
        self.random = random.Random(seed)
        self.http = httpx.Client(
            base_url=base, timeout=30, headers={"Authorization": f"Bearer {person['token']}"}
        )

    def send(self, kind: str, method: str, path: str, body=None, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body is not None:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        started = time.perf_counter()
        try:
            response = self.http.request(method, path, json=body, headers=headers)
        except httpx.HTTPError as error:
            self.stats.record(kind, time.perf_counter() - started, None, repr(error))
            return None
        elapsed = time.perf_counter() - started
        detail = ""
        if response.status_code >= 300:
            try:
                detail = response.json().get("code", "")
            except ValueError:
                detail = response.text[:200]
        self.stats.record(kind, elapsed, response.status_code, f"{method} {path} {detail}")
        return response

    def step(self) -> None:
        kind = self.random.choices(list(MIX), weights=list(MIX.values()))[0]
        getattr(self, kind)()

    def read(self) -> None:
        self.send("read", "GET", self.random.choice(READS).format(slug=SLUG))

    def vote(self) -> None:
        listed = self.send("read", "GET", f"/commons/{SLUG}/proposals")
        if listed is None or listed.status_code != 200:
            return
        items = listed.json()
        items = items.get("items", items) if isinstance(items, dict) else items
        open_ones = [p["id"] for p in items if p.get("status") == "open"]
        if open_ones:
            proposal = self.random.choice(open_ones)
            choice = self.random.choice(["for", "for", "against"])
            self.send("vote", "POST", f"/proposals/{proposal}/ballots", {"choice": choice})

    def contribution(self) -> None:
        created = self.send(
            "contribution",
            "POST",
            f"/contributions/commons/{SLUG}",
            {
                "kind": "cash",
                "title": "Apport",
                "proposed_price_cents": self.random.randint(1_000, 50_000),
            },
        )
        if created is not None and created.status_code == 201:
            contribution = created.json()["id"]
            self.send(
                "contribution", "POST", f"/contributions/{contribution}/submit", {"comment": ""}
            )

    def transfer(self) -> None:
        buyer = self.random.choice([p for p in self.everyone if p is not self.person])
        offered = self.send(
            "transfer",
            "POST",
            f"/titles/{SLUG}/transfers",
            {"buyer_agent_id": buyer["agent_id"], "units": "0.01", "unit_price_cents": 100},
        )
        if offered is not None and offered.status_code == 201:
            transfer = offered.json()["id"]
            self.send(
                "transfer", "POST", f"/titles/transfers/{transfer}/accept", {}, buyer["token"]
            )

    def entry(self) -> None:
        if not self.person["steward"]:
            return self.read()
        cents = self.random.randint(100, 10_000)
        self.send(
            "entry",
            "POST",
            "/commands",
            {
                "id": str(uuid.uuid4()),
                "type": "ledger.entry_post",
                "payload": {
                    "commons_slug": SLUG,
                    "journal": "OD",
                    "entry_date": dt.date.today().isoformat(),
                    "label": "Frais",
                    "lines": [
                        {"account_number": "512", "debit_cents": cents},
                        {"account_number": "4562", "credit_cents": cents},
                    ],
                },
            },
        )
        return None


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    options = arguments()
    os.environ["DATABASE_URL"] = options.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federage.settings")
    os.environ["FEDERAGE_DB_POOL_SIZE"] = os.environ.get("FEDERAGE_DB_POOL_SIZE", "16")
    fresh_database(options.database_url)
    federage = [sys.executable, "-m", "federage"]
    subprocess.run([*federage, "migrate", "--no-input", "-v0"], check=True)
    world = seed()
    port = free_port()
    server_log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - read back after the run
    server = subprocess.Popen(
        [*federage, "serve", "--no-worker", "--port", str(port), "--workers", str(options.workers)],
        stdout=subprocess.DEVNULL,
        stderr=server_log,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    stats, stop = Stats(), threading.Event()
    people = world["people"]

    def run(number: int) -> None:
        client = Client(base, people[number % len(people)], people, stats, seed=number)
        while not stop.is_set():
            client.step()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(options.clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(options.seconds)
    stop.set()
    for thread in threads:
        thread.join(60)
    elapsed = time.monotonic() - started
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(30)
    verify = subprocess.run([*federage, "verify"], capture_output=True, text=True, check=False)
    server_log.seek(0)
    # The last line of each traceback the server logged: why its 5xx were.
    server_errors = [
        line.strip()
        for line in server_log.read().splitlines()
        if line and not line.startswith((" ", "Traceback")) and "Error" in line
    ]

    everything = [value for values in stats.latencies.values() for value in values]
    report = {
        "date": dt.date.today().isoformat(),
        "database": "postgresql",
        "workers": options.workers,
        "clients": options.clients,
        "seconds": round(elapsed, 1),
        "cpus": os.cpu_count(),
        # Other work on the machine skews every figure: the load average when the run ended.
        "load_average_1_5_min": [round(value, 1) for value in os.getloadavg()[:2]],
        "requests": len(everything),
        "requests_per_second": round(len(everything) / elapsed, 1),
        "p50_ms": round(percentile(everything, 0.50) * 1000, 1),
        "p99_ms": round(percentile(everything, 0.99) * 1000, 1),
        "by_kind": {
            kind: {
                "requests": len(values),
                "p50_ms": round(statistics.median(values) * 1000, 1),
                "p99_ms": round(percentile(values, 0.99) * 1000, 1),
            }
            for kind, values in sorted(stats.latencies.items())
        },
        "statuses": dict(sorted(stats.statuses.items())),
        "errors": stats.statuses.get("errors", 0),
        "error_samples": [sample.split("\n")[0] for sample in stats.errors[:10]],
        "server_errors": sorted(set(server_errors))[:10],
        "refusals_on_the_merits": dict(sorted(stats.refusals.items(), key=lambda kv: -kv[1])[:10]),
        "verify_clean": verify.returncode == 0,
        "verify_output": (verify.stdout + verify.stderr).strip()[-500:],
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0 if report["errors"] == 0 and report["verify_clean"] else 1


if __name__ == "__main__":
    sys.exit(main())
