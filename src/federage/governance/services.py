"""Writes of governance: charters, proposals, ballots, closing into the decision log, comments."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.db.models import F, QuerySet

from federage.agents import selectors as agent_selectors
from federage.commons import domain as commons_domain
from federage.commons import selectors as commons_selectors
from federage.commons import services as commons_services
from federage.core import clock, events, reactions
from federage.core.errors import CATALOGUE, ApplicationError, messages_for
from federage.core.events import event_record
from federage.core.transactions import write
from federage.governance import domain, selectors, tasks
from federage.governance.models import (
    EFFECT_APPLIED,
    EFFECT_PENDING,
    Ballot,
    CharterVersion,
    Comment,
    Decision,
    DecisionEffect,
    DecisionLog,
    Notification,
    NotificationPreference,
    Proposal,
    ProposalVoter,
)

logger = logging.getLogger(__name__)

# --- Extension points for other apps -------------------------------------------------------


@dataclass(frozen=True)
class OutcomeContext:
    """What an outcome handler gets, inside the closing transaction."""

    proposal: Proposal
    status: str  # passed | rejected | expired
    decision_id: int
    charter_version_id: int
    tally: domain.Outcome
    # The charter in force at closing (id, parameters) when the closing read it with its lock;
    # None when a pending effect runs again (the handler reads the charter then in force).
    charter_in_force: tuple[int, dict[str, Any]] | None = None


# A handler returns a JSON-able description of what the decision authorised (ids of the rows
# it wrote: ledger entries, title issuances…); it goes into the hashed decision content, or, for
# an effect that waited (see register_outcome_handler), into its DecisionEffect row.
OutcomeHandler = Callable[[OutcomeContext], Mapping[str, Any] | None]
# (commons id, agent ids) -> weight per agent: titles held, as an integer count of the
# smallest title fraction. Agents missing or at 0 hold no titles.
WeightProvider = Callable[[int, list[int]], Mapping[int, int]]

# (commons id, payload) -> the payload to store, or an ApplicationError: the app that acts on a
# kind checks its payload when the proposal opens, as its handler will again when it applies.
PayloadCheck = Callable[[int, Mapping[str, Any]], Mapping[str, Any]]

# (kind, "passed" | "rejected") -> (handler, checks_first): see register_outcome_handler.
_HANDLERS: dict[tuple[str, str], tuple[OutcomeHandler, bool]] = {}
_PAYLOAD_CHECKS: dict[str, PayloadCheck] = {}
_WEIGHT_PROVIDER: list[WeightProvider] = []


def register_outcome_handler(
    kind: str,
    *,
    on_passed: OutcomeHandler | None = None,
    on_rejected: OutcomeHandler | None = None,
    checks_first: bool = False,
) -> None:
    """Acts when a proposal of `kind` closes: `on_passed`, or `on_rejected` (rejected or expired).

    Other apps' effects are listed in the table of federage/reactions.py, which calls this once
    at start-up; governance's own kinds are registered at the end of this module.

    Handlers run inside the closing transaction, after the decision row exists (its id is in
    the context, for rows that must point back to it). An ApplicationError raised by a handler
    undoes only the handler's writes: the decision records its outcome with its effect pending
    and the refusal's code, a pending DecisionEffect waits, and `decision_effects_retry` runs
    the handler again (same context) until it applies. A handler must therefore be safe to
    run again after a refusal: it sees the world as the refusal left it.
    A withdrawn proposal calls no handler: whoever withdrew it knows.

    `checks_first`: the handler refuses only before its first write (it gathers, decides, then
    writes), so it runs without a savepoint of its own (two round trips fewer on every
    decision). Should it refuse after writing all the same, nothing is half-applied: the whole
    command is refused, the vote included, and the error is logged.
    """
    assert kind in domain.KINDS, f"unknown proposal kind {kind!r}"
    for outcome, handler in (("passed", on_passed), ("rejected", on_rejected)):
        if handler is not None:
            _HANDLERS[(kind, outcome)] = (handler, checks_first)


def register_payload_check(kind: str, check: PayloadCheck) -> None:
    """Checks the payload of a `kind` that another app acts on, at opening and at publishing.

    E.g. the ledger checks an allocate_result proposal against the books as they are, so a
    proposal that could never apply is refused before anyone votes on it.
    """
    assert kind in domain.KINDS, f"unknown proposal kind {kind!r}"
    _PAYLOAD_CHECKS[kind] = check


def register_weight_provider(provider: WeightProvider) -> None:
    """The titles app's hook: weights for `title_holders` voters and `titles` weighting."""
    _WEIGHT_PROVIDER[:] = [provider]


def _weights(commons_id: int, agent_ids: list[int]) -> dict[int, int]:
    if not _WEIGHT_PROVIDER:
        # Until titles exist every member holds one notional title.
        return dict.fromkeys(agent_ids, 1)
    provided = _WEIGHT_PROVIDER[0](commons_id, agent_ids)
    return {agent: int(provided.get(agent, 0)) for agent in agent_ids}


# --- Charter -------------------------------------------------------------------------------


def _decision_log_create(commons_id: int) -> None:
    DecisionLog.objects.get_or_create(
        commons_id=commons_id, defaults={"length": 0, "head_hash": domain.GENESIS_HASH}
    )


@write
def charter_create_default(*, commons_id: int, user) -> CharterVersion:
    """Version 1 of a new commons' charter, with the default rules, and its empty decision log."""
    version = CharterVersion.objects.create(
        commons_id=commons_id,
        number=1,
        parameters=domain.validate_parameters(domain.default_parameters()),
        created_by=user,
        created_at=clock.now(),
    )
    _decision_log_create(commons_id)
    event_record(
        type="charter.created",
        commons_id=commons_id,
        actor_user_id=user.pk,
        data={"charter_version": 1},
    )
    return version


