"""Contributions benchmark: accepted contributions per second end to end on PostgreSQL vs pgbench.

Each round creates a cash contribution, submits it (a validation proposal opens), and has the
two approvers vote for, each ballot a `ballot.cast` command as a client sends it; the second
ballot closes the vote early, and in that same transaction the contribution is booked (ledger
entry) and titles are issued at the unit value. We report:
- acceptances per second: rounds / time spent in the closing ballot (proposal passed → entry +
  issuance, the step the issue names);
- full chains per second: rounds / total time (create, submit, two ballots);
beside pgbench (TPC-B-like, 1 client, same duration) on the same server in the same run.
Goal: acceptances / pgbench ≥ 0.3. Writes bench/results/contributions.json.
Not a test: run `.venv/bin/python bench/contributions_bench.py [--duration 15]`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ledger_bench import PG_SERVER, PGBENCH_DB, fresh_pg_database, pgbench

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "contributions.json"
BENCH_DB = "federage_cbench"
PASSWORD = "Tr0ub4dor-zebra-quartz-91"  # noqa: S105 - throwaway benchmark users


def _django() -> None:
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{BENCH_DB}"
    # Invitations would print to the console: nobody reads a benchmark's mail.
    os.environ["FEDERAGE_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federage.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _scene():
    from federage.accounts import services as accounts
    from federage.commons import services as commons

    def user(name: str):
        return accounts.user_sign_up(
            email=f"{name}@bench.federage.test", password=PASSWORD, display_name=name
        )

    steward, first, second, contributor = (
        user(name) for name in ("steward", "approver-1", "approver-2", "contributor")
    )
    commons.commons_create(user=steward, slug="bench-apports", name="Bench", visibility="public")
    for member, roles in (
        (first, ["approver"]),
        (second, ["approver"]),
        (contributor, ["contributor"]),
    ):
        _, link = commons.invitation_create(
            user=steward, slug="bench-apports", email=member.email, roles=roles
        )
        commons.invitation_accept(user=member, token=link.rsplit("/", 1)[1])
    return contributor, (first, second)


def measure(duration: float) -> dict:
    from federage.contributions import services as contributions
    from federage.core import commands
    from federage.titles import selectors as titles

    contributor, approvers = _scene()

    def cast(user, payload: dict) -> None:
        # As a client's ballot arrives (REST or batch): one command, its own transaction.
        outcome = commands.execute(
            user=user, command_id=uuid.uuid4(), type="ballot.cast", payload=payload
        )
        assert outcome.status_code == 201, outcome.body

    rounds, closing_seconds = 0, 0.0
    started = time.perf_counter()
    while time.perf_counter() - started < duration:
        contribution = contributions.contribution_create(
            user=contributor,
            commons_slug="bench-apports",
            kind="cash",
            title=f"Apport {rounds}",
            proposed_price_cents=10_000 + rounds,
        )
        contribution = contributions.contribution_submit(
            user=contributor, contribution_id=contribution.pk
        )
        ballot = {"proposal_id": contribution.proposal_id, "choice": "for"}
        cast(approvers[0], ballot)
        closing = time.perf_counter()
        cast(approvers[1], ballot)
        closing_seconds += time.perf_counter() - closing
        contribution.refresh_from_db()
        assert contribution.state == "accepted", contribution.state
        rounds += 1
    elapsed = time.perf_counter() - started
    commons_id = contribution.commons_id
    counted = titles.totals(commons_id=commons_id)
    assert counted["held"] == counted["issued"] > 0
    return {
        "rounds": rounds,
        "elapsed_s": elapsed,
        "acceptances_per_s": rounds / closing_seconds,
        "full_chains_per_s": rounds / elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    args = parser.parse_args()
    fresh_pg_database(BENCH_DB)
    _django()
    ours = measure(args.duration)
    fresh_pg_database(PGBENCH_DB)
    subprocess.run(
        ["pgbench", "-h", "127.0.0.1", "-U", "postgres", "-i", "-s", "8", "-q", PGBENCH_DB],
        check=True,
        capture_output=True,
    )
    theirs = pgbench(1, args.duration)
    results = {
        **ours,
        "pgbench_tps_1_client": theirs,
        "ratio_acceptances": ours["acceptances_per_s"] / theirs,
        "ratio_full_chains": ours["full_chains_per_s"] / theirs,
        "goal_ratio": 0.3,
        "duration_s": args.duration,
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print("Accepted contributions on PostgreSQL, 1 client (goal: acceptances / pgbench ≥ 0.3)")
    print(f"  acceptances   {ours['acceptances_per_s']:8.1f}/s   ratio {results['ratio_acceptances']:.2f}")  # fmt: skip
    print(f"  full chains   {ours['full_chains_per_s']:8.1f}/s   ratio {results['ratio_full_chains']:.2f}")  # fmt: skip
    print(
        f"  pgbench       {theirs:8.1f} tps ({ours['rounds']} rounds in {ours['elapsed_s']:.1f} s)"
    )
    print(f"Written {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
