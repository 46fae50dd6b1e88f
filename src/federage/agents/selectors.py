"""Reads on agents, and the check that a user may act for an agent."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from federage.agents.models import Agent, Representation
from federage.core.errors import ApplicationError


def agents_of_user(*, user) -> QuerySet[Agent]:
    return (
        Agent.objects.filter(representations__user=user)
        .exclude(kind="commons")
        .order_by("-representations__is_self", "display_name")
    )


def agent_ids_of_user(*, user) -> set[int]:
    return set(Agent.objects.filter(representations__user=user).values_list("pk", flat=True))


def agent_ids_of_user_query(*, user) -> QuerySet[Agent]:
    """`agent_ids_of_user` as a subquery (`agent_id__in=`), for a caller's single statement."""
    return Agent.objects.filter(representations__user=user).values("pk")


def self_agent(*, user) -> Agent:
    return Agent.objects.get(representations__user=user, representations__is_self=True)


def agent_for_user(*, user, agent_id: int | None, for_update: bool = False) -> Agent:
    """The agent the user acts for: the named one if they represent it, else their person."""
    queryset = Agent.objects.filter(representations__user=user)
    if for_update:
        queryset = queryset.select_for_update()
    if agent_id is None:
        return queryset.get(representations__is_self=True)
    agent = queryset.filter(pk=agent_id).first()
    if agent is None:
        if Agent.objects.filter(pk=agent_id).exists():
            raise ApplicationError("permission_denied")
        raise ApplicationError("not_found")
    return agent


def self_agent_id(*, user) -> int:
    """The id of the user's own person agent. It never changes (one per user, made at sign-up),
    so it is kept on the user object: a batch of commands looks it up once."""
    if getattr(user, "_self_agent_id", None) is None:
        user._self_agent_id = (
            Representation.objects.filter(user=user, is_self=True)
            .values_list("agent_id", flat=True)
            .get()
        )
    return user._self_agent_id


def acting_agent_filter(*, user, agent_id: int | None, through: str) -> Q:
    """The condition "the agent at `through` is the one the user acts for" (see agent_for_user),
    for other apps to find their rows of that agent in one query."""
    if agent_id is None:
        return Q(**{through: self_agent_id(user=user)})
    return Q(**{f"{through}__representations__user": user, through: agent_id})


def agents_by_ids(*, agent_ids) -> dict[int, Agent]:
    return {agent.pk: agent for agent in Agent.objects.filter(pk__in=agent_ids)}


def user_ids_of_agents(*, agent_ids) -> set[int]:
    """The users who may act for any of these agents."""
    return set(
        Representation.objects.filter(agent_id__in=list(agent_ids)).values_list(
            "user_id", flat=True
        )
    )