# --- Proposals -----------------------------------------------------------------------------


def _commons_for(user, commons_id: int):
    commons = commons_selectors.commons_visible_to(user=user).filter(pk=commons_id).first()
    if commons is None:
        raise ApplicationError("not_found")
    return commons


def _member_roles(commons) -> dict[int, set[str]]:
    """Active members of the commons: agent id -> roles."""
    return {
        membership.agent_id: {role.role for role in membership.roles.all()}
        for membership in commons_selectors.active_members(commons=commons)
    }


def _acting_member(user, members: Mapping[int, set[str]], agent_id: int | None) -> int:
    """The member agent the user acts for: the one named, else their person, else their only one."""
    if agent_id is not None:
        agent = agent_selectors.agent_for_user(user=user, agent_id=agent_id)
        if agent.pk not in members:
            raise ApplicationError.on_field("agent_id", "not_a_member")
        return agent.pk
    mine = agent_selectors.agent_ids_of_user(user=user) & set(members)
    if not mine:
        raise ApplicationError("not_a_member")
    own = agent_selectors.self_agent(user=user).pk
    if own in mine:
        return own
    if len(mine) > 1:
        raise ApplicationError.on_field("agent_id", "required")
    return next(iter(mine))


def _clean_payload(
    kind: str, payload: Mapping[str, Any], commons_id: int, members: Mapping[int, set[str]]
) -> dict[str, Any]:
    """Checks the payload of the kinds governance acts on itself; others belong to their app."""
    payload = dict(payload or {})
    if kind == "amend_charter":
        changes = payload.get("changes")
        if not isinstance(changes, dict):
            raise ApplicationError.on_field("payload.changes", "required")
        current = selectors.charter_current(commons_id=commons_id).parameters
        after = domain.apply_changes(current, changes)
        # An app above may check the changes too (resources: levy lines on its resource keys).
        check = _PAYLOAD_CHECKS.get(kind)
        if check is not None:
            check(commons_id, {"changes": changes})
        # The diff as it reads today; the amendment applies to the charter in force at closing.
        return {"changes": dict(sorted(changes.items())), "diff": domain.diff(current, after)}
    if kind in ("admit_member", "grant_role"):
        agent_id = payload.get("agent_id")
        if isinstance(agent_id, bool) or not isinstance(agent_id, int):
            raise ApplicationError.on_field("payload.agent_id", "required")
        if not agent_selectors.agents_by_ids(agent_ids=[agent_id]):
            raise ApplicationError.on_field("payload.agent_id", "not_found")
        roles = commons_domain.clean_roles(payload.get("roles") or [])
        if kind == "admit_member" and agent_id in members:
            raise ApplicationError.on_field("payload.agent_id", "already_member")
        if kind == "grant_role" and agent_id not in members:
            raise ApplicationError.on_field("payload.agent_id", "not_a_member")
        return {"agent_id": agent_id, "roles": roles}
    check = _PAYLOAD_CHECKS.get(kind)
    if check is not None:
        return dict(check(commons_id, payload))
    return payload


def _electorate(
    commons_id: int, policy: domain.Policy, members: Mapping[int, set[str]], excluded: set[int]
) -> dict[int, int]:
    """Who may vote and with what weight, fixed at opening: joining later gives no vote."""
    if policy.voters == "approvers":
        candidates = [agent for agent, roles in members.items() if "approver" in roles]
    else:
        candidates = list(members)
    candidates = sorted(agent for agent in candidates if agent not in excluded)
    if policy.voters == "title_holders" or policy.weighting == "titles":
        weights = _weights(commons_id, candidates)
    else:
        weights = dict.fromkeys(candidates, 1)
    if policy.voters == "title_holders" or policy.weighting == "titles":
        weights = {agent: weight for agent, weight in weights.items() if weight > 0}
    return weights


def _electorate_now(
    commons_id: int, kind: str, members: Mapping[int, set[str]], excluded: set[int]
) -> tuple[CharterVersion, dict[str, Any], dict[int, int]]:
    """The charter in force, the policy snapshot a vote of `kind` would open under now (the
    usual rule or the young commons', domain.policy_snapshot) and its electorate."""
    charter = selectors.charter_current(commons_id=commons_id)
    snapshot = domain.policy_snapshot(charter.parameters, kind, len(members))
    if domain.author_votes(snapshot):
        # The young commons' rule: every member votes, the author included.
        excluded = set()
    weights = _electorate(commons_id, domain.Policy.from_dict(snapshot), members, excluded)
    return charter, snapshot, weights


def _start_vote(proposal: Proposal, members: Mapping[int, set[str]]) -> None:
    now = clock.now()
    charter, snapshot, weights = _electorate_now(
        proposal.commons_id, proposal.kind, members, set(proposal.excluded_agent_ids or [])
    )
    if not weights and proposal.kind in domain.MEMBER_KINDS:
        # Nobody could vote: refused, rather than opened only to expire. Other apps' kinds
        # (a contribution in a commons without approvers…) keep opening: their screens say so.
        raise ApplicationError("no_electorate")
    policy = domain.Policy.from_dict(snapshot)
    proposal.status = "open"
    proposal.charter_version = charter
    proposal.policy = snapshot
    proposal.opened_at = now
    proposal.closes_at = now + dt.timedelta(hours=policy.duration_hours)
    proposal.save()
    ProposalVoter.objects.bulk_create(
        ProposalVoter(proposal=proposal, agent_id=agent, weight=weight)
        for agent, weight in weights.items()
    )
    event_record(
        type="proposal.opened",
        commons_id=proposal.commons_id,
        actor_user_id=proposal.author_id,
        data={
            "proposal_id": proposal.pk,
            "kind": proposal.kind,
            "closes_at": proposal.closes_at.isoformat(),
        },
    )
    voter_users = _users_of_agents(weights)
    member_users = _users_of_agents(members) - {proposal.author_id}
    _notify(proposal, "vote_needed", voter_users - {proposal.author_id})
    _notify(proposal, "proposal_opened", member_users - voter_users)
    # No early closing at opening, even with an empty electorate: callers of proposal_open
    # never see their outcome handler run before it returns. The deadline closes it: the
    # worker's job, queued in this transaction, so a vote rolled back leaves no job behind.
    tasks.proposal_close_enqueue(proposal)


