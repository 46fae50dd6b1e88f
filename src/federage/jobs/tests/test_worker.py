"""The worker closes due votes, re-runs effects and executes redemptions; every job is idempotent."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from federage.contributions.models import Contribution
from federage.core import clock
from federage.governance import tasks as governance_tasks
from federage.governance.models import Decision, Proposal
from federage.jobs import sweep
from federage.ledger.models import Entry
from federage.ledger.testing import ledger_rows_purge
from federage.titles import tasks as titles_tasks


def test_opening_a_vote_queues_its_closing_at_the_deadline(due):
    queued = DBTaskResult.objects.filter(task_path="federage.governance.tasks.proposal_close")
    by_proposal = {row.args_kwargs["args"][0]: row for row in queued}
    motion = by_proposal[due.motion.pk]
    assert motion.run_after == due.motion.closes_at
    assert motion.status == "READY"
    assert due.contribution.proposal_id in by_proposal


def test_the_sweep_closes_due_votes_once(due):
    entries = Entry.objects.count()
    with clock.frozen(due.after):
        # The two due votes close and the redemption runs; every other job finds nothing.
        counts = sweep.sweep()
        assert counts == dict.fromkeys(counts, 0) | {
            "proposals_closed": 2,
            "redemptions_executed": 1,
        }
        # Run again: nothing more to do, nothing written.
        decisions = Decision.objects.count()
        counts = sweep.sweep()
        assert "effects_applied" in counts and set(counts.values()) == {0}
        assert Decision.objects.count() == decisions
    due.contribution.refresh_from_db()
    assert due.contribution.state == "accepted"
    due.redemption.refresh_from_db()
    assert due.redemption.state == "executed"
    # The acceptance and the redemption, each booked once.
    assert Entry.objects.count() == entries + 2
    assert not Proposal.objects.filter(status="open").exists()


def test_a_redemption_job_runs_once_its_notice_has_run(due):
    queued = DBTaskResult.objects.get(task_path="federage.titles.tasks.redemption_execute")
    assert queued.args_kwargs["args"] == [due.redemption.pk]
    assert queued.run_after == due.redemption.due_at
    with clock.frozen(due.redemption.due_at - dt.timedelta(seconds=1)):
        assert titles_tasks.redemption_execute.call(due.redemption.pk) is False
    with clock.frozen(due.after):
        assert titles_tasks.redemption_execute.call(due.redemption.pk) is True
        entries = Entry.objects.count()
        assert titles_tasks.redemption_execute.call(due.redemption.pk) is False
        assert Entry.objects.count() == entries
    due.redemption.refresh_from_db()
    assert due.redemption.state == "executed"


def test_a_closing_job_run_twice_or_too_early_is_a_no_op(due):
    proposal_id = due.motion.pk
    with clock.frozen(due.motion.opened_at):
        assert governance_tasks.proposal_close.call(proposal_id) is False
    with clock.frozen(due.after):
        assert governance_tasks.proposal_close.call(proposal_id) is True
        closed = Proposal.objects.get(pk=proposal_id)
        assert governance_tasks.proposal_close.call(proposal_id) is False
        assert Proposal.objects.get(pk=proposal_id).closed_at == closed.closed_at
        assert Decision.objects.filter(proposal_id=proposal_id).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_queued_closing_jobs(due):
    try:
        # Due by the real clock too (the queue reads it), whatever day the tests run.
        DBTaskResult.objects.update(run_after=timezone.now())
        with clock.frozen(due.after):
            call_command("worker", "--once", stdout=io.StringIO())
        jobs = DBTaskResult.objects.filter(task_path="federage.governance.tasks.proposal_close")
        done = {row.args_kwargs["args"][0]: (row.status, row.return_value) for row in jobs}
        assert done[due.motion.pk] == ("SUCCESSFUL", True)
        assert done[due.contribution.proposal_id] == ("SUCCESSFUL", True)
        assert Contribution.objects.get(pk=due.contribution.pk).state == "accepted"
    finally:
        ledger_rows_purge()


SETUP = textwrap.dedent(
    """
    import datetime as dt, django
    django.setup()
    from federage.accounts import services as accounts
    from federage.commons import services as commons
    from federage.core import clock
    from federage.governance import services as governance
    from federage.governance.models import Proposal
    steward = accounts.user_sign_up(
        email="steward@example.org", password="correct-horse-battery-staple",
        display_name="Steward",
    )
    place = commons.commons_create(user=steward, slug="atelier", name="Atelier", visibility="public")
    motion = governance.proposal_open(
        user=steward, commons_id=place.pk, kind="free_motion", title="Ouvrir le samedi"
    )
    # Its deadline passes while nobody looks, and the job queued for it is not due yet (lost).
    now = clock.now()
    Proposal.objects.filter(pk=motion.pk).update(
        opened_at=now - dt.timedelta(hours=2), closes_at=now - dt.timedelta(seconds=1)
    )
    print(motion.pk)
    """
)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the worker's own SQLite file")
def test_federage_worker_closes_a_vote_whose_deadline_passed_while_nobody_looked(tmp_path):
    database = tmp_path / "federage.sqlite3"
    env = {
        **{key: value for key, value in os.environ.items() if key != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "federage.settings",
        "FEDERAGE_SQLITE_PATH": str(database),
        "FEDERAGE_VAR": str(tmp_path),
    }
    federage = [sys.executable, "-m", "federage"]
    subprocess.run([*federage, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)  # noqa: S603
    worker = subprocess.Popen(  # noqa: S603
        [*federage, "worker", "--sweep-seconds", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        made = subprocess.run(  # noqa: S603
            [sys.executable, "-c", SETUP],
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        )
        proposal_id = int(made.stdout.split()[-1])
        deadline = time.monotonic() + 60
        status = "open"
        while time.monotonic() < deadline:
            with sqlite3.connect(database, timeout=20) as db:
                (status,) = db.execute(
                    "SELECT status FROM governance_proposal WHERE id = ?", (proposal_id,)
                ).fetchone()
            if status != "open":
                break
            time.sleep(0.5)
        assert status == "expired"  # no one could vote: the author's motion alone
    finally:
        worker.send_signal(signal.SIGINT)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "1 proposals closed" in output
