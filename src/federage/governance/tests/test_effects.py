"""Effects that wait: a refused outcome handler leaves its decision visibly pending until a retry."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from federage.core import commands
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.models import Event
from federage.governance import selectors, services
from federage.governance.models import Ballot, Comment, Decision, DecisionEffect, Notification
from federage.governance.tests.conftest import T0

HOUR = dt.timedelta(hours=1)


class Obstacle:
    """A handler of `free_motion` that writes, then is refused while `cause` is set."""

    def __init__(self, cause: str | None = "unknown_account") -> None:
        self.cause = cause
        self.runs: list[int] = []

    def __call__(self, context):
        self.runs.append(context.decision_id)
        proposal = context.proposal
        # A write before the refusal: the savepoint must undo it.
        Comment.objects.create(
            commons_id=proposal.commons_id,
            subject_type="effect",
            subject_id=context.decision_id,
            author_id=proposal.author_id,
            body=f"run {len(self.runs)}",
            created_at=T0,
        )
        if self.cause is not None:
            raise ApplicationError(self.cause)
        return {"applied_by": "obstacle", "decision_id": context.decision_id}


class ChecksFirst:
    """A `checks_first` handler of `free_motion`: records an event, then refuses before any
    write while `cause` is set; with `late`, it writes first (a handler breaking its promise)."""

    def __init__(self, cause: str | None = "period_closed", late: bool = False) -> None:
        self.cause, self.late = cause, late

    def __call__(self, context):
        event_record(
            type="test.effect_checked",
            commons_id=context.proposal.commons_id,
            actor_user_id=None,
            data={},
        )
        if self.late:
            Comment.objects.create(
                commons_id=context.proposal.commons_id,
                subject_type="effect",
                subject_id=context.decision_id,
                author_id=context.proposal.author_id,
                body="written before the refusal",
                created_at=T0,
            )
        if self.cause is not None:
            raise ApplicationError(self.cause)
        return {"applied_by": "checks_first"}


@pytest.fixture
def checked_first(monkeypatch):
    def install(handler: ChecksFirst) -> ChecksFirst:
        monkeypatch.setattr(services, "_HANDLERS", dict(services._HANDLERS))
        services.register_outcome_handler("free_motion", on_passed=handler, checks_first=True)
        return handler

    return install


@pytest.fixture
def obstacle(monkeypatch):
    handler = Obstacle()
    monkeypatch.setattr(services, "_HANDLERS", dict(services._HANDLERS))
    services.register_outcome_handler("free_motion", on_passed=handler)
    return handler


def passed_motion(circle, title="Buy the overlocker"):
    proposal = services.proposal_open(
        user=circle.members[0], commons_id=circle.commons.pk, kind="free_motion", title=title
    )
    for member in circle.members[1:]:
        if selectors.proposal_get(proposal_id=proposal.pk).status == "open":
            services.ballot_cast(user=member, proposal_id=proposal.pk, choice="for")
    decision = Decision.objects.get(proposal=proposal)
    assert decision.outcome == "passed"
    return decision


def refused(code, call, *args, **kwargs):
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value


def test_refused_effect_waits_visibly_and_the_chain_verifies(
    circle, obstacle, django_capture_on_commit_callbacks
):
    services.notification_preference_set(user=circle.steward, email_enabled=True)
    with django_capture_on_commit_callbacks(execute=True):
        decision = passed_motion(circle)
    # The hashed content says the effect waits, and why; no ordinary "authorised" dict.
    assert "authorised" not in decision.content
    assert decision.content["effect"] == {"status": "pending", "reason": "unknown_account"}
    effect = DecisionEffect.objects.get(decision=decision)
    assert (effect.status, effect.reason, effect.attempts, effect.proposal_kind) == (
        "pending",
        "unknown_account",
        1,
        "free_motion",
    )
    assert effect.commons_id == circle.commons.pk and effect.applied_at is None
    # The handler's own writes were undone.
    assert not Comment.objects.filter(subject_type="effect").exists()
    assert selectors.decision_log_verify(circle.commons.pk) == []
    pending = selectors.decision_effects_pending(commons_id=circle.commons.pk)
    assert [effect.decision_id for effect in pending] == [decision.pk]
    # Stewards only are told, in app and by e-mail with the reason in their language.
    told = Notification.objects.filter(kind="effect_pending")
    assert [n.user_id for n in told] == [circle.steward.pk]
    assert told.get().data["reason"] == "unknown_account"
    [email] = [m for m in mail.outbox if "exécution en attente" in m.subject]
    assert email.to == [circle.steward.email]
    assert "Compte inconnu dans ce livre." in email.body
    assert Event.objects.filter(type="decision.effect_pending").count() == 1


def test_retry_keeps_it_pending_then_applies_it_once(circle, obstacle, frozen_clock):
    decision = passed_motion(circle)
    commons_id = circle.commons.pk
    frozen_clock.set(T0 + HOUR)
    # Still refused: pending, one more attempt, same reason, stewards not told again.
    assert services.decision_effects_retry(commons_id=commons_id) == 0
    effect = DecisionEffect.objects.get(decision=decision)
    assert (effect.status, effect.attempts, effect.last_attempt_at) == ("pending", 2, T0 + HOUR)
    assert Notification.objects.filter(kind="effect_pending").count() == 1
    # A new obstacle is news for stewards.
    obstacle.cause = "period_closed"
    services.decision_effects_retry(commons_id=commons_id)
    effect.refresh_from_db()
    assert (effect.reason, effect.attempts) == ("period_closed", 3)
    assert Notification.objects.filter(kind="effect_pending").count() == 2
    assert not Comment.objects.filter(subject_type="effect").exists()
    # The cause is gone: it applies, once, whoever retries next.
    obstacle.cause = None
    frozen_clock.set(T0 + 2 * HOUR)
    assert services.decision_effects_retry(commons_id=commons_id) == 1
    assert services.decision_effects_retry(commons_id=commons_id) == 0
    assert services.decision_effects_retry(decision_id=decision.pk) == 0
    effect.refresh_from_db()
    assert (effect.status, effect.attempts, effect.applied_at) == ("applied", 4, T0 + 2 * HOUR)
    assert effect.result == {"applied_by": "obstacle", "decision_id": decision.pk}
    assert effect.reason == "period_closed"  # why it waited, kept
    assert Comment.objects.filter(subject_type="effect").count() == 1
    assert obstacle.runs == [decision.pk] * 4
    refused("effect_not_pending", services.decision_effect_apply, effect_id=effect.pk)
    refused(
        "effect_not_pending",
        services.decision_effect_retry,
        user=circle.steward,
        decision_id=decision.pk,
    )
    # The decision row never changed; what it authorised is read from the effect row.
    assert Decision.objects.get(pk=decision.pk).hash == decision.hash
    assert selectors.decision_authorised(decision) == effect.result
    assert selectors.decision_effects_pending(commons_id=commons_id) == []
    assert selectors.decision_log_verify(commons_id) == []
    assert Event.objects.filter(type="decision.effect_applied").count() == 1


def test_only_a_steward_retries_now(circle, obstacle):
    decision = passed_motion(circle)
    refused(
        "permission_denied",
        services.decision_effect_retry,
        user=circle.members[1],
        decision_id=decision.pk,
    )
    assert DecisionEffect.objects.get(decision=decision).attempts == 1
    obstacle.cause = None
    effect = services.decision_effect_retry(user=circle.steward, decision_id=decision.pk)
    assert effect.status == "applied"
    refused("not_found", services.decision_effect_retry, user=circle.steward, decision_id=10**9)


def test_the_periodic_job_retries_pending_effects(circle, obstacle):
    decision = passed_motion(circle)
    obstacle.cause = None
    out = _call("close-proposals")
    assert "1 pending effect(s) applied, 0 still pending" in out
    assert DecisionEffect.objects.get(decision=decision).status == "applied"


def test_decisions_api_shows_the_pending_effect_and_lets_a_steward_retry(
    circle, obstacle, api_client
):
    decision = passed_motion(circle)
    slug = circle.commons.slug
    [shown] = api_client(circle.members[1]).get(f"/commons/{slug}/decisions").json()
    assert shown["outcome"] == "passed"
    assert shown["authorised"] == {}
    assert shown["effect"]["status"] == "pending"
    assert shown["effect"]["reason"] == "unknown_account"
    assert shown["effect"]["reason_messages"] == {
        "fr": "Compte inconnu dans ce livre.",
        "en": "Unknown account in this book.",
    }
    assert shown["effect"]["can_retry"] is False
    steward = api_client(circle.steward)
    [shown] = steward.get(f"/commons/{slug}/decisions").json()
    assert shown["effect"]["can_retry"] is True
    detail = steward.get(f"/proposals/{decision.proposal_id}").json()
    assert (detail["status"], detail["effect"]["status"]) == ("passed", "pending")
    listed = api_client().get(f"/commons/{slug}/proposals").json()
    assert listed[0]["effect"]["reason"] == "unknown_account"
    # Not a steward: refused, nothing run.
    response = api_client(circle.members[1]).post(f"/decisions/{decision.pk}/retry-effect", {})
    assert response.status_code == 403
    # Still refused: 200 with the effect still pending and the attempt counted.
    response = steward.post(f"/decisions/{decision.pk}/retry-effect", {})
    assert response.status_code == 200, response.json()
    assert (response.json()["effect"]["status"], response.json()["effect"]["attempts"]) == (
        "pending",
        2,
    )
    obstacle.cause = None
    response = steward.post(f"/decisions/{decision.pk}/retry-effect", {})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["effect"]["status"] == "applied" and body["effect"]["can_retry"] is False
    assert body["authorised"] == {"applied_by": "obstacle", "decision_id": decision.pk}
    response = steward.post(f"/decisions/{decision.pk}/retry-effect", {})
    assert (response.status_code, response.json()["code"]) == (409, "effect_not_pending")
    public = api_client().get(f"/public/commons/{slug}/decisions").json()
    assert public[0]["effect"]["status"] == "applied"


def test_a_decision_applied_in_full_has_no_effect_row(circle):
    proposal = services.proposal_open(
        user=circle.members[0], commons_id=circle.commons.pk, kind="free_motion", title="Plain"
    )
    for member in circle.members[1:]:
        services.ballot_cast(user=member, proposal_id=proposal.pk, choice="for")
    decision = Decision.objects.get(proposal=proposal)
    assert decision.content["authorised"] == {}
    assert "effect" not in decision.content
    assert not DecisionEffect.objects.exists()
    assert selectors.decision_effect(decision) is None


def _call(name: str, *args) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_a_checks_first_effect_refused_before_writing_waits_with_no_savepoint(
    circle, checked_first
):
    checked_first(ChecksFirst())
    proposal = services.proposal_open(
        user=circle.members[0], commons_id=circle.commons.pk, kind="free_motion", title="Motion"
    )
    for member in circle.members[1:]:
        with CaptureQueriesContext(connection) as queries:
            services.ballot_cast(user=member, proposal_id=proposal.pk, choice="for")
        if selectors.proposal_get(proposal_id=proposal.pk).status != "open":
            break
    savepoints = [q for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
    assert len(savepoints) == 1, "the service's own block only: the effect took none"
    decision = Decision.objects.get(proposal=proposal)
    assert decision.content["effect"] == {"status": "pending", "reason": "period_closed"}
    assert DecisionEffect.objects.get(decision=decision).status == "pending"
    # The event it recorded before refusing went with the refusal; the closing's stayed.
    assert not Event.objects.filter(type="test.effect_checked").exists()
    assert Event.objects.filter(type="proposal.closed", data__proposal_id=proposal.pk).exists()
    assert selectors.decision_log_verify(circle.commons.pk) == []


def test_a_checks_first_effect_refused_after_writing_undoes_the_whole_vote(circle, checked_first):
    checked_first(ChecksFirst(late=True))
    proposal = services.proposal_open(
        user=circle.members[0], commons_id=circle.commons.pk, kind="free_motion", title="Motion"
    )
    outcomes = []
    for member in circle.members[1:]:
        outcome = commands.execute(
            user=member,
            command_id=uuid.uuid4(),
            type="ballot.cast",
            payload={"proposal_id": proposal.pk, "choice": "for"},
        )
        outcomes.append(outcome.status_code)
        if outcome.status_code != 201:
            break
    # The deciding ballot is refused as a whole: no half-applied effect, no decision, no ballot.
    assert outcome.body["code"] == "command_failed", outcomes
    assert selectors.proposal_get(proposal_id=proposal.pk).status == "open"
    assert not Decision.objects.filter(proposal=proposal).exists()
    assert not Comment.objects.filter(subject_type="effect").exists()
    assert not Event.objects.filter(type="test.effect_checked").exists()
    assert Ballot.objects.filter(proposal=proposal).count() == len(outcomes) - 1