@write
def proposal_open(
    *,
    user,
    commons_id: int,
    kind: str,
    title: str,
    body: str = "",
    subject_type: str = "",
    subject_id: int | None = None,
    payload: Mapping[str, Any] | None = None,
    agent_id: int | None = None,
    author_agent_ids: Iterable[int] = (),
    draft: bool = False,
) -> Proposal:
    """Opens a vote (or saves a draft) under the charter in force.

    Other apps call this with their kind and subject, e.g. kind="validate_contribution",
    subject_type="contribution", subject_id=42, author_agent_ids=co-authors, and register an
    outcome handler for the kind. The author's agents and `author_agent_ids` never vote.
    """
    if kind not in domain.KINDS:
        raise ApplicationError.on_field("kind", "invalid_kind")
    title = (title or "").strip()
    if not title:
        raise ApplicationError.on_field("title", "required")
    commons = _commons_for(user, commons_id)
    members = _member_roles(commons)
    acting = _acting_member(user, members, agent_id)
    clean = _clean_payload(kind, payload or {}, commons.pk, members)
    excluded = agent_selectors.agent_ids_of_user(user=user) | set(author_agent_ids) | {acting}
    now = clock.now()
    proposal = Proposal.objects.create(
        commons_id=commons.pk,
        kind=kind,
        title=title[:200],
        body=body or "",
        subject_type=subject_type or "",
        subject_id=subject_id,
        payload=clean,
        status="draft",
        author=user,
        author_agent_id=acting,
        excluded_agent_ids=sorted(excluded),
        created_at=now,
    )
    if draft:
        event_record(
            type="proposal.drafted",
            commons_id=commons.pk,
            actor_user_id=user.pk,
            data={"proposal_id": proposal.pk, "kind": kind},
        )
    else:
        _start_vote(proposal, members)
    return proposal


def electorate_preview(
    *, user, commons_id: int, kind: str, agent_id: int | None = None
) -> dict[str, Any]:
    """A read, for the proposal form: who would vote on a proposal of `kind` the user opened
    now, and under which rule (what `_start_vote` would fix; nothing is written)."""
    if kind not in domain.MEMBER_KINDS:
        raise ApplicationError.on_field("kind", "invalid_kind")
    commons = _commons_for(user, commons_id)
    members = _member_roles(commons)
    acting = _acting_member(user, members, agent_id)
    excluded = agent_selectors.agent_ids_of_user(user=user) | {acting}
    charter, snapshot, weights = _electorate_now(commons.pk, kind, members, excluded)
    agents = agent_selectors.agents_by_ids(agent_ids=list(weights))
    return {
        "kind": kind,
        "rule": snapshot.get("electorate_rule", domain.STANDARD_RULE),
        "author_votes": domain.author_votes(snapshot),
        "members": len(members),
        "young_commons_members": domain.young_commons_threshold(charter.parameters),
        "policy": domain.Policy.from_dict(snapshot).as_dict(),
        "count": len(weights),
        "voters": [
            {
                "id": agent,
                "display_name": agents[agent].display_name,
                "kind": agents[agent].kind,
                "weight": weight,
            }
            for agent, weight in sorted(
                weights.items(), key=lambda item: agents[item[0]].display_name.lower()
            )
        ],
    }


def _lock_proposal(proposal_id: int) -> Proposal:
    proposal = Proposal.objects.select_for_update().filter(pk=proposal_id).first()
    if proposal is None:
        raise ApplicationError("not_found")
    return proposal


def _visible_proposal_for_update(user, proposal_id: int) -> Proposal:
    proposal = _lock_proposal(proposal_id)
    _commons_for(user, proposal.commons_id)
    return proposal


@write
def proposal_publish(*, user, proposal_id: int) -> Proposal:
    """Opens the vote on a draft, under the charter in force now; only its author may."""
    proposal = _visible_proposal_for_update(user, proposal_id)
    if proposal.author_id != user.pk:
        raise ApplicationError("permission_denied")
    if proposal.status != "draft":
        raise ApplicationError("proposal_not_draft")
    commons = _commons_for(user, proposal.commons_id)
    members = _member_roles(commons)
    if proposal.author_agent_id not in members:
        raise ApplicationError("not_a_member")
    # The charter may have changed since the draft: check the amendment again.
    proposal.payload = _clean_payload(proposal.kind, proposal.payload, commons.pk, members)
    _start_vote(proposal, members)
    return proposal


@write
def proposal_withdraw(*, user, proposal_id: int, checked_by_caller: bool = False) -> Proposal:
    """The author takes back a draft or a running vote; ballots stay, no decision is logged.

    Another app that has itself decided the user may withdraw (e.g. a steward withdrawing a
    contribution) passes `checked_by_caller=True`.
    """
    proposal = _visible_proposal_for_update(user, proposal_id)
    if proposal.author_id != user.pk and not checked_by_caller:
        raise ApplicationError("permission_denied")
    _close_if_due(proposal, actor_user_id=user.pk)
    if proposal.status not in ("draft", "open"):
        raise ApplicationError("proposal_not_open")
    proposal.status = "withdrawn"
    proposal.closed_at = clock.now()
    proposal.save(update_fields=["status", "closed_at"])
    event_record(
        type="proposal.withdrawn",
        commons_id=proposal.commons_id,
        actor_user_id=user.pk,
        data={"proposal_id": proposal.pk},
    )
    return proposal


