"""Ballots racing the deadline, one voter on two devices, closers racing: from threads."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.governance import selectors, services
from federage.governance.models import Ballot, Decision, Proposal
from federage.governance.tests.conftest import T0, set_rules

WEEK = dt.timedelta(hours=168)
DEADLINE = T0 + WEEK

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def crowd(make_user, make_commons, frozen_clock):
    steward = make_user(name="Steward")
    members = [make_user(name=f"Voter {index}") for index in range(8)]
    commons = make_commons(steward, members={member: ["contributor"] for member in members})
    set_rules(commons, decisions__quorum_bp=0)
    return commons, steward, members


@pytest.fixture
def thread_clock(monkeypatch):
    """Each thread may read its own time: receipt before or at the deadline."""
    local = threading.local()
    frozen_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: getattr(local, "now", None) or frozen_now())
    return local


def run_in_threads(jobs):
    """Runs every job at once, each on its own connection; returns result or error code."""
    barrier = threading.Barrier(len(jobs))

    def wrapped(job):
        try:
            barrier.wait()
            return job()
        except ApplicationError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(wrapped, jobs))


def test_ballots_racing_the_deadline(crowd, thread_clock):
    commons, steward, members = crowd
    proposal = services.proposal_open(
        user=steward, commons_id=commons.pk, kind="free_motion", title="Race"
    )
    early, late = members[:4], members[4:]

    def ballot(user, choice, moment):
        def job():
            thread_clock.now = moment
            services.ballot_cast(user=user, proposal_id=proposal.pk, choice=choice)
            return "accepted"

        return job

    def closer():
        thread_clock.now = DEADLINE
        return services.proposals_close_due(commons_id=commons.pk)

    before = DEADLINE - dt.timedelta(milliseconds=1)
    jobs = [
        ballot(user, c, before)
        for user, c in zip(early, ["for", "for", "against", "against"], strict=True)
    ]
    jobs += [ballot(user, "for", DEADLINE) for user in late]
    jobs += [closer, closer]
    results = run_in_threads(jobs)

    # Late ballots are refused whoever wins the race; early ones count unless the vote was
    # already closed when they got the lock (which a real clock makes impossible).
    assert results[4:8] == ["vote_closed"] * 4
    assert set(results[:4]) <= {"accepted", "vote_closed"}
    services.proposals_close_due(commons_id=commons.pk)
    proposal.refresh_from_db()
    assert proposal.status in ("passed", "rejected")
    accepted = Ballot.objects.filter(proposal=proposal)
    assert accepted.count() == results[:4].count("accepted")
    assert proposal.outcome["participation_weight"] == accepted.count()
    assert Decision.objects.filter(commons=commons).count() == 1
    assert not accepted.filter(cast_at__gte=proposal.closes_at).exists()
    assert selectors.decision_log_verify(commons.pk) == []


def test_one_voter_on_several_devices(crowd):
    commons, steward, members = crowd
    proposal = services.proposal_open(
        user=steward, commons_id=commons.pk, kind="free_motion", title="Devices"
    )
    voter = members[0]
    choices = ["for", "against", "abstain", "for", "against", "object"]
    results = run_in_threads(
        [
            lambda choice=choice: (
                services.ballot_cast(user=voter, proposal_id=proposal.pk, choice=choice).pk
            )
            for choice in choices
        ]
    )
    ballots = list(Ballot.objects.filter(proposal=proposal).order_by("id"))
    assert len(ballots) == len(choices) and all(isinstance(r, int) for r in results)
    effective = [b for b in ballots if b.is_effective]
    # The one received last (highest id, server order) is the one that counts.
    assert effective == [ballots[-1]]


def test_closers_racing_keep_one_chain(crowd, frozen_clock):
    commons, steward, members = crowd
    proposals = []
    for index in range(4):
        proposal = services.proposal_open(
            user=steward, commons_id=commons.pk, kind="free_motion", title=f"Motion {index}"
        )
        services.ballot_cast(user=members[0], proposal_id=proposal.pk, choice="for")
        proposals.append(proposal)
    frozen_clock.set(DEADLINE)
    results = run_in_threads(
        [lambda: services.proposals_close_due(commons_id=commons.pk) for _ in range(6)]
    )
    assert sum(results) == 4
    assert set(Proposal.objects.values_list("status", flat=True)) == {"passed"}
    sequences = list(
        Decision.objects.filter(commons=commons)
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    assert sequences == [1, 2, 3, 4]
    assert selectors.decision_log_verify(commons.pk) == []
