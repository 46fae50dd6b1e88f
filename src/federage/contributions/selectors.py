"""Reads on contributions: lists per commons and per agent, one contribution's full history, needs."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet, Sum

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.contributions import domain
from federage.contributions.models import CoAuthor, Contribution, Evidence, Need, Revision
from federage.core.errors import ApplicationError


def _with_details(queryset: QuerySet[Contribution]) -> QuerySet[Contribution]:
    return queryset.select_related("commons", "contributor").prefetch_related(
        Prefetch("co_authors", queryset=CoAuthor.objects.select_related("agent").order_by("id")),
        Prefetch("evidence", queryset=Evidence.objects.order_by("id")),
    )


def contributions_of_commons(*, user, slug: str, state: str = "") -> list[Contribution]:
    """A commons' contributions for its members; drafts only for their authors."""
    commons = commons_selectors.commons_get_visible(user=user, slug=slug)
    commons_selectors.require_member(user=user, commons=commons)
    mine = agent_selectors.agent_ids_of_user(user=user)
    queryset = Contribution.objects.filter(commons=commons).filter(
        ~Q(state=domain.DRAFT) | Q(contributor_id__in=mine)
    )
    if state:
        queryset = queryset.filter(state=state)
    return list(_with_details(queryset).order_by("-updated_at", "-id"))


def contribution_get(*, user, contribution_id: int) -> Contribution:
    contribution = _with_history(Contribution.objects.filter(pk=contribution_id)).first()
    if contribution is None:
        raise ApplicationError("not_found")
    commons = commons_selectors.commons_get_visible(user=user, slug=contribution.commons.slug)
    commons_selectors.require_member(user=user, commons=commons)
    mine = agent_selectors.agent_ids_of_user(user=user)
    if contribution.state == domain.DRAFT and contribution.contributor_id not in mine:
        raise ApplicationError("not_found")
    return contribution


def _with_history(queryset: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """Details plus `history`, the revisions oldest first (a list, as the create service sets it)."""
    return _with_details(queryset).prefetch_related(
        Prefetch(
            "revisions",
            queryset=Revision.objects.select_related("user").order_by("number"),
            to_attr="history",
        )
    )


def contribution_written(*, contribution_id: int) -> Contribution:
    """A contribution a service has just written for a user it authorised: no second check."""
    return _with_history(Contribution.objects.filter(pk=contribution_id)).get()


def evidence_get(*, user, contribution_id: int, evidence_id: int) -> Evidence:
    contribution = contribution_get(user=user, contribution_id=contribution_id)
    evidence = Evidence.objects.filter(pk=evidence_id, contribution=contribution).first()
    if evidence is None:
        raise ApplicationError("not_found")
    return evidence


def my_contributions(*, user) -> list[Contribution]:
    """The portfolio's list: my validated and pending contributions across commons."""
    mine = agent_selectors.agent_ids_of_user(user=user)
    queryset = Contribution.objects.filter(contributor_id__in=mine).exclude(
        state__in=[domain.WITHDRAWN]
    )
    return list(_with_details(queryset).order_by("-updated_at", "-id"))


def needs_of(*, user, slug: str, open_only: bool = True) -> list[dict]:
    """A commons' needs with how much validated and pending contributions already answer."""
    commons = commons_selectors.commons_get_visible(user=user, slug=slug)
    return _needs_rows(commons, open_only=open_only)


def needs_open_of(*, commons) -> list[dict]:
    """A commons' open needs with their progress.

    No visibility check: for the public read API, which checks the commons first. A need names
    no person (who published it is not part of it).
    """
    return _needs_rows(commons, open_only=True)


def _needs_rows(commons, *, open_only: bool) -> list[dict]:
    needs = Need.objects.filter(commons=commons)
    if open_only:
        needs = needs.filter(is_open=True)
    needs = needs.annotate(
        validated_cents=Sum(
            "contributions__proposed_price_cents",
            filter=Q(contributions__state__in=domain.VALIDATED),
        ),
        pending_cents=Sum(
            "contributions__proposed_price_cents",
            filter=Q(contributions__state__in=domain.PENDING[1:]),
        ),
    ).order_by("-created_at", "-id")
    return [
        {
            "id": need.pk,
            "commons_slug": commons.slug,
            "kind": need.kind,
            "title": need.title,
            "description": need.description,
            "target_cents": need.target_cents,
            "wanted_by": need.wanted_by,
            "is_open": need.is_open,
            "validated_cents": need.validated_cents or 0,
            "pending_cents": need.pending_cents or 0,
            "created_at": need.created_at,
        }
        for need in needs
    ]


def contributions_accepted_of(*, commons_id: int) -> QuerySet[Contribution]:
    """Validated contributions (accepted, called, paid) of a commons, oldest decision first.

    No visibility check: for the public read API, which checks the commons first.
    """
    return Contribution.objects.filter(commons_id=commons_id, state__in=domain.VALIDATED).order_by(
        "decided_at", "id"
    )


# States in which a contribution still engages its contributor: under way, or cash called
# (or accepted) and not paid yet.
OPEN_STATES = ("draft", "submitted", "in_review", "countered", "called")


def contributions_of_agents(*, agent_ids) -> list[dict]:
    """Every contribution these agents made: a person's data export."""
    rows = (
        Contribution.objects.filter(contributor_id__in=list(agent_ids))
        .select_related("commons")
        .order_by("id")
    )
    return [
        {
            "id": item.pk,
            "commons_slug": item.commons.slug,
            "agent_id": item.contributor_id,
            "kind": item.kind,
            "title": item.title,
            "description": item.description,
            "proposed_price_cents": item.proposed_price_cents,
            "state": item.state,
        }
        for item in rows
    ]


def contributions_open_count(*, agent_ids) -> int:
    """Contributions of these agents still open (see OPEN_STATES; accepted cash is unpaid)."""
    return (
        Contribution.objects.filter(contributor_id__in=list(agent_ids))
        .filter(Q(state__in=OPEN_STATES) | Q(state="accepted", kind="cash"))
        .count()
    )