# --- Ballots -------------------------------------------------------------------------------


def _voting_agent(
    user, proposal: Proposal, agent_id: int | None, mine: Mapping[int, Any], voters: Mapping
) -> int:
    """The electorate member the user votes for; refuses authors and outsiders.

    `mine`: the voters the user represents (`selectors.electorate_for_cast`); `voters`: the
    electorate. Only a refusal, or a choice among several, reads more."""
    # The author votes only under the young commons' rule, recorded in the policy snapshot.
    if proposal.author_id == user.pk and not domain.author_votes(proposal.policy):
        raise ApplicationError("own_item")
    if agent_id is not None:
        if agent_id in mine:
            return agent_id
        # Refused on the field the user chose it in ("au nom de").
        try:
            agent = agent_selectors.agent_for_user(user=user, agent_id=agent_id).pk
        except ApplicationError as error:
            raise ApplicationError.on_field("agent_id", error.code) from error
        if agent in set(proposal.excluded_agent_ids or []):
            raise ApplicationError.on_field("agent_id", "own_item")
        raise ApplicationError.on_field("agent_id", "not_eligible")
    if len(mine) == 1:
        return next(iter(mine))
    if not mine:
        excluded = set(proposal.excluded_agent_ids or [])
        owned = agent_selectors.agent_ids_of_user(user=user)
        raise ApplicationError("own_item" if owned & excluded else "not_eligible")
    own = agent_selectors.self_agent(user=user).pk
    if own in mine:
        return own
    raise ApplicationError.on_field("agent_id", "required")


@write
def ballot_cast(
    *, user, proposal_id: int, choice: str, comment: str = "", agent_id: int | None = None
) -> Ballot:
    """Records a ballot; the voter's last ballot counts while the vote is open.

    The server clock at receipt decides: at or after the deadline the ballot is refused
    (`vote_closed`) and the proposal closes. The proposal row is locked, so a ballot and the
    closing never interleave.

    The returned ballot carries what its answer shows, read under the lock: its agent, and its
    proposal with its commons, author and, while the vote runs, the tally (`tally_now`).
    """
    # The lock, with what a closing and the answer read of the proposal: each row once.
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("commons", "charter_version", "author", "author_agent")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise ApplicationError("not_found")
    # The electorate (fixed at opening) with the user's place in it, in one statement.
    rows = selectors.electorate_for_cast(proposal, user)
    voters = {row.agent_id: row.weight for row in rows}
    ballots = {row.agent_id: row.choice for row in rows if row.choice is not None}
    mine = {row.agent_id: row for row in rows if row.mine}
    if proposal.commons.visibility != "public" and not any(row.member for row in mine.values()):
        _commons_for(user, proposal.commons_id)  # not_found unless the user may see it
    if choice not in domain.CHOICES:
        raise ApplicationError.on_field("choice", "invalid_value")
    _close_if_due(proposal, actor_user_id=user.pk, ballots=ballots, voters=voters)
    if proposal.status == "draft":
        raise ApplicationError("proposal_not_open")
    if proposal.status != "open":
        raise ApplicationError("vote_closed")
    agent = _voting_agent(user, proposal, agent_id, mine, voters)
    # Someone who left the commons since the vote opened no longer votes in it.
    if not mine[agent].member:
        raise ApplicationError("not_eligible")
    if agent in ballots:
        Ballot.objects.filter(proposal=proposal, agent_id=agent, is_effective=True).update(
            is_effective=False
        )
    ballot = Ballot.objects.create(
        proposal=proposal,
        agent=mine[agent].agent,
        user=user,
        choice=choice,
        comment=(comment or "")[:4000],
        cast_at=clock.now(),
        is_effective=True,
    )
    ballots[agent] = choice
    event_record(
        type="ballot.cast",
        commons_id=proposal.commons_id,
        actor_user_id=user.pk,
        data={"proposal_id": proposal.pk, "ballot_id": ballot.pk, "agent_id": agent},
    )
    outcome = _tally_and_close(proposal, actor_user_id=user.pk, ballots=ballots, voters=voters)
    if not outcome.final:
        proposal.tally_now = outcome
    return ballot


# --- Closing -------------------------------------------------------------------------------


def _close_if_due(
    proposal: Proposal,
    *,
    actor_user_id: int | None,
    ballots: dict[int, str] | None = None,
    voters: dict[int, int] | None = None,
) -> bool:
    """Closes a locked proposal whose deadline has passed; True if it closed."""
    if proposal.status != "open" or clock.now() < proposal.closes_at:
        return False
    return _tally_and_close(
        proposal, actor_user_id=actor_user_id, ballots=ballots, voters=voters
    ).final


def _tally_and_close(
    proposal: Proposal,
    *,
    actor_user_id: int | None,
    ballots: dict[int, str] | None = None,
    voters: dict[int, int] | None = None,
) -> domain.Outcome:
    """The tally now, the proposal closed if it is final. `ballots`, `voters`: the effective
    ballots and the electorate when the caller read them under the lock (the electorate never
    changes), else read here."""
    if ballots is None:
        ballots = selectors.effective_ballots(proposal)
    if voters is None:
        voters = selectors.electorate(proposal)
    outcome = selectors.proposal_tally(proposal, ballots=ballots, voters=voters)
    if outcome.final:
        _close(proposal, outcome, actor_user_id, ballots=ballots, voters=voters)
    return outcome


