"""Command handlers of governance: one handler per command type, listed in `federage.commands`."""

from __future__ import annotations

from federage.commons import selectors as commons_selectors
from federage.core.commands import command
from federage.core.errors import ApplicationError
from federage.governance import domain, selectors, services
from federage.governance.presenters import (
    Names,
    _visible_proposal,
    ballot_out,
    comment_out,
    decision_out,
    proposal_detail_out,
    proposal_out,
)
from federage.governance.schemas import (
    BallotCastOut,
    BallotCommand,
    CommentCommand,
    CommentOut,
    DecisionOut,
    DecisionRefCommand,
    MarkReadIn,
    MarkReadOut,
    PreferencesIn,
    PreferencesOut,
    ProposalDetailOut,
    ProposalOpenCommand,
    ProposalRefCommand,
)

# Commands.


@command("proposal.open", ProposalOpenCommand, success_status=201)
def proposal_open_command(user, data: ProposalOpenCommand):
    if data.kind not in domain.MEMBER_KINDS:
        # Contributions, financings and exchanges are put to the vote by their own app.
        raise ApplicationError.on_field("kind", "invalid_kind")
    commons = commons_selectors.commons_get_visible(user=user, slug=data.commons_slug)
    proposal = services.proposal_open(
        user=user,
        commons_id=commons.pk,
        kind=data.kind,
        title=data.title,
        body=data.body,
        payload=data.payload,
        agent_id=data.agent_id,
        draft=data.draft,
    )
    return ProposalDetailOut(
        **proposal_detail_out(user, selectors.proposal_get(proposal_id=proposal.pk))
    )


@command("proposal.publish", ProposalRefCommand)
def proposal_publish_command(user, data: ProposalRefCommand):
    proposal = services.proposal_publish(user=user, proposal_id=data.proposal_id)
    return ProposalDetailOut(
        **proposal_detail_out(user, selectors.proposal_get(proposal_id=proposal.pk))
    )


@command("proposal.withdraw", ProposalRefCommand)
def proposal_withdraw_command(user, data: ProposalRefCommand):
    proposal = services.proposal_withdraw(user=user, proposal_id=data.proposal_id)
    return ProposalDetailOut(
        **proposal_detail_out(user, selectors.proposal_get(proposal_id=proposal.pk))
    )


@command("decision.retry_effect", DecisionRefCommand)
def decision_retry_effect_command(user, data: DecisionRefCommand):
    effect = services.decision_effect_retry(user=user, decision_id=data.decision_id)
    decision = selectors.decisions_of(commons_id=effect.commons_id).get(pk=data.decision_id)
    return DecisionOut(**decision_out(decision, can_retry=True))


@command("ballot.cast", BallotCommand, success_status=201)
def ballot_cast_command(user, data: BallotCommand):
    ballot = services.ballot_cast(
        user=user,
        proposal_id=data.proposal_id,
        choice=data.choice,
        comment=data.comment,
        agent_id=data.agent_id,
    )
    # Built from what the cast read under its lock: the voter is an active member.
    names = Names(user, ballot.proposal.commons, member=True)
    return BallotCastOut(
        ballot=ballot_out(ballot, names), proposal=proposal_out(ballot.proposal, names)
    )


@command("comment.add", CommentCommand, success_status=201)
def comment_add_command(user, data: CommentCommand):
    proposal = _visible_proposal(user, data.proposal_id)
    comment = services.proposal_comment_add(
        user=user, proposal_id=data.proposal_id, body=data.body, parent_id=data.parent_id
    )
    return CommentOut(**comment_out(comment, Names(user, proposal.commons)))


@command("notifications.mark_read", MarkReadIn)
def notifications_mark_read_command(user, data: MarkReadIn):
    return MarkReadOut(marked=services.notifications_mark_read(user=user, ids=data.ids))


@command("notifications.set_preferences", PreferencesIn)
def notifications_preferences_command(user, data: PreferencesIn):
    preference = services.notification_preference_set(user=user, email_enabled=data.email_enabled)
    return PreferencesOut(email_enabled=preference.email_enabled)
