"""Presenters of governance: one output per entity, for the member API, sync and open data."""

from __future__ import annotations

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.governance import domain, selectors
from federage.governance.models import Ballot, CharterVersion, Comment, Decision, Proposal


class Names:
    """Names as a reader may see them, by the one naming rule (selectors.PersonNames): members
    see all; others see organisations, and natural persons only if they consented and the
    charter (`public_data.persons`) allows it. A hidden name is an empty string here."""

    def __init__(self, reader, commons, *, member: bool | None = None) -> None:
        self.rule = selectors.PersonNames(commons=commons, reader=reader, member=member)
        self.member = self.rule.member
        self._users: dict[int, str] = {}

    def _agent_name(self, agent) -> str:
        return self.rule.name(agent)

    def agent(self, agent) -> dict:
        return {"id": agent.pk, "display_name": self._agent_name(agent)}

    def user(self, user) -> dict:
        if self.member:
            return {"id": user.pk, "display_name": user.display_name}
        if user.pk not in self._users:
            self._users[user.pk] = self._agent_name(agent_selectors.self_agent(user=user))
        return {"id": user.pk, "display_name": self._users[user.pk]}


def _version_out(version: CharterVersion, previous: CharterVersion | None, names: Names) -> dict:
    decision = version.decision
    return {
        "number": version.number,
        "created_at": version.created_at,
        "created_by": names.user(version.created_by),
        "decision_id": decision.pk if decision else None,
        "decision_sequence": decision.sequence if decision else None,
        "proposal_id": decision.proposal_id if decision else None,
        "changes": domain.diff(previous.parameters, version.parameters) if previous else [],
    }


def _tally(proposal: Proposal) -> dict | None:
    if proposal.status in ("draft",) or proposal.policy is None:
        return None
    if proposal.outcome is not None:
        return proposal.outcome
    if getattr(proposal, "tally_now", None) is not None:
        # Counted by the ballot just cast, under the proposal's lock.
        return proposal.tally_now.as_dict()
    if proposal.status == "withdrawn":
        return None
    return selectors.proposal_tally(proposal).as_dict()


def _effect_out(effect, can_retry: bool) -> dict | None:
    view = selectors.effect_view(effect)
    if view is not None:
        view["can_retry"] = can_retry and view["status"] == "pending"
    return view


def _is_steward(user, commons) -> bool:
    return "steward" in commons_selectors.roles_of_user(user=user, commons=commons)


def proposal_out(proposal: Proposal, names: Names, effect=None, can_retry: bool = False) -> dict:
    return {
        "id": proposal.pk,
        "commons_slug": proposal.commons.slug,
        "kind": proposal.kind,
        "title": proposal.title,
        "status": proposal.status,
        "author": names.user(proposal.author),
        "author_agent": names.agent(proposal.author_agent),
        "subject_type": proposal.subject_type,
        "subject_id": proposal.subject_id,
        "created_at": proposal.created_at,
        "opened_at": proposal.opened_at,
        "closes_at": proposal.closes_at,
        "closed_at": proposal.closed_at,
        "closing_due": selectors.proposal_closing_due(proposal),
        "tally": _tally(proposal),
        "effect": _effect_out(effect, can_retry),
    }


def proposal_detail_out(user, proposal: Proposal) -> dict:
    names = Names(user, proposal.commons)
    decision = Decision.objects.select_related("effect").filter(proposal=proposal).first()
    effect = selectors.decision_effect(decision) if decision else None
    can_retry = effect is not None and _is_steward(user, proposal.commons)
    return {
        **proposal_out(proposal, names, effect, can_retry),
        "body": proposal.body,
        "payload": proposal.payload,
        "policy": proposal.policy,
        "charter_version": proposal.charter_version.number if proposal.charter_version else None,
        "electorate_size": len(selectors.electorate(proposal)),
        "my_vote": selectors.voter_view(user=user, proposal=proposal),
        "decision_id": decision.pk if decision else None,
        "decision_sequence": decision.sequence if decision else None,
    }


def ballot_out(ballot: Ballot, names: Names) -> dict:
    return {
        "id": ballot.pk,
        "proposal_id": ballot.proposal_id,
        "agent": names.agent(ballot.agent),
        "user": names.user(ballot.user),
        "choice": ballot.choice,
        "comment": ballot.comment,
        "cast_at": ballot.cast_at,
        "is_effective": ballot.is_effective,
    }


def decision_out(decision: Decision, can_retry: bool = False) -> dict:
    return {
        "id": decision.pk,
        "sequence": decision.sequence,
        "proposal_id": decision.proposal_id,
        "kind": decision.proposal.kind,
        "title": decision.proposal.title,
        "outcome": decision.outcome,
        "charter_version": decision.charter_version.number,
        "decided_at": decision.decided_at,
        "authorised": selectors.decision_authorised(decision),
        "effect": _effect_out(selectors.decision_effect(decision), can_retry),
        "previous_hash": decision.previous_hash,
        "hash": decision.hash,
        "content": decision.content,
    }


def comment_out(comment: Comment, names: Names) -> dict:
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author": names.user(comment.author),
        "body": comment.body,
        "created_at": comment.created_at,
    }


def _visible_proposal(user, proposal_id: int) -> Proposal:
    """The proposal if its commons is visible to the user; reading it never closes it."""
    proposal = selectors.proposal_get(proposal_id=proposal_id)
    commons_selectors.commons_get_visible(user=user, slug=proposal.commons.slug)
    return proposal