def _close(
    proposal: Proposal,
    outcome: domain.Outcome,
    actor_user_id: int | None,
    *,
    ballots: dict[int, str] | None = None,
    voters: dict[int, int] | None = None,
) -> None:
    """`ballots`, `voters`: those the closing tally counted, read under the proposal's lock."""
    now = clock.now()
    # Locking the log head serialises decisions per commons: one chain, no fork. With it, the
    # charter in force, which the decision's effect applies, and the decision's id.
    logs = selectors.decision_log_for_closing(commons_id=proposal.commons_id).select_for_update(
        of=("self",)
    )
    log = logs.first()
    if log is None:
        _decision_log_create(proposal.commons_id)
        log = logs.get()
    proposal.status = outcome.status
    proposal.closed_at = now
    proposal.outcome = outcome.as_dict()
    proposal.save(update_fields=["status", "closed_at", "outcome"])
    content = selectors.decision_content(
        proposal, log.length + 1, now, ballots=ballots, voters=voters
    )
    charter = (log.charter_id, log.charter_parameters) if log.charter_id is not None else None
    # The effect runs first, under the decision's id: the decision is then written once, with
    # what the effect authorised inside its hashed content (the rows that point to it are
    # checked against it at commit).
    authorised, refusal = _run_handler(
        _context(proposal, outcome.status, log.decision_id, outcome, charter)
    )
    if refusal is None:
        content["authorised"] = authorised
    else:
        # Not an ordinary decision with an error inside: its hashed content says the effect
        # waits, and why. What happens later goes in its DecisionEffect row, never here.
        content["effect"] = {"status": EFFECT_PENDING, "reason": refusal}
    decision = Decision.objects.create(
        pk=log.decision_id,
        commons_id=proposal.commons_id,
        sequence=log.length + 1,
        proposal=proposal,
        outcome=outcome.status,
        charter_version_id=proposal.charter_version_id,
        decided_at=now,
        content=content,
        previous_hash=log.head_hash,
        hash=domain.decision_hash(log.head_hash, content),
    )
    log.length = decision.sequence
    log.head_hash = decision.hash
    log.save(update_fields=["length", "head_hash"])
    event_record(
        type="proposal.closed",
        commons_id=proposal.commons_id,
        actor_user_id=actor_user_id,
        data={
            "proposal_id": proposal.pk,
            "status": outcome.status,
            "decision_id": decision.pk,
            "sequence": decision.sequence,
            "early": outcome.early,
        },
    )
    commons = proposal.commons
    data: dict[str, Any] = {"status": outcome.status}
    if refusal is not None:
        data["effect"] = {"status": EFFECT_PENDING, "reason": refusal}
        members = _member_roles(commons)
        _effect_pending_record(proposal, decision, refusal, actor_user_id, members)
    # The members as they are after the effect (an admission counts the newcomer).
    member_agents = commons_selectors.active_members(commons=commons).values("agent_id")
    _notify_agents(proposal, "decision_reached", member_agents, data)


def _context(
    proposal: Proposal,
    status: str,
    decision_id: int,
    tally: domain.Outcome,
    charter_in_force: tuple[int, dict[str, Any]] | None = None,
) -> OutcomeContext:
    return OutcomeContext(
        proposal=proposal,
        status=status,
        decision_id=decision_id,
        charter_version_id=proposal.charter_version_id,
        tally=tally,
        charter_in_force=charter_in_force,
    )


def _run_handler(context: OutcomeContext) -> tuple[dict[str, Any], str | None]:
    """What the handler authorised, or the code of its refusal (its writes undone)."""
    key = (context.proposal.kind, "passed" if context.status == "passed" else "rejected")
    if key not in _HANDLERS:
        return {}, None
    handler, checks_first = _HANDLERS[key]
    try:
        if checks_first:
            with _refusal_before_writes(context):
                return dict(handler(context) or {}), None
        # A savepoint: a refusal undoes the handler's writes and events, nothing else.
        with events.savepoint():
            return dict(handler(context) or {}), None
    except ApplicationError as error:
        logger.warning("decision %s: handler refused: %s", context.decision_id, error.code)
        return {}, error.code


_WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def _refusal_before_writes(context: OutcomeContext) -> Iterator[None]:
    """Runs a `checks_first` handler with no savepoint; a refusal it raises after one of its
    writes would leave that write in place, so it is turned into the failure of the whole
    command (`_HalfApplied` propagates past `_run_handler`: `command_failed`, all undone)."""
    wrote = False

    def watch(execute, sql, params, many, context_):
        nonlocal wrote
        wrote = wrote or sql.lstrip().upper().startswith(_WRITES)
        return execute(sql, params, many, context_)

    pending = events.pending_count()
    try:
        with transaction.get_connection().execute_wrapper(watch):
            yield
    except ApplicationError as error:
        if wrote:
            logger.error(
                "decision %s: a checks-first handler refused after writing: %s",
                context.decision_id,
                error.code,
            )
            raise _HalfApplied(error) from error
        events.pending_truncate(pending)  # its events, had it recorded any, go with it
        raise


class _HalfApplied(Exception):
    """A checks-first handler refused after writing: the whole command is undone."""

    def __init__(self, refusal: ApplicationError) -> None:
        super().__init__(refusal.code)
        self.refusal = refusal


# --- Effects that wait ---------------------------------------------------------------------


def _stewards(members: Mapping[int, set[str]]) -> set[int]:
    return _users_of_agents(
        agent for agent, roles in members.items() if commons_domain.STEWARD in roles
    )


def _effect_data(decision: Decision, reason: str) -> dict[str, Any]:
    return {"decision_id": decision.pk, "sequence": decision.sequence, "reason": reason}


def _effect_notify(proposal: Proposal, decision: Decision, reason: str, members) -> None:
    """Stewards are told, with the reason in both languages (the notice outlives the catalogue)."""
    data = {**_effect_data(decision, reason), "reason_messages": messages_for(reason)}
    _notify(proposal, "effect_pending", _stewards(members), data)


