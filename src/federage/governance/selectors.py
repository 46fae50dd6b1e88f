"""Reads of governance: charters, proposals with their live tally, ballots, the decision log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    ExpressionWrapper,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core import clock
from federage.core.errors import CATALOGUE, ApplicationError, messages_for
from federage.core.sequences import next_id_sql
from federage.governance import domain
from federage.governance.models import (
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

# --- Charter -------------------------------------------------------------------------------


def charter_current(*, commons_id: int) -> CharterVersion:
    version = CharterVersion.objects.filter(commons_id=commons_id).order_by("-number").first()
    if version is None:
        raise ApplicationError("not_found")
    return version


def decision_log_for_closing(*, commons_id: int) -> QuerySet[DecisionLog]:
    """The commons' decision log, with what a closing needs in the same statement: the charter
    in force (`charter_id`, `charter_parameters`) and the id of the decision about to be
    written (`decision_id`, taken now so that its effect can point to it before it exists)."""
    current = CharterVersion.objects.filter(commons_id=OuterRef("commons_id")).order_by("-number")
    return DecisionLog.objects.filter(commons_id=commons_id).annotate(
        charter_id=Subquery(current.values("pk")[:1]),
        charter_parameters=Subquery(current.values("parameters")[:1], output_field=JSONField()),
        # Names from the model, no value: nothing to inject.
        decision_id=RawSQL(next_id_sql(Decision), (), output_field=BigIntegerField()),  # noqa: S611
    )


def charter_parameters(*, commons_id: int) -> dict[str, Any]:
    """The rules in force, for other apps: e.g. domain.transfer_tax(parameters, price)."""
    return dict(charter_current(commons_id=commons_id).parameters)


def charter_versions(*, commons_id: int) -> list[CharterVersion]:
    return list(
        CharterVersion.objects.filter(commons_id=commons_id)
        .select_related("created_by", "decision")
        .order_by("number")
    )


class PersonNames:
    """The one rule for an agent's name leaving the server, for one commons and one reader.

    Every route, export and open-data file that shows an agent's name asks this. Members of the
    commons (any role) see every name; anybody else (an anonymous visitor, a signed-up stranger,
    open data with `reader=None`) sees organisations and commons by name, and a natural person
    only if they consented AND the charter's `public_data.persons` allows it
    (domain.name_is_public). What a presenter shows instead of a hidden name (an empty string in
    the member API, a pseudonym in open data) is its own business; whether to show it is not.
    """

    def __init__(self, *, commons, reader=None, member: bool | None = None) -> None:
        """`member`: whether the reader is an active member, when the caller knows already."""
        self.commons_id = commons.pk
        if member is None:
            member = reader is not None and bool(
                commons_selectors.roles_of_user(user=reader, commons=commons)
            )
        self.member = member
        self._persons_policy: str | None = None

    @property
    def persons_policy(self) -> str:
        if self._persons_policy is None:
            try:
                parameters = charter_parameters(commons_id=self.commons_id)
            except ApplicationError:
                parameters = {}
            # A missing or unknown policy names nobody: the stricter reading.
            self._persons_policy = str(parameters.get("public_data.persons", "hidden"))
        return self._persons_policy

    def shows(self, agent) -> bool:
        """Whether this reader may see `agent`'s name (an Agent, or None for an unknown one)."""
        if agent is None:
            return False
        if self.member or agent.kind != "person":
            return True
        return domain.name_is_public(
            kind=agent.kind,
            consented=agent.public_name_consent,
            persons_policy=self.persons_policy,
        )

    def name(self, agent, hidden: str = "") -> str:
        """The agent's display name if this reader may see it, else `hidden`."""
        return agent.display_name if self.shows(agent) else hidden


