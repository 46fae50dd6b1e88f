"""An acceptance refused at closing waits, visibly, and applies once its cause is gone, exactly once.

The cause here is a real one: an in-kind contribution names a resource account (2155, outillage
industriel) that the commons' book does not have yet. Nothing checks the account when the
contribution is made (only its class: 2xx/3xx), so the vote passes and `entry_post` refuses
`unknown_account` at closing. The steward then creates the account and the retry applies it.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from federage.contributions.models import Contribution
from federage.contributions.tests.scene import accept, agent_of, build
from federage.core import clock
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.ledger import services as ledger_services
from federage.ledger.models import Entry
from federage.ledger.testing import ledger_rows_purge
from federage.titles.models import Holding, Issuance

MOMENT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ACCOUNT = "2155"


@pytest.fixture
def frozen():
    with clock.frozen(MOMENT):
        yield


def overlocker(scene) -> Contribution:
    """Voted through, but booked on an account the book lacks: the effect waits."""
    return accept(
        scene,
        user=scene.other,
        kind="in_kind",
        title="Surjeteuse industrielle",
        proposed_price_cents=30_000,
        resource_account=ACCOUNT,
    )


def create_account(scene) -> None:
    ledger_services.account_create(
        commons_id=scene.commons.pk,
        number=ACCOUNT,
        label="Outillage industriel",
        type="asset",
        actor_user_id=scene.steward.pk,
    )


def booked(contribution) -> tuple[int, int]:
    entries = Entry.objects.filter(source_type="contribution", source_id=contribution.pk)
    issuances = Issuance.objects.filter(source_type="contribution", source_id=contribution.pk)
    return entries.count(), issuances.count()


def verify() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify", stdout=out, stderr=err)
    except CommandError as error:
        err.write(f"\n{error}")
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_acceptance_waits_for_the_account_then_applies_once(make_user, make_commons, frozen):
    scene = build(make_user, make_commons)
    contribution = overlocker(scene)
    # The vote passed, but nothing of the acceptance was written.
    decision = governance_selectors.decisions_of(commons_id=scene.commons.pk).get()
    assert decision.outcome == "passed"
    assert decision.content["effect"] == {"status": "pending", "reason": "unknown_account"}
    assert "authorised" not in decision.content
    assert contribution.state == "in_review"
    assert (contribution.entry_id, contribution.issuance_id) == (None, None)
    assert booked(contribution) == (0, 0)
    assert not Holding.objects.filter(agent_id=agent_of(scene.other)).exists()
    [pending] = governance_selectors.decision_effects_pending(commons_id=scene.commons.pk)
    assert (pending.decision_id, pending.reason) == (decision.pk, "unknown_account")
    # The chain still verifies; `federage verify` lists the decision as waiting.
    assert governance_selectors.decision_log_verify(scene.commons.pk) == []
    _, err = verify()
    assert (
        f"commons {scene.slug}, decision #1 (validate_contribution): effect pending since "
        "2026-03-02, 1 attempt(s), reason unknown_account: Unknown account in this book."
    ) in err
    # The job runs while the cause is still there: still pending, nothing written.
    assert governance_services.decision_effects_retry() == 0
    assert booked(contribution) == (0, 0)

    create_account(scene)
    assert governance_services.decision_effects_retry() == 1
    assert governance_services.decision_effects_retry() == 0  # run again: nothing more
    contribution.refresh_from_db()
    assert contribution.state == "accepted"
    assert contribution.decision_id == decision.pk
    assert booked(contribution) == (1, 1)
    entry = Entry.objects.get(pk=contribution.entry_id)
    assert entry.decision_id == decision.pk
    lines = sorted(
        (line.account.number, line.debit_cents, line.credit_cents) for line in entry.lines.all()
    )
    assert lines == [("1014", 0, 30_000), (ACCOUNT, 30_000, 0)]
    assert Issuance.objects.get(pk=contribution.issuance_id).units == Decimal("30.0000")
    assert Holding.objects.get(agent_id=agent_of(scene.other)).units == Decimal("30.0000")
    decision = governance_selectors.decisions_of(commons_id=scene.commons.pk).get()
    effect = governance_selectors.decision_effect(decision)
    assert effect.status == "applied"
    assert effect.result["entry_id"] == entry.pk
    authorised = governance_selectors.decision_authorised(decision)
    assert authorised["issuance_id"] == contribution.issuance_id
    # Verified clean now: no pending effect, books and titles agree.
    out, err = verify()
    assert "effect pending" not in err
    assert f"commons {scene.commons.pk}: ok" in out


@pytest.mark.django_db(transaction=True)
def test_racing_retries_apply_the_acceptance_once(make_user, make_commons):
    with clock.frozen(MOMENT):
        scene = build(make_user, make_commons, slug="atelier-course")
        contribution = overlocker(scene)
        create_account(scene)
        barrier = threading.Barrier(4)

        def retry():
            try:
                barrier.wait()
                return governance_services.decision_effects_retry(commons_id=scene.commons.pk)
            finally:
                connection.close()

        try:
            with ThreadPoolExecutor(max_workers=4) as pool:
                applied = list(pool.map(lambda _: retry(), range(4)))
            assert sorted(applied) == [0, 0, 0, 1]
            contribution.refresh_from_db()
            assert contribution.state == "accepted"
            assert booked(contribution) == (1, 1)
            effect = governance_selectors.decision_effects_pending(commons_id=scene.commons.pk)
            assert effect == []
        finally:
            ledger_rows_purge()