def _effect_pending_record(
    proposal: Proposal,
    decision: Decision,
    reason: str,
    actor_user_id: int | None,
    members: Mapping[int, set[str]],
) -> DecisionEffect:
    now = clock.now()
    effect = DecisionEffect.objects.create(
        decision=decision,
        commons_id=proposal.commons_id,
        proposal_kind=proposal.kind,
        status=EFFECT_PENDING,
        reason=reason,
        attempts=1,
        created_at=now,
        last_attempt_at=now,
    )
    event_record(
        type="decision.effect_pending",
        commons_id=proposal.commons_id,
        actor_user_id=actor_user_id,
        data=_effect_data(decision, reason),
    )
    _effect_notify(proposal, decision, reason, members)
    return effect


@write
def decision_effect_apply(*, effect_id: int, actor_user_id: int | None = None) -> DecisionEffect:
    """Runs a pending effect's handler again; applied, or still pending with the new reason.

    The effect row is locked first, so two retries racing apply it once: the second finds it
    applied and is refused `effect_not_pending`. The handler gets the context it had at
    closing (same decision id, so its idempotency keys and back-pointers are the same) and
    acts under the rules and the books as they are now.
    """
    effect = DecisionEffect.objects.select_for_update().filter(pk=effect_id).first()
    if effect is None:
        raise ApplicationError("not_found")
    if effect.status != EFFECT_PENDING:
        raise ApplicationError("effect_not_pending")
    decision = Decision.objects.select_related("proposal", "proposal__commons").get(
        pk=effect.decision_id
    )
    proposal = decision.proposal
    tally = domain.Outcome(**proposal.outcome)
    result, refusal = _run_handler(_context(proposal, decision.outcome, decision.pk, tally))
    now = clock.now()
    effect.attempts += 1
    effect.last_attempt_at = now
    if refusal is None:
        effect.status = EFFECT_APPLIED
        effect.applied_at = now
        effect.result = result
        effect.save(update_fields=["status", "attempts", "last_attempt_at", "applied_at", "result"])
        event_record(
            type="decision.effect_applied",
            commons_id=effect.commons_id,
            actor_user_id=actor_user_id,
            data={**_effect_data(decision, effect.reason), "attempts": effect.attempts},
        )
        return effect
    reason_changed = refusal != effect.reason
    effect.reason = refusal
    effect.save(update_fields=["reason", "attempts", "last_attempt_at"])
    if reason_changed:
        # Stewards hear of a new obstacle, not of every run of the job on the same one.
        _effect_notify(proposal, decision, refusal, _member_roles(proposal.commons))
    return effect


def decision_effects_retry(
    *,
    commons_id: int | None = None,
    decision_id: int | None = None,
    actor_user_id: int | None = None,
) -> int:
    """Re-runs every pending effect, each in its own transaction; how many applied now.

    The worker's sweep and `federage close-proposals` call it, so an effect applies by itself once
    its cause is gone: the missing account created, the period it needs opened, the charter
    restored. An effect a concurrent retry applied first is skipped, never applied twice.
    """
    pending = DecisionEffect.objects.filter(status=EFFECT_PENDING)
    if commons_id is not None:
        pending = pending.filter(commons_id=commons_id)
    if decision_id is not None:
        pending = pending.filter(decision_id=decision_id)
    applied = 0
    for effect_id in list(pending.order_by("created_at", "id").values_list("pk", flat=True)):
        try:
            effect = decision_effect_apply(effect_id=effect_id, actor_user_id=actor_user_id)
        except ApplicationError as error:
            if error.code != "effect_not_pending":
                raise
            continue
        applied += effect.status == EFFECT_APPLIED
    return applied


@write
def decision_effect_retry(*, user, decision_id: int) -> DecisionEffect:
    """A steward's "Réessayer": runs the decision's pending effect now."""
    decision = Decision.objects.filter(pk=decision_id).first()
    if decision is None:
        raise ApplicationError("not_found")
    commons = _commons_for(user, decision.commons_id)
    commons_selectors.require_role(user=user, commons=commons, any_of=(commons_domain.STEWARD,))
    effect_id = (
        DecisionEffect.objects.filter(decision_id=decision_id).values_list("pk", flat=True).first()
    )
    if effect_id is None:
        raise ApplicationError("effect_not_pending")
    return decision_effect_apply(effect_id=effect_id, actor_user_id=user.pk)


@write
def proposal_refresh(*, proposal_id: int, actor_user_id: int | None = None) -> bool:
    """Closes one proposal if its deadline has passed; True if it closed now."""
    proposal = _lock_proposal(proposal_id)
    return _close_if_due(proposal, actor_user_id=actor_user_id)


def proposals_close_due(
    *,
    commons_id: int | None = None,
    proposal_id: int | None = None,
    actor_user_id: int | None = None,
) -> int:
    """Closes every open proposal past its deadline, each in its own transaction; how many closed.

    `federage close-proposals` calls it, and the worker's sweep does the same (`governance/tasks.py`),
    never a read, so no deadline is lost when the server was down: only ballots received before the deadline
    exist, so the result is the deadline's, whenever this runs.
    """
    due = Proposal.objects.filter(status="open", closes_at__lte=clock.now())
    if commons_id is not None:
        due = due.filter(commons_id=commons_id)
    if proposal_id is not None:
        due = due.filter(pk=proposal_id)
    closed = 0
    for proposal_id in list(due.order_by("closes_at", "id").values_list("pk", flat=True)):
        closed += proposal_refresh(proposal_id=proposal_id, actor_user_id=actor_user_id)
    return closed


# --- Outcome handlers of governance's own kinds -------------------------------------------