def parameter_catalogue(parameters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every parameter with its labels, unit, range and choices; with values when given."""
    names = [spec.name for spec in domain.PARAMETERS]
    if parameters is not None:
        names += sorted(name for name in parameters if name not in domain.SPECS)
    rows = []
    for name in names:
        spec = domain.spec_for(name)
        assert spec is not None
        row: dict[str, Any] = {
            "name": name,
            "type": spec.type,
            "unit": spec.unit,
            "label": {"fr": spec.label_fr, "en": spec.label_en},
            "minimum": spec.minimum,
            "maximum": spec.maximum,
            "choices": [
                {
                    "value": choice,
                    "label": dict(zip(("fr", "en"), domain.CHOICE_LABELS[choice], strict=True)),
                }
                for choice in spec.choices
            ],
            "default": spec.default,
        }
        if parameters is not None:
            row["value"] = parameters.get(name)
            row["text_fr"] = domain.format_value_fr(spec, parameters.get(name))
        rows.append(row)
    return rows


# --- Proposals -----------------------------------------------------------------------------


def proposals_of(*, commons_id: int, status: str = "") -> QuerySet[Proposal]:
    proposals = Proposal.objects.filter(commons_id=commons_id).select_related(
        "author", "author_agent", "charter_version"
    )
    if status:
        proposals = proposals.filter(status=status)
    return proposals.order_by("-created_at", "-id")


def proposal_get(*, proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related("author", "author_agent", "charter_version", "commons")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise ApplicationError("not_found")
    return proposal


def proposals_about(*, subject_type: str, subject_id: int) -> QuerySet[Proposal]:
    """The proposals about one subject of another app, newest first."""
    return Proposal.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by(
        "-created_at", "-id"
    )


def electorate(proposal: Proposal) -> dict[int, int]:
    return dict(ProposalVoter.objects.filter(proposal=proposal).values_list("agent_id", "weight"))


def electorate_for_cast(proposal: Proposal, user) -> list[ProposalVoter]:
    """The electorate in one statement, each voter with its agent and, for a ballot about to be
    cast: `mine` (the user represents it), `member` (still an active member of the commons) and
    `choice` (its effective ballot, or None)."""
    mine = agent_selectors.agent_ids_of_user_query(user=user)
    members = commons_selectors.active_members(commons=proposal.commons).values("agent_id")
    choice = Ballot.objects.filter(
        proposal=proposal, agent_id=OuterRef("agent_id"), is_effective=True
    ).values("choice")[:1]
    return list(
        ProposalVoter.objects.filter(proposal=proposal)
        .select_related("agent")
        .annotate(
            mine=ExpressionWrapper(Q(agent_id__in=mine), output_field=BooleanField()),
            member=ExpressionWrapper(Q(agent_id__in=members), output_field=BooleanField()),
            choice=Subquery(choice),
        )
    )


def effective_ballots(proposal: Proposal) -> dict[int, str]:
    return dict(
        Ballot.objects.filter(proposal=proposal, is_effective=True).values_list(
            "agent_id", "choice"
        )
    )


def proposal_tally(
    proposal: Proposal,
    now: dt.datetime | None = None,
    *,
    ballots: dict[int, str] | None = None,
    voters: dict[int, int] | None = None,
) -> domain.Outcome:
    """The live tally; for a closed proposal, the tally it closed with.

    `ballots` and `voters`: `effective_ballots` and `electorate` when the caller has just read
    them (under the proposal's lock), so they are not read again."""
    policy = domain.Policy.from_dict(proposal.policy)
    return domain.tally(
        policy,
        effective_ballots(proposal) if ballots is None else ballots,
        electorate(proposal) if voters is None else voters,
        now or clock.now(),
        proposal.closes_at,
    )


def proposal_closing_due(proposal: Proposal) -> bool:
    """Open past its deadline: the worker closes it shortly ("clôture en cours"); reads never do."""
    return (
        proposal.status == "open"
        and proposal.closes_at is not None
        and proposal.closes_at <= clock.now()
    )


def ballots_of(*, proposal: Proposal) -> QuerySet[Ballot]:
    """Every ballot, superseded ones included, in the order received."""
    return Ballot.objects.filter(proposal=proposal).select_related("agent", "user").order_by("id")


def voter_view(*, user, proposal: Proposal) -> dict[str, Any]:
    """What the user may do on the vote: the agents they may vote for and their last ballots."""
    if user is None or not user.is_authenticated:
        return {"can_vote": False, "reason": "not_authenticated", "agents": []}
    mine = agent_selectors.agent_ids_of_user(user=user)
    voters = electorate(proposal)
    votable = sorted(mine & set(voters))
    ballots = dict(
        Ballot.objects.filter(
            proposal=proposal, is_effective=True, agent_id__in=votable
        ).values_list("agent_id", "choice")
    )
    reason = ""
    if proposal.status != "open" or clock.now() >= proposal.closes_at:
        reason = "proposal_not_open" if proposal.status == "draft" else "vote_closed"
    elif (proposal.author_id == user.pk and not domain.author_votes(proposal.policy)) or (
        not votable and mine & set(proposal.excluded_agent_ids or [])
    ):
        reason = "own_item"
    elif not votable:
        reason = "not_eligible"
    agents = agent_selectors.agents_by_ids(agent_ids=votable)
    return {
        "can_vote": not reason,
        "reason": reason or None,
        "agents": [
            {
                "id": agent,
                "display_name": agents[agent].display_name,
                "kind": agents[agent].kind,
                "weight": voters[agent],
                "choice": ballots.get(agent),
            }
            for agent in votable
        ],
    }


# --- Decision log --------------------------------------------------------------------------


def _effective_with_weights(
    proposal: Proposal,
    ballots: dict[int, str] | None = None,
    voters: dict[int, int] | None = None,
) -> list[tuple[int, str, int]]:
    weights = electorate(proposal) if voters is None else voters
    ballots = effective_ballots(proposal) if ballots is None else ballots
    return [(agent, choice, weights.get(agent, 0)) for agent, choice in ballots.items()]


def decision_content(
    proposal: Proposal,
    sequence: int,
    decided_at: dt.datetime,
    *,
    ballots: dict[int, str] | None = None,
    voters: dict[int, int] | None = None,
) -> dict[str, Any]:
    """What a decision hashes: the proposal, the rules, the tally, the ballots' fingerprint.

    `ballots`, `voters`: as read for the closing tally under the proposal's lock, if given."""
    return {
        "commons_id": proposal.commons_id,
        "sequence": sequence,
        "decided_at": decided_at.isoformat(),
        "proposal": {
            "id": proposal.pk,
            "kind": proposal.kind,
            "title": proposal.title,
            "subject_type": proposal.subject_type,
            "subject_id": proposal.subject_id,
            "payload": proposal.payload,
            "author_agent_id": proposal.author_agent_id,
            "opened_at": proposal.opened_at.isoformat(),
            "closes_at": proposal.closes_at.isoformat(),
        },
        "charter_version": proposal.charter_version.number,
        "policy": proposal.policy,
        "outcome": proposal.status,
        "tally": proposal.outcome,
        "ballots_digest": domain.ballots_digest(_effective_with_weights(proposal, ballots, voters)),
    }


def decisions_of(*, commons_id: int) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(commons_id=commons_id)
        .select_related("proposal", "charter_version", "effect")
        .order_by("sequence")
    )


# --- Effects that wait ---------------------------------------------------------------------


def decision_effect(decision: Decision) -> DecisionEffect | None:
    """The decision's effect row: only decisions whose effect was refused at closing have one."""
    try:
        return decision.effect
    except DecisionEffect.DoesNotExist:
        return None


def effect_view(effect: DecisionEffect | None) -> dict[str, Any] | None:
    """An effect as readers see it: status, reason code with its French and English messages."""
    if effect is None:
        return None
    reason = effect.reason
    return {
        "status": effect.status,
        "reason": reason,
        "reason_messages": messages_for(reason) if reason in CATALOGUE else {"fr": "", "en": ""},
        "attempts": effect.attempts,
        "created_at": effect.created_at,
        "last_attempt_at": effect.last_attempt_at,
        "applied_at": effect.applied_at,
    }


def decision_authorised(decision: Decision) -> dict[str, Any]:
    """What the decision authorised: hashed at closing, or recorded when its effect applied."""
    authorised = (decision.content or {}).get("authorised")
    if authorised is not None:
        return authorised
    effect = decision_effect(decision)
    return dict(effect.result or {}) if effect is not None else {}


def effects_by_proposal(*, proposal_ids) -> dict[int, DecisionEffect]:
    """Effect rows of the decisions on these proposals, by proposal id (one query)."""
    effects = DecisionEffect.objects.filter(decision__proposal_id__in=list(proposal_ids))
    return {effect.decision.proposal_id: effect for effect in effects.select_related("decision")}


def decision_effects_pending_count() -> int:
    """How many effects still wait, in every commons."""
    return DecisionEffect.objects.filter(status=EFFECT_PENDING).count()


def decision_effects_pending(*, commons_id: int) -> list[DecisionEffect]:
    """Every decision of the commons whose effect still waits, oldest decision first.

    For `federage verify`, and for whatever must not go on while an effect waits (closing a
    fiscal year). Each row has its decision (sequence) and commons (slug) loaded.
    """
    return list(
        DecisionEffect.objects.filter(commons_id=commons_id, status=EFFECT_PENDING)
        .select_related("decision", "commons")
        .order_by("decision__sequence")
    )


def decision_log_verify(commons_id: int) -> list[str]:
    """Problems in a commons' decision log; empty when it verifies.

    Checks the hash chain (sequence, links, each content against its hash, the head against
    the last decision) and that the rows the content describes still say the same: the
    proposal's status and the ballots the decision was taken on.
    """
    decisions = list(decisions_of(commons_id=commons_id))
    head = DecisionLog.objects.filter(commons_id=commons_id).values_list("length", "head_hash")
    head_row = head.first()
    problems = domain.chain_problems(
        (domain.ChainLink(d.sequence, d.previous_hash, d.hash, d.content) for d in decisions),
        tuple(head_row) if head_row else (0, domain.GENESIS_HASH),
    )
    for decision in decisions:
        content = decision.content or {}
        label = f"decision #{decision.sequence}"
        if content.get("outcome") != decision.outcome:
            problems.append(f"{label}: outcome column differs from the hashed content")
        if decision.proposal.status != content.get("outcome"):
            problems.append(f"{label}: proposal #{decision.proposal_id} status was altered")
        if (content.get("proposal") or {}).get("id") != decision.proposal_id:
            problems.append(f"{label}: points to another proposal than it hashed")
        digest = domain.ballots_digest(_effective_with_weights(decision.proposal))
        if digest != content.get("ballots_digest"):
            problems.append(f"{label}: ballots of proposal #{decision.proposal_id} were altered")
        if Ballot.objects.filter(
            proposal_id=decision.proposal_id, cast_at__gte=decision.proposal.closes_at
        ).exists():
            problems.append(f"{label}: a ballot is dated after the deadline")
        # A decision hashed with its effect pending has the row that follows it up, and only it.
        if bool(content.get("effect")) != (decision_effect(decision) is not None):
            problems.append(f"{label}: its effect record does not match the hashed content")
    return problems


def decision_logs_verify() -> dict[int, list[str]]:
    """Every commons with a broken decision log, for `federage verify`."""
    found: dict[int, list[str]] = {}
    for commons_id in DecisionLog.objects.values_list("commons_id", flat=True):
        problems = decision_log_verify(commons_id)
        if problems:
            found[commons_id] = problems
    return found


# --- Comments and notifications ------------------------------------------------------------


def comments_of(*, subject_type: str, subject_id: int) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("author")
        .order_by("created_at", "id")
    )


