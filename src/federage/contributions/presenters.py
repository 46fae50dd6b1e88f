"""Presenters of contributions: one output per entity, for the member API and sync."""

from __future__ import annotations

from federage.contributions import selectors
from federage.contributions.models import Contribution, Need
from federage.contributions.schemas import (
    ContributionDetailOut,
)


def _agent(agent) -> dict:
    return {"id": agent.pk, "display_name": agent.display_name, "kind": agent.kind}


def contribution_out(contribution: Contribution, *, co_authors=None, evidence=None) -> dict:
    """Co-authors (agents) and evidence are read from the contribution unless given."""
    if co_authors is None:
        co_authors = [item.agent for item in contribution.co_authors.all()]
    if evidence is None:
        evidence = list(contribution.evidence.all())
    return {
        "id": contribution.pk,
        "commons_slug": contribution.commons.slug,
        "contributor": _agent(contribution.contributor),
        **{
            name: getattr(contribution, name)
            for name in (
                "kind",
                "title",
                "description",
                "quantity",
                "unit",
                "unit_price_cents",
                "proposed_price_cents",
                "price_explanation",
                "delivery_date",
                "resource_account",
                "resource_label",
                "need_id",
                "state",
                "counter_price_cents",
                "proposal_id",
                "decision_id",
                "charter_version_id",
                "entry_id",
                "payment_entry_id",
                "issuance_id",
                "accepted_price_cents",
                "created_at",
                "updated_at",
            )
        },
        "co_authors": [_agent(agent) for agent in co_authors],
        "evidence": evidence,
    }


def contribution_detail_out(contribution: Contribution, **known) -> dict:
    """A contribution read with its `history` (selectors); `known` as in contribution_out."""
    return {
        **contribution_out(contribution, **known),
        "revisions": [
            {
                "number": revision.number,
                "action": revision.action,
                "state_before": revision.state_before,
                "state_after": revision.state_after,
                "changes": revision.changes,
                "comment": revision.comment,
                "user_name": revision.user.display_name if revision.user else None,
                "created_at": revision.created_at,
            }
            for revision in contribution.history
        ],
    }


def need_out(need: Need) -> dict:
    return {
        "id": need.pk,
        "commons_slug": need.commons.slug,
        "kind": need.kind,
        "title": need.title,
        "description": need.description,
        "target_cents": need.target_cents,
        "wanted_by": need.wanted_by,
        "is_open": need.is_open,
        "created_at": need.created_at,
    }


def written_out(contribution: Contribution) -> ContributionDetailOut:
    """A command's answer: the contribution its service just wrote (and authorised) re-read whole."""
    written = selectors.contribution_written(contribution_id=contribution.pk)
    return ContributionDetailOut(**contribution_detail_out(written))


# Routes.