def _amend_charter(context: OutcomeContext) -> dict[str, Any]:
    proposal = context.proposal
    current = selectors.charter_current(commons_id=proposal.commons_id)
    after = domain.apply_changes(current.parameters, proposal.payload["changes"])
    version = CharterVersion.objects.create(
        commons_id=proposal.commons_id,
        number=current.number + 1,
        parameters=after,
        created_by_id=proposal.author_id,
        created_at=clock.now(),
        decision_id=context.decision_id,
    )
    # The SEP contract follows the charter (federage/reactions.py).
    reactions.react("charter.amended", commons_id=proposal.commons_id, user=None)
    event_record(
        type="charter.amended",
        commons_id=proposal.commons_id,
        actor_user_id=proposal.author_id,
        data={"charter_version": version.number, "decision_id": context.decision_id},
    )
    return {"charter_version": version.number, "changes": domain.diff(current.parameters, after)}


def _admit_member(context: OutcomeContext) -> dict[str, Any]:
    payload = context.proposal.payload
    membership = commons_services.membership_admit(
        commons_id=context.proposal.commons_id,
        agent_id=payload["agent_id"],
        roles=payload["roles"],
        actor_user_id=context.proposal.author_id,
    )
    return {"membership_id": membership.pk, "agent_id": payload["agent_id"]}


def _grant_role(context: OutcomeContext) -> dict[str, Any]:
    payload = context.proposal.payload
    membership = commons_services.membership_grant_roles(
        commons_id=context.proposal.commons_id,
        agent_id=payload["agent_id"],
        roles=payload["roles"],
        actor_user_id=context.proposal.author_id,
    )
    return {"membership_id": membership.pk, "roles": payload["roles"]}


register_outcome_handler("amend_charter", on_passed=_amend_charter)
register_outcome_handler("admit_member", on_passed=_admit_member)
register_outcome_handler("grant_role", on_passed=_grant_role)


# --- Comments ------------------------------------------------------------------------------

COMMENT_MAX = 10_000
THREAD_DEPTH_MAX = 16


@write
def comment_add(
    *,
    user,
    commons_id: int,
    subject_type: str,
    subject_id: int,
    body: str,
    parent_id: int | None = None,
) -> Comment:
    """A member comments on a subject of the commons, maybe in reply to another comment.

    Generic: the caller (this app for proposals, the contributions app for contributions)
    checks that the subject exists and belongs to the commons.
    """
    commons = _commons_for(user, commons_id)
    commons_selectors.require_member(user=user, commons=commons)
    body = (body or "").strip()
    if not body:
        raise ApplicationError.on_field("body", "required")
    if len(body) > COMMENT_MAX:
        raise ApplicationError.on_field("body", "too_long")
    if parent_id is not None:
        parent = Comment.objects.filter(
            pk=parent_id, subject_type=subject_type, subject_id=subject_id
        ).first()
        if parent is None or selectors.comment_depth(parent) >= THREAD_DEPTH_MAX:
            raise ApplicationError.on_field("parent_id", "invalid_value")
    comment = Comment.objects.create(
        commons_id=commons_id,
        subject_type=subject_type,
        subject_id=subject_id,
        parent_id=parent_id,
        author=user,
        body=body,
        created_at=clock.now(),
    )
    event_record(
        type="comment.added",
        commons_id=commons_id,
        actor_user_id=user.pk,
        data={"comment_id": comment.pk, "subject_type": subject_type, "subject_id": subject_id},
    )
    return comment


@write
def proposal_comment_add(
    *, user, proposal_id: int, body: str, parent_id: int | None = None
) -> Comment:
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        raise ApplicationError("not_found")
    comment = comment_add(
        user=user,
        commons_id=proposal.commons_id,
        subject_type="proposal",
        subject_id=proposal.pk,
        body=body,
        parent_id=parent_id,
    )
    if proposal.author_id != user.pk:
        _notify(proposal, "comment_added", {proposal.author_id}, {"comment_id": comment.pk})
    return comment


# --- Notifications -------------------------------------------------------------------------


def _users_of_agents(agent_ids: Iterable[int] | QuerySet) -> set[int]:
    """Active users representing the agents (ids, or a queryset of `agent_id`s: a subquery)."""
    agents = agent_ids if isinstance(agent_ids, QuerySet) else list(agent_ids)
    return set(
        get_user_model()
        .objects.filter(representations__agent_id__in=agents, is_active=True)
        .values_list("pk", flat=True)
    )


def _notify_agents(proposal: Proposal, kind: str, agents: QuerySet, data: dict[str, Any]) -> None:
    """`_notify` for the users representing `agents` (a queryset of `agent_id`s), in one
    INSERT … SELECT; whom to mail is read once the transaction has committed."""
    users = (
        get_user_model()
        .objects.filter(representations__agent_id__in=agents, is_active=True)
        .values(recipient_id=F("pk"))
        .distinct()
    )
    select, select_params = users.query.sql_with_params()
    data = {"title": proposal.title, "proposal_kind": proposal.kind, **data}
    values = {
        "commons": proposal.commons_id,
        "kind": kind,
        "proposal": proposal.pk,
        "data": data,
        "created_at": clock.now(),
    }
    fields = [Notification._meta.get_field(name) for name in values]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # On PostgreSQL INSERT … SELECT types its values from the SELECT: each is cast.
    cast = connection.vendor == "postgresql"
    placeholders = ", ".join(
        f"CAST(%s AS {field.db_type(connection)})" if cast else "%s" for field in fields
    )
    params = [field.get_db_prep_save(values[field.name], connection) for field in fields]
    # The table and column names come from the models; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(Notification._meta.db_table)} ({quote('user_id')}, {columns}) "  # noqa: S608
        f"SELECT recipient.recipient_id, {placeholders} FROM ({select}) recipient "
        "ORDER BY recipient.recipient_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *select_params])
        if not cursor.rowcount:
            return
    transaction.on_commit(lambda: _mail(proposal, kind, data, users))


