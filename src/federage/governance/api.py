"""HTTP API of governance: charter, proposals, ballots, decisions, comments, notifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from federage.commons import selectors as commons_selectors
from federage.commons.schemas import MembershipOut
from federage.core.errors import ApplicationError
from federage.core.http import AUTH, run_command
from federage.core.schemas import with_errors
from federage.governance import domain, selectors, services
from federage.governance.presenters import (
    Names,
    _is_steward,
    _version_out,
    _visible_proposal,
    ballot_out,
    comment_out,
    decision_out,
    proposal_detail_out,
    proposal_out,
)
from federage.governance.schemas import (
    BallotCastOut,
    BallotIn,
    BallotOut,
    CharterOut,
    CharterVersionOut,
    CommentOut,
    DecisionLogVerifyOut,
    DecisionOut,
    ElectoratePreviewOut,
    MarkReadIn,
    MarkReadOut,
    NotificationsOut,
    ParameterOut,
    PreferencesIn,
    PreferencesOut,
    ProposalCommentIn,
    ProposalDetailOut,
    ProposalIn,
    ProposalOut,
)

router = Router(tags=["governance"], auth=AUTH)


def _anyone(request: HttpRequest):
    # Last in the chain: public reads answer anonymous readers (AnonymousUser is truthy).
    return request.user


# Reads open to everyone who may see the commons; a session or a token shows more.
READ_AUTH = [*AUTH, _anyone]


# Routes: charter.


@router.get("/charter-parameters", auth=None, response=list[ParameterOut])
def charter_parameters(request: HttpRequest):
    """Every charter parameter with French and English labels, unit, range and choices."""
    return selectors.parameter_catalogue()


# The members list of a commons. It lives here, not in commons/api.py, because who may read a
# member's name depends on the charter (`public_data.persons`), which commons, below
# governance, cannot read. Same path, operation id and tag as when commons served it, so the
# API contract and the SPA's client are unchanged. Members see every name; a signed-up
# stranger sees organisations, and persons only as the public rule allows.
@router.get(
    "/commons/{slug}/members",
    response=with_errors({200: list[MembershipOut]}),
    operation_id="federage_commons_api_commons_members",
    tags=["commons"],
)
def commons_members(request: HttpRequest, slug: str):
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    names = selectors.PersonNames(commons=commons, reader=request.auth)
    memberships = commons_selectors.active_members(commons=commons).select_related("commons")
    return [
        commons_selectors.membership_row(item, agent_name=names.name(item.agent))
        for item in memberships
    ]


@router.get("/commons/{slug}/charter", auth=READ_AUTH, response=with_errors({200: CharterOut}))
def charter_current(request: HttpRequest, slug: str):
    """The rules in force, each with its label and its value written for a French reader."""
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    versions = selectors.charter_versions(commons_id=commons.pk)
    if not versions:
        raise ApplicationError("not_found")
    current = versions[-1]
    previous = versions[-2] if len(versions) > 1 else None
    return {
        **_version_out(current, previous, Names(request.auth, commons)),
        "commons_slug": commons.slug,
        "parameters": current.parameters,
        "rules": selectors.parameter_catalogue(current.parameters),
        "summary_fr": domain.summary_fr(current.parameters),
    }


@router.get(
    "/commons/{slug}/charter/versions",
    auth=READ_AUTH,
    response=with_errors({200: list[CharterVersionOut]}),
)
def charter_versions(request: HttpRequest, slug: str):
    """Every version, oldest first, with what changed from the one before and the decision."""
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    versions = selectors.charter_versions(commons_id=commons.pk)
    names = Names(request.auth, commons)
    return [
        _version_out(version, versions[index - 1] if index else None, names)
        for index, version in enumerate(versions)
    ]


# Routes: proposals and ballots.


@router.get(
    "/commons/{slug}/proposals", auth=READ_AUTH, response=with_errors({200: list[ProposalOut]})
)
def proposals_list(request: HttpRequest, slug: str, status: str = ""):
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    proposals = selectors.proposals_of(commons_id=commons.pk, status=status[:10])
    # Drafts are their author's business.
    user_id = request.auth.pk if request.auth.is_authenticated else None
    names = Names(request.auth, commons)
    shown = [
        proposal
        for proposal in proposals.select_related("commons")
        if proposal.status != "draft" or proposal.author_id == user_id
    ]
    effects = selectors.effects_by_proposal(proposal_ids=[proposal.pk for proposal in shown])
    return [proposal_out(proposal, names, effects.get(proposal.pk)) for proposal in shown]


@router.get("/commons/{slug}/electorate-preview", response=with_errors({200: ElectoratePreviewOut}))
def electorate_preview(request: HttpRequest, slug: str, kind: str, agent_id: int | None = None):
    """Who would vote on a proposal of `kind` the member opened now, and under which rule (the
    usual one, or the young commons'): the proposal form warns before anyone submits in vain."""
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    return services.electorate_preview(
        user=request.auth, commons_id=commons.pk, kind=kind[:40], agent_id=agent_id
    )


@router.post("/commons/{slug}/proposals", response=with_errors({201: ProposalDetailOut}))
def proposal_open(request: HttpRequest, slug: str, data: ProposalIn):
    return run_command(request, "proposal.open", data, commons_slug=slug)


@router.get(
    "/proposals/{proposal_id}", auth=READ_AUTH, response=with_errors({200: ProposalDetailOut})
)
def proposal_detail(request: HttpRequest, proposal_id: int):
    """The proposal with its live tally and what the reader may do on it."""
    proposal = _visible_proposal(request.auth, proposal_id)
    if proposal.status == "draft" and proposal.author_id != request.auth.pk:
        raise ApplicationError("not_found")
    return proposal_detail_out(request.auth, proposal)


@router.post("/proposals/{proposal_id}/publish", response=with_errors({200: ProposalDetailOut}))
def proposal_publish(request: HttpRequest, proposal_id: int):
    return run_command(request, "proposal.publish", {"proposal_id": proposal_id})


@router.post("/proposals/{proposal_id}/withdraw", response=with_errors({200: ProposalDetailOut}))
def proposal_withdraw(request: HttpRequest, proposal_id: int):
    return run_command(request, "proposal.withdraw", {"proposal_id": proposal_id})


@router.get("/proposals/{proposal_id}/ballots", response=with_errors({200: list[BallotOut]}))
def proposal_ballots(request: HttpRequest, proposal_id: int):
    """Every ballot, superseded ones too, for members of the commons."""
    proposal = _visible_proposal(request.auth, proposal_id)
    commons_selectors.require_member(user=request.auth, commons=proposal.commons)
    names = Names(request.auth, proposal.commons)
    return [ballot_out(ballot, names) for ballot in selectors.ballots_of(proposal=proposal)]


@router.post("/proposals/{proposal_id}/ballots", response=with_errors({201: BallotCastOut}))
def ballot_cast(request: HttpRequest, proposal_id: int, data: BallotIn):
    return run_command(request, "ballot.cast", data, proposal_id=proposal_id)


@router.get(
    "/proposals/{proposal_id}/comments",
    auth=READ_AUTH,
    response=with_errors({200: list[CommentOut]}),
)
def proposal_comments(request: HttpRequest, proposal_id: int):
    """Comments in order; `parent_id` threads them."""
    proposal = _visible_proposal(request.auth, proposal_id)
    comments = selectors.comments_of(subject_type="proposal", subject_id=proposal.pk)
    names = Names(request.auth, proposal.commons)
    return [comment_out(comment, names) for comment in comments]


@router.post("/proposals/{proposal_id}/comments", response=with_errors({201: CommentOut}))
def proposal_comment_add(request: HttpRequest, proposal_id: int, data: ProposalCommentIn):
    return run_command(request, "comment.add", data, proposal_id=proposal_id)


# Routes: decision log.


@router.get(
    "/commons/{slug}/decisions", auth=READ_AUTH, response=with_errors({200: list[DecisionOut]})
)
def decisions_list(request: HttpRequest, slug: str):
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    steward = _is_steward(request.auth, commons)
    return [decision_out(item, steward) for item in selectors.decisions_of(commons_id=commons.pk)]


@router.post("/decisions/{decision_id}/retry-effect", response=with_errors({200: DecisionOut}))
def decision_retry_effect(request: HttpRequest, decision_id: int):
    """A steward runs a decision's pending effect again now ("Réessayer")."""
    return run_command(request, "decision.retry_effect", {"decision_id": decision_id})


@router.get(
    "/commons/{slug}/decisions/verify",
    auth=READ_AUTH,
    response=with_errors({200: DecisionLogVerifyOut}),
)
def decisions_verify(request: HttpRequest, slug: str):
    """Recomputes the chain of hashes; `ok` when nothing was altered."""
    commons = commons_selectors.commons_get_visible(user=request.auth, slug=slug)
    problems = selectors.decision_log_verify(commons.pk)
    length = selectors.decisions_of(commons_id=commons.pk).count()
    return {"ok": not problems, "problems": problems, "length": length}


# Routes: notifications.


@router.get("/notifications", response=with_errors({200: NotificationsOut}))
def notifications_list(request: HttpRequest, unread: bool = False):
    items = selectors.notifications_of(user=request.auth, unread_only=unread)
    return {
        "unread": selectors.unread_count(user=request.auth),
        "items": [_notification_out(item) for item in items],
    }


def _notification_out(notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "commons_slug": notification.commons.slug if notification.commons_id else None,
        "proposal_id": notification.proposal_id,
        "data": notification.data,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


@router.post("/notifications/read", response=with_errors({200: MarkReadOut}))
def notifications_mark_read(request: HttpRequest, data: MarkReadIn):
    return run_command(request, "notifications.mark_read", data)


@router.get("/notifications/preferences", response=PreferencesOut)
def notification_preferences(request: HttpRequest):
    return {"email_enabled": selectors.notification_preference(user=request.auth)}


@router.put("/notifications/preferences", response=with_errors({200: PreferencesOut}))
def notification_preferences_set(request: HttpRequest, data: PreferencesIn):
    return run_command(request, "notifications.set_preferences", data)
