"""One private commons with a member in each role, its history, and the ids every route needs."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from federage.accounts import services as account_services
from federage.agents import selectors as agent_selectors
from federage.agents import services as agent_services
from federage.commons import selectors as commons_selectors
from federage.commons import services as commons_services
from federage.contributions import services as contribution_services
from federage.funding import services as funding_services
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.impact import services as impact_services
from federage.ledger import services as ledger_services
from federage.resources import services as resource_services
from federage.testing import PASSWORD, post_pair
from federage.titles import services as title_services

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 6, 15)
SLUG = "commun-garde"
OTHER_SLUG = "commun-voisin"
PDF = b"%PDF-1.4\n% devis\n" + b"0" * 200

# The roles a member of the commons holds, one user each; the other actors hold none in it.
MEMBER_ROLES = ("observer", "contributor", "approver", "verifier", "funder", "steward")
ACTORS = ("anonymous", "stranger", *MEMBER_ROLES, "other_member", "staff")


@dataclass
class World:
    users: dict[str, Any]
    tokens: dict[str, str]
    ids: dict[str, Any] = field(default_factory=dict)

    def headers(self, actor: str) -> dict[str, str]:
        token = self.tokens.get(actor)
        return {"Authorization": f"Bearer {token}"} if token else {}


def _user(name: str, *, staff: bool = False):
    user = account_services.user_sign_up(
        email=f"{name.split()[0].lower()}-{uuid.uuid4().hex[:6]}@example.org",
        password=PASSWORD,
        display_name=name,
    )
    if staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def _invite(steward, slug: str, user, roles: list[str]) -> None:
    _, link = commons_services.invitation_create(
        user=steward, slug=slug, email=user.email, roles=roles
    )
    commons_services.invitation_accept(user=user, token=link.rsplit("/", 1)[1])


def build_world(visibility: str = "private") -> World:
    """Call under `clock.frozen(NOW)`, with settings.VAR_DIR pointing at a temporary folder."""
    users = {
        "stranger": _user("Sacha Stranger"),
        "staff": _user("Sam Staff", staff=True),
        "other_member": _user("Olga Other"),
        **{role: _user(f"{role.title()} Member") for role in MEMBER_ROLES},
    }
    steward = users["steward"]
    commons = commons_services.commons_create(
        user=steward, slug=SLUG, name="Commun gardé", visibility=visibility
    )
    commons_services.commons_create(
        user=users["other_member"], slug=OTHER_SLUG, name="Commun voisin", visibility="private"
    )
    for role in MEMBER_ROLES[:-1]:
        _invite(steward, SLUG, users[role], [role])
    agent = {actor: agent_selectors.self_agent(user=user).pk for actor, user in users.items()}

    # An accepted contribution gives the contributor titles to sell and redeem.
    accepted = contribution_services.contribution_create(
        user=users["contributor"],
        commons_slug=SLUG,
        kind="cash",
        title="Apport accepté",
        proposed_price_cents=100_000,
    )
    contribution_services.contribution_submit(
        user=users["contributor"], contribution_id=accepted.pk
    )
    accepted.refresh_from_db()
    proposal = governance_selectors.proposal_get(proposal_id=accepted.proposal_id)
    for voter in ("approver", "steward"):
        if governance_selectors.proposal_get(proposal_id=proposal.pk).status != "open":
            break
        try:
            governance_services.ballot_cast(
                user=users[voter], proposal_id=proposal.pk, choice="for"
            )
        except Exception:  # noqa: S112 - the voter may not be in the electorate
            continue
    # A submitted one, under vote; a draft one with evidence.
    pending = contribution_services.contribution_create(
        user=users["contributor"],
        commons_slug=SLUG,
        kind="labour",
        title="Apport en cours",
        proposed_price_cents=20_000,
        quantity=Decimal("4"),
        unit="h",
        unit_price_cents=5_000,
    )
    contribution_services.contribution_submit(user=users["contributor"], contribution_id=pending.pk)
    pending.refresh_from_db()
    draft = contribution_services.contribution_create(
        user=users["contributor"],
        commons_slug=SLUG,
        kind="cash",
        title="Brouillon",
        proposed_price_cents=5_000,
    )
    evidence = contribution_services.evidence_add(
        user=users["contributor"],
        contribution_id=draft.pk,
        name="devis.pdf",
        size=len(PDF),
        stream=io.BytesIO(PDF),
    )
    need = contribution_services.need_create(
        user=steward, commons_slug=SLUG, kind="cash", title="Machine", target_cents=300_000
    )
    entry = post_pair(commons, "garde-1", DAY, "512", "4562", 1_234)
    period = ledger_services.period_open(commons_id=commons.pk, actor_user_id=steward.pk)
    comment = governance_services.proposal_comment_add(
        user=users["contributor"], proposal_id=pending.proposal_id, body="Une question."
    )
    invitation, link = commons_services.invitation_create(
        user=steward, slug=SLUG, email="invite@example.org", roles=["contributor"]
    )
    transfer = title_services.transfer_propose(
        user=users["contributor"],
        commons_slug=SLUG,
        buyer_agent_id=agent["funder"],
        units=Decimal("1"),
        unit_price_cents=1_000,
    )
    redemption = title_services.redemption_request(
        user=users["contributor"], commons_slug=SLUG, units=Decimal("1")
    )
    decision = governance_selectors.decisions_of(commons_id=commons.pk).first()
    resource = resource_services.resource_register(
        user=steward,
        commons_slug=SLUG,
        key="machine",
        name="Machine",
        kind="equipment",
        unit="hour",
    )
    # An adopted objective with a measurement the contributor declared (with its evidence),
    # waiting for the verifier's review.
    objective = impact_services.objective_propose(
        user=steward,
        commons_slug=SLUG,
        title="Hectares",
        indicator_code="area_regenerated",
        baseline="0",
        target="10",
        starts_on=dt.date(2026, 1, 1),
        target_date=dt.date(2027, 1, 1),
    )
    for voter in MEMBER_ROLES:
        if governance_selectors.proposal_get(proposal_id=objective.proposal_id).status != "open":
            break
        try:
            governance_services.ballot_cast(
                user=users[voter], proposal_id=objective.proposal_id, choice="for"
            )
        except Exception:  # noqa: S112 - the voter may not be in the electorate
            continue
    measurement = impact_services.measurement_declare(
        user=users["contributor"],
        objective_id=objective.pk,
        value="2",
        unit="ha",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
    )
    measurement_file = impact_services.measurement_evidence_add(
        user=users["contributor"],
        measurement_id=measurement.pk,
        name="releve.pdf",
        size=len(PDF),
        stream=io.BytesIO(PDF),
    )
    # A grant the funder member offers for an outside association they represent: it waits for
    # a member to put it to the vote.
    association = agent_services.agent_create(
        user=users["funder"], kind="association", display_name="Association mécène"
    )
    financing = funding_services.financing_offer(
        user=users["funder"],
        agent_id=association.pk,
        commons_slug=SLUG,
        kind="grant_operating",
        title="Subvention de fonctionnement",
        amount_cents=100_000,
    )

    tokens = {}
    token_ids = {}
    for actor, user in users.items():
        token, clear = account_services.api_token_create(user=user, name="tests")
        tokens[actor], token_ids[actor] = clear, token.pk
    spare, _ = account_services.api_token_create(user=steward, name="spare")
    memberships = {m.agent_id: m.pk for m in commons_selectors.active_members(commons=commons)}

    ids = {
        "slug": SLUG,
        "agent_id": agent["contributor"],
        "membership_id": memberships[agent["contributor"]],
        "invitation_id": invitation.pk,
        "token": link.rsplit("/", 1)[1],
        "token_id": spare.pk,
        "proposal_id": pending.proposal_id,
        "decision_id": decision.pk if decision is not None else 1,
        "entry_id": entry.pk,
        "period_id": period.pk,
        "account_number": "512",
        "transfer_id": transfer.pk,
        "redemption_id": redemption.pk,
        "contribution_id": pending.pk,
        "draft_contribution_id": draft.pk,
        "evidence_id": evidence.pk,
        "need_id": need.pk,
        "resource_id": resource.pk,
        "comment_id": comment.pk,
        "commons_id": commons.pk,
        "objective_id": objective.pk,
        "measurement_id": measurement.pk,
        "file_id": measurement_file.pk,
        "financing_id": financing.pk,
        "number": 1,
        "agents": agent,
    }
    return World(users=users, tokens=tokens, ids=ids)