def _mail(proposal: Proposal, kind: str, data: dict[str, Any], users: QuerySet) -> None:
    """Mails those of `users` who opted in (after commit: a rolled-back decision sends nothing)."""
    wanted = NotificationPreference.objects.filter(
        user_id__in=users.values("recipient_id"), email_enabled=True
    )
    recipients = list(
        get_user_model()
        .objects.filter(pk__in=wanted.values("user_id"))
        .order_by("pk")
        .values_list("email", "language")
    )
    _send(proposal, kind, data, recipients)


_EMAIL_SUBJECTS = {
    "proposal_opened": ("Nouvelle proposition", "New proposal"),
    "vote_needed": ("Votre vote est attendu", "Your vote is needed"),
    "decision_reached": ("Décision prise", "Decision reached"),
    "comment_added": ("Nouveau commentaire", "New comment"),
    "effect_pending": (
        "Décision prise, exécution en attente",
        "Decision reached, effect pending",
    ),
}


def _notify(
    proposal: Proposal,
    kind: str,
    user_ids: set[int],
    data: dict[str, Any] | None = None,
) -> None:
    """In-app notifications to `user_ids`, and mail to those who opted in."""
    if not user_ids:
        return
    now = clock.now()
    data = {"title": proposal.title, "proposal_kind": proposal.kind, **(data or {})}
    Notification.objects.bulk_create(
        Notification(
            user_id=user_id,
            commons_id=proposal.commons_id,
            kind=kind,
            proposal=proposal,
            data=data,
            created_at=now,
        )
        for user_id in sorted(user_ids)
    )
    wanted = NotificationPreference.objects.filter(user_id__in=user_ids, email_enabled=True)
    recipients = list(
        get_user_model()
        .objects.filter(pk__in=wanted.values("user_id"))
        .values_list("email", "language")
    )
    # After commit: a rolled-back decision sends nothing.
    transaction.on_commit(lambda: _send(proposal, kind, data, recipients))


def _send(
    proposal: Proposal, kind: str, data: dict[str, Any], recipients: list[tuple[str, str]]
) -> None:
    if not recipients:
        return
    link = f"{settings.SITE_URL}/proposals/{proposal.pk}"
    messages = []
    reason = messages_for(data["reason"]) if data.get("reason") in CATALOGUE else None
    for email, language in recipients:
        french, english = _EMAIL_SUBJECTS[kind]
        subject = english if language == "en" else french
        body = f"{proposal.title}\n{link}\n"
        if reason is not None:
            body = f"{proposal.title}\n{reason['en' if language == 'en' else 'fr']}\n{link}\n"
        messages.append((f"{subject} : {proposal.title}", body, None, [email]))
    send_mass_mail(messages, fail_silently=True)


@write
def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Marks the given notifications of the user (all if `ids` is None) read; how many."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=clock.now())


@write
def notification_preference_set(*, user, email_enabled: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled, "updated_at": clock.now()}
    )
    return preference


# --- Notifications for the apps above (counter-offers, transfers) ----------------------------

# Subjects of the e-mails these notifications send, (French, English).
_OTHER_SUBJECTS = {
    "counter_offered": (
        "Contre-proposition sur votre apport",
        "Counter-offer on your contribution",
    ),
    "transfer_proposed": ("Cession de titres proposée", "Transfer of titles proposed"),
    "transfer_accepted": ("Cession de titres acceptée", "Transfer of titles accepted"),
    "transfer_refused": ("Cession de titres refusée", "Transfer of titles refused"),
    "transfer_cancelled": ("Cession de titres annulée", "Transfer of titles cancelled"),
}


def notify_agents(
    *,
    commons_id: int,
    kind: str,
    agent_ids: Iterable[int],
    title: str,
    path: str,
    data: Mapping[str, Any] | None = None,
    except_user_id: int | None = None,
) -> None:
    """Notifies the users who act for `agent_ids` (but `except_user_id`, the one acting): a
    notification row each, and an e-mail, after commit, to those who opted in. `path` is the
    page the notification leads to."""
    users = (
        get_user_model()
        .objects.filter(representations__agent_id__in=list(agent_ids), is_active=True)
        .exclude(pk=except_user_id)
        .values_list("pk", "email", "language", "notification_preference__email_enabled")
        .distinct()
    )
    rows = sorted(set(users))
    if not rows:
        return
    now = clock.now()
    content = {"title": title, "path": path, **(data or {})}
    Notification.objects.bulk_create(
        Notification(user_id=pk, commons_id=commons_id, kind=kind, data=content, created_at=now)
        for pk, *_ in rows
    )
    recipients = [(email, language) for _, email, language, wanted in rows if wanted]
    if recipients:
        transaction.on_commit(lambda: _send_other(kind, title, path, recipients))


def _send_other(kind: str, title: str, path: str, recipients: list[tuple[str, str]]) -> None:
    french, english = _OTHER_SUBJECTS[kind]
    link = f"{settings.SITE_URL}{path}"
    send_mass_mail(
        [
            (
                f"{english if language == 'en' else french} : {title}",
                f"{title}\n{link}\n",
                None,
                [email],
            )
            for email, language in recipients
        ],
        fail_silently=True,
    )


def notifications_redact(*, name: str, pseudonym: str) -> int:
    """Erasure: the notification titles that were written with a person's name (a transfer's
    "seller → buyer") read the pseudonym instead; how many were rewritten."""
    if not name:
        return 0
    from django.db.models.fields.json import KT

    rewritten = 0
    titled = Notification.objects.annotate(title_text=KT("data__title"))
    for notification in titled.filter(title_text__contains=name):
        data = dict(notification.data)
        data["title"] = str(data.get("title", "")).replace(name, pseudonym)
        Notification.objects.filter(pk=notification.pk).update(data=data)
        rewritten += 1
    return rewritten
