"""Services: proposals, ballots, closing, charter amendments, handlers, the decision log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from federage.agents import selectors as agent_selectors
from federage.agents import services as agent_services
from federage.commons import selectors as commons_selectors
from federage.commons import services as commons_services
from federage.core.errors import ApplicationError
from federage.core.models import Event
from federage.governance import selectors, services
from federage.governance.models import (
    Ballot,
    CharterVersion,
    Comment,
    Decision,
    DecisionLog,
    Notification,
    Proposal,
)
from federage.governance.testing import append_only_lifted
from federage.governance.tests.conftest import T0, set_rules

WEEK = dt.timedelta(hours=168)


def open_amendment(circle, changes=None, **kwargs):
    return services.proposal_open(
        user=circle.steward,
        commons_id=circle.commons.pk,
        kind="amend_charter",
        title="Raise the transfer tax",
        payload={"changes": changes or {"transfer_tax_bp": 250}},
        **kwargs,
    )


def vote(user, proposal, choice="for", **kwargs):
    return services.ballot_cast(user=user, proposal_id=proposal.pk, choice=choice, **kwargs)


def refused(code, call, *args, **kwargs):
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def test_new_commons_has_charter_v1_and_empty_log(circle):
    version = selectors.charter_current(commons_id=circle.commons.pk)
    assert (version.number, version.decision_id) == (1, None)
    assert version.parameters["transfer_tax_bp"] == 100
    assert DecisionLog.objects.get(commons=circle.commons).length == 0
    assert Event.objects.filter(type="charter.created", commons_id=circle.commons.pk).exists()


def test_amendment_passes_and_charter_changes(circle, frozen_clock):
    proposal = open_amendment(circle)
    assert proposal.status == "open"
    assert proposal.closes_at == T0 + WEEK
    assert proposal.policy["voters"] == "members"
    assert proposal.payload["diff"] == [{"name": "transfer_tax_bp", "before": 100, "after": 250}]
    # The author's agents never vote: the electorate is the three members.
    assert len(selectors.electorate(proposal)) == 3
    a, b, _ = circle.members
    vote(a, proposal, "for")
    proposal.refresh_from_db()
    assert proposal.status == "open"
    vote(b, proposal, "for")  # 2 of 3: the outcome can no longer change
    proposal.refresh_from_db()
    assert proposal.status == "passed"
    assert proposal.outcome["early"] is True
    current = selectors.charter_current(commons_id=circle.commons.pk)
    assert current.number == 2 and current.parameters["transfer_tax_bp"] == 250
    decision = Decision.objects.get(proposal=proposal)
    assert current.decision_id == decision.pk
    assert decision.content["authorised"] == {
        "charter_version": 2,
        "changes": [{"name": "transfer_tax_bp", "before": 100, "after": 250}],
    }
    assert decision.charter_version.number == 1
    assert selectors.decision_log_verify(circle.commons.pk) == []
    types = set(Event.objects.filter(commons_id=circle.commons.pk).values_list("type", flat=True))
    assert {"proposal.opened", "ballot.cast", "proposal.closed", "charter.amended"} <= types


def test_last_ballot_counts_and_all_are_kept(circle):
    proposal = open_amendment(circle)
    a = circle.members[0]
    vote(a, proposal, "against", comment="Too high")
    vote(a, proposal, "abstain")
    vote(a, proposal, "for")
    ballots = list(Ballot.objects.filter(proposal=proposal).order_by("id"))
    assert [b.choice for b in ballots] == ["against", "abstain", "for"]
    assert [b.is_effective for b in ballots] == [False, False, True]
    assert selectors.proposal_tally(proposal).weight_for == 1


def test_vote_after_deadline_is_refused_and_nothing_written(circle, frozen_clock):
    proposal = open_amendment(circle)
    vote(circle.members[0], proposal, "for")
    frozen_clock.set(T0 + WEEK)
    before = (Ballot.objects.count(), Event.objects.count())
    refused("vote_closed", vote, circle.members[1], proposal)
    assert (Ballot.objects.count(), Event.objects.count()) == before
    # The worker's job closes it at the deadline's ballots: 1 of 3 is under the 50 % quorum.
    assert services.proposals_close_due(commons_id=circle.commons.pk) == 1
    proposal.refresh_from_db()
    assert proposal.status == "expired"
    assert selectors.charter_current(commons_id=circle.commons.pk).number == 1


def test_just_before_deadline_counts(circle, frozen_clock):
    proposal = open_amendment(circle)
    vote(circle.members[0], proposal, "for")
    frozen_clock.set(T0 + WEEK - dt.timedelta(microseconds=1))
    vote(circle.members[1], proposal, "against")
    frozen_clock.set(T0 + WEEK + dt.timedelta(days=30))  # the server was down a month
    call_command("close-proposals", stdout=open("/dev/null", "w"))  # noqa: SIM115
    proposal.refresh_from_db()
    assert proposal.status == "rejected"  # 1 for, 1 against: no majority
    assert proposal.outcome["participation_weight"] == 2


def test_refusals_write_nothing(circle, make_user):
    proposal = open_amendment(circle)
    outsider = make_user()
    counts = (Ballot.objects.count(), Proposal.objects.count(), Event.objects.count())
    refused("own_item", vote, circle.steward, proposal)
    refused("not_eligible", vote, outsider, proposal)
    refused(
        "not_a_member",
        services.proposal_open,
        user=outsider,
        commons_id=circle.commons.pk,
        kind="amend_charter",
        title="Outsider's idea",
        payload={"changes": {"transfer_tax_bp": 0}},
    )
    error = refused("out_of_range", open_amendment, circle, {"transfer_tax_bp": -100})
    assert "parameters.transfer_tax_bp" in error.fields
    refused("out_of_range", open_amendment, circle, {"decisions.quorum_bp": 10001})
    refused("unknown_parameter", open_amendment, circle, {"free_beer": True})
    refused("no_change", open_amendment, circle, {"transfer_tax_bp": 100})
    refused("invalid_value", vote, circle.members[0], proposal, "maybe")
    refused(
        "invalid_kind",
        services.proposal_open,
        user=circle.steward,
        commons_id=circle.commons.pk,
        kind="coup",
        title="x",
    )
    assert (Ballot.objects.count(), Proposal.objects.count(), Event.objects.count()) == counts


def test_observers_vote_only_when_all_members_vote(circle, make_user, make_commons):
    observer = make_user()
    set_rules(circle.commons, contributions__voters="approvers")
    _, link = commons_services.invitation_create(
        user=circle.steward, slug=circle.commons.slug, email=observer.email, roles=["observer"]
    )
    commons_services.invitation_accept(user=observer, token=link.rsplit("/", 1)[1])
    contribution = services.proposal_open(
        user=circle.members[0],
        commons_id=circle.commons.pk,
        kind="validate_contribution",
        title="Sewing machine",
        subject_type="contribution",
        subject_id=7,
    )
    refused("not_eligible", vote, observer, contribution)
    refused("own_item", vote, circle.members[0], contribution)
    motion = services.proposal_open(
        user=circle.steward, commons_id=circle.commons.pk, kind="free_motion", title="Picnic"
    )
    vote(observer, motion, "for")


def test_electorate_is_fixed_at_opening(circle, make_user):
    proposal = open_amendment(circle)
    late = make_user()
    _, link = commons_services.invitation_create(
        user=circle.steward, slug=circle.commons.slug, email=late.email, roles=["contributor"]
    )
    commons_services.invitation_accept(user=late, token=link.rsplit("/", 1)[1])
    refused("not_eligible", vote, late, proposal)
    # Leaving the commons ends one's vote in running proposals too.
    commons_services.membership_leave(user=circle.members[2], slug=circle.commons.slug)
    refused("not_eligible", vote, circle.members[2], proposal)


def test_author_cannot_vote_through_an_organisation(circle):
    author = circle.members[0]
    organisation = agent_services.agent_create(
        user=author, kind="association", display_name="Asso des couturières"
    )
    commons_services.membership_admit(
        commons_id=circle.commons.pk,
        agent_id=organisation.pk,
        roles=["contributor"],
        actor_user_id=None,
    )
    proposal = services.proposal_open(
        user=author, commons_id=circle.commons.pk, kind="free_motion", title="Open on Sundays"
    )
    assert organisation.pk in proposal.excluded_agent_ids
    refused("own_item", vote, author, proposal, agent_id=organisation.pk)
    # A member voting for an agent they do not represent is refused too.
    other = circle.members[1]
    refused("permission_denied", vote, other, proposal, agent_id=organisation.pk)


def test_policy_in_force_at_opening_is_kept(circle):
    set_rules(circle.commons, decisions__method="unanimity")
    proposal = services.proposal_open(
        user=circle.steward, commons_id=circle.commons.pk, kind="free_motion", title="Motion"
    )
    set_rules(circle.commons, decisions__method="majority")
    a, b, c = circle.members
    vote(a, proposal, "for")
    vote(b, proposal, "for")
    proposal.refresh_from_db()
    assert proposal.status == "open"  # unanimity: c may still say no
    vote(c, proposal, "against")
    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert proposal.policy["method"] == "unanimity"


def test_consent_passes_at_deadline_without_objection(circle, frozen_clock):
    set_rules(circle.commons, decisions__method="consent", decisions__quorum_bp=0)
    proposal = services.proposal_open(
        user=circle.steward, commons_id=circle.commons.pk, kind="free_motion", title="Motion"
    )
    vote(circle.members[0], proposal, "against")  # disagreement, not an objection
    frozen_clock.set(T0 + WEEK)
    assert services.proposals_close_due() == 1
    proposal.refresh_from_db()
    assert proposal.status == "passed"


def test_consent_objection_rejects(circle):
    # With a 50 % quorum, one objection of three could still end "expired": no quorum here.
    set_rules(circle.commons, decisions__method="consent", decisions__quorum_bp=0)
    proposal = services.proposal_open(
        user=circle.steward, commons_id=circle.commons.pk, kind="free_motion", title="Motion"
    )
    vote(circle.members[0], proposal, "object", comment="Unsafe")
    proposal.refresh_from_db()
    assert proposal.status == "rejected"


def test_draft_publish_and_withdraw(circle):
    draft = open_amendment(circle, draft=True)
    assert draft.status == "draft" and draft.closes_at is None
    refused("proposal_not_open", vote, circle.members[0], draft)
    refused(
        "permission_denied", services.proposal_publish, user=circle.members[0], proposal_id=draft.pk
    )
    published = services.proposal_publish(user=circle.steward, proposal_id=draft.pk)
    assert published.status == "open"
    refused(
        "proposal_not_draft", services.proposal_publish, user=circle.steward, proposal_id=draft.pk
    )
    withdrawn = services.proposal_withdraw(user=circle.steward, proposal_id=draft.pk)
    assert withdrawn.status == "withdrawn"
    refused("vote_closed", vote, circle.members[0], draft)
    refused(
        "proposal_not_open", services.proposal_withdraw, user=circle.steward, proposal_id=draft.pk
    )
    assert not Decision.objects.filter(proposal=draft).exists()


def test_outcome_handler_of_another_app(circle, monkeypatch):
    seen = []

    def on_passed(context):
        seen.append((context.status, context.decision_id, context.proposal.subject_id))
        return {"ledger_entry_ids": [101, 102]}

    def on_rejected(context):
        seen.append((context.status, context.decision_id, context.proposal.subject_id))
        raise ApplicationError("not_found")

    monkeypatch.setattr(services, "_HANDLERS", dict(services._HANDLERS))
    services.register_outcome_handler(
        "validate_contribution", on_passed=on_passed, on_rejected=on_rejected
    )
    a, b, c = circle.members
    ok = services.proposal_open(
        user=a,
        commons_id=circle.commons.pk,
        kind="validate_contribution",
        title="Sewing machine",
        subject_type="contribution",
        subject_id=42,
        author_agent_ids=[agent_selectors.self_agent(user=b).pk],  # a co-author
    )
    refused("own_item", vote, b, ok)
    vote(c, ok, "for")  # 1 of 1 eligible (b and a are authors, steward is no approver)
    decision = Decision.objects.get(proposal=ok)
    assert seen == [("passed", decision.pk, 42)]
    assert decision.content["authorised"] == {"ledger_entry_ids": [101, 102]}
    ko = services.proposal_open(
        user=a, commons_id=circle.commons.pk, kind="validate_contribution", title="x", subject_id=43
    )
    vote(c, ko, "against")
    decision = Decision.objects.get(proposal=ko)
    # A refused handler leaves the decision visibly waiting, not "rejected" with an error inside.
    assert "authorised" not in decision.content
    assert decision.content["effect"] == {"status": "pending", "reason": "not_found"}
    assert decision.effect.status == "pending"
    assert decision.outcome == "rejected"
    assert selectors.decision_log_verify(circle.commons.pk) == []


def test_weight_provider_for_title_holders(circle, monkeypatch):
    a, b, c = circle.members
    agents = {user: agent_selectors.self_agent(user=user).pk for user in circle.members}
    held = {agents[a]: 60, agents[b]: 30, agents[c]: 0}
    monkeypatch.setattr(services, "_WEIGHT_PROVIDER", [])
    services.register_weight_provider(
        lambda commons_id, agent_ids: {agent: held.get(agent, 0) for agent in agent_ids}
    )
    set_rules(circle.commons, decisions__voters="title_holders", decisions__weighting="titles")
    proposal = services.proposal_open(
        user=circle.steward, commons_id=circle.commons.pk, kind="free_motion", title="Motion"
    )
    assert selectors.electorate(proposal) == {agents[a]: 60, agents[b]: 30}
    refused("not_eligible", vote, c, proposal)
    vote(b, proposal, "against")
    vote(a, proposal, "for")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.outcome["weight_for"]) == ("passed", 60)


def test_admit_member_and_grant_role(circle, make_user):
    newcomer = make_user()
    newcomer_agent = agent_selectors.self_agent(user=newcomer).pk
    admit = services.proposal_open(
        user=circle.steward,
        commons_id=circle.commons.pk,
        kind="admit_member",
        title="Admit the newcomer",
        payload={"agent_id": newcomer_agent, "roles": ["contributor"]},
    )
    for member in circle.members[:2]:
        vote(member, admit, "for")
    assert commons_selectors.roles_of_user(user=newcomer, commons=circle.commons) == {"contributor"}
    refused(
        "already_member",
        services.proposal_open,
        user=circle.steward,
        commons_id=circle.commons.pk,
        kind="admit_member",
        title="Again",
        payload={"agent_id": newcomer_agent, "roles": ["contributor"]},
    )
    grant = services.proposal_open(
        user=circle.members[0],
        commons_id=circle.commons.pk,
        kind="grant_role",
        title="Newcomer validates too",
        payload={"agent_id": newcomer_agent, "roles": ["approver"]},
    )
    vote(circle.members[1], grant, "for")
    vote(circle.members[2], grant, "for")
    vote(newcomer, grant, "for")
    grant.refresh_from_db()
    assert grant.status == "passed"
    assert commons_selectors.roles_of_user(user=newcomer, commons=circle.commons) == {
        "contributor",
        "approver",
    }


def test_decision_log_detects_tampering(circle):
    for title in ("One", "Two", "Three"):
        motion = services.proposal_open(
            user=circle.steward, commons_id=circle.commons.pk, kind="free_motion", title=title
        )
        vote(circle.members[0], motion, "for")
        vote(circle.members[1], motion, "for")
    assert selectors.decision_log_verify(circle.commons.pk) == []
    decisions = list(Decision.objects.filter(commons=circle.commons).order_by("sequence"))
    assert [d.sequence for d in decisions] == [1, 2, 3]
    assert decisions[1].previous_hash == decisions[0].hash

    # The triggers refuse rewriting history; someone with the database in hand can lift them.
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decisions[1].pk).update(outcome="rejected")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.filter(proposal=decisions[2].proposal).update(choice="against")

    with append_only_lifted():
        content = dict(decisions[1].content)
        content["outcome"] = "rejected"
        Decision.objects.filter(pk=decisions[1].pk).update(content=content)
        assert any("hash" in p for p in selectors.decision_log_verify(circle.commons.pk))
        Decision.objects.filter(pk=decisions[1].pk).update(content=decisions[1].content)

        Ballot.objects.filter(proposal=decisions[2].proposal).update(choice="against")
        assert any("ballots" in p for p in selectors.decision_log_verify(circle.commons.pk))
        Ballot.objects.filter(proposal=decisions[2].proposal).update(choice="for")

        Proposal.objects.filter(pk=decisions[0].proposal_id).update(status="rejected")
        assert any("status" in p for p in selectors.decision_log_verify(circle.commons.pk))
        Proposal.objects.filter(pk=decisions[0].proposal_id).update(status="passed")

        assert selectors.decision_log_verify(circle.commons.pk) == []
        Decision.objects.filter(pk=decisions[2].pk).delete()
        assert any("head" in p for p in selectors.decision_log_verify(circle.commons.pk))
    assert circle.commons.pk in selectors.decision_logs_verify()


def test_charter_versions_need_a_decision(circle):
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterVersion.objects.create(
            commons=circle.commons,
            number=2,
            parameters={},
            created_by=circle.steward,
            created_at=T0,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterVersion.objects.create(
            commons=circle.commons,
            number=1,
            parameters={},
            created_by=circle.steward,
            created_at=T0,
        )


def test_notifications_and_email_for_those_who_opted_in(circle, django_capture_on_commit_callbacks):
    a, b, c = circle.members
    services.notification_preference_set(user=a, email_enabled=True)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = open_amendment(circle)
    kinds = dict(Notification.objects.filter(proposal=proposal).values_list("user_id", "kind"))
    assert kinds == {a.pk: "vote_needed", b.pk: "vote_needed", c.pk: "vote_needed"}
    assert [message.to for message in mail.outbox] == [[a.email]]
    with django_capture_on_commit_callbacks(execute=True):
        vote(a, proposal, "for")
        vote(b, proposal, "for")
    reached = Notification.objects.filter(proposal=proposal, kind="decision_reached")
    assert reached.count() == 4  # the steward too
    assert len(mail.outbox) == 2
    assert services.notifications_mark_read(user=a) == 2
    assert selectors.unread_count(user=a) == 0


def test_threaded_comments(circle, make_user):
    proposal = open_amendment(circle)
    first = services.proposal_comment_add(
        user=circle.members[0], proposal_id=proposal.pk, body="Why 2.5 %?"
    )
    reply = services.proposal_comment_add(
        user=circle.steward, proposal_id=proposal.pk, body="To fund repairs.", parent_id=first.pk
    )
    assert reply.parent_id == first.pk
    assert [
        c.pk for c in selectors.comments_of(subject_type="proposal", subject_id=proposal.pk)
    ] == [
        first.pk,
        reply.pk,
    ]
    assert Notification.objects.filter(user=circle.steward, kind="comment_added").count() == 1
    refused(
        "permission_denied",
        services.proposal_comment_add,
        user=make_user(),
        proposal_id=proposal.pk,
        body="Hi",
    )
    refused(
        "required",
        services.proposal_comment_add,
        user=circle.steward,
        proposal_id=proposal.pk,
        body="  ",
    )
    other = services.comment_add(
        user=circle.steward,
        commons_id=circle.commons.pk,
        subject_type="contribution",
        subject_id=5,
        body="Generic subject",
    )
    refused(
        "invalid_value",
        services.proposal_comment_add,
        user=circle.steward,
        proposal_id=proposal.pk,
        body="Wrong thread",
        parent_id=other.pk,
    )
    assert Comment.objects.count() == 3