def comment_depth(comment: Comment) -> int:
    depth = 0
    cursor = comment
    while cursor.parent_id is not None and depth <= 64:
        cursor = Comment.objects.only("parent_id").get(pk=cursor.parent_id)
        depth += 1
    return depth


def notifications_of(*, user, unread_only: bool = False, limit: int = 100) -> list[Notification]:
    notifications = Notification.objects.filter(user=user).select_related("commons")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return list(notifications.order_by("-id")[:limit])


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_preference(*, user) -> bool:
    preference = NotificationPreference.objects.filter(user=user).first()
    return bool(preference and preference.email_enabled)


def personal_data(*, user, agent_ids) -> dict[str, list[dict]]:
    """What governance holds about one person: ballots cast, comments written, notifications
    received (a person's data export, GDPR art. 15 and 20)."""
    ballots = (
        Ballot.objects.filter(Q(user=user) | Q(agent_id__in=list(agent_ids)))
        .select_related("proposal")
        .order_by("cast_at", "id")
    )
    comments = Comment.objects.filter(author=user).order_by("created_at", "id")
    notifications = Notification.objects.filter(user=user).order_by("created_at", "id")
    return {
        "ballots": [
            {
                "proposal_id": ballot.proposal_id,
                "proposal_title": ballot.proposal.title,
                "agent_id": ballot.agent_id,
                "choice": ballot.choice,
                "comment": ballot.comment,
                "cast_at": ballot.cast_at.isoformat(),
                "is_effective": ballot.is_effective,
            }
            for ballot in ballots
        ],
        "comments": [
            {
                "subject_type": comment.subject_type,
                "subject_id": comment.subject_id,
                "body": comment.body,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in comments
        ],
        "notifications": [
            {
                "kind": notification.kind,
                "data": notification.data,
                "created_at": notification.created_at.isoformat(),
                "read_at": notification.read_at.isoformat() if notification.read_at else None,
            }
            for notification in notifications
        ],
    }
