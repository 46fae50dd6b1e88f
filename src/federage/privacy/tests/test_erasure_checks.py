"""Erasure waits for what others still count on: dues unpaid, a commons' last steward; and it
makes invitations sent to the person's address forget it (issue 14, item 10)."""

# ruff: noqa: F811 (the resources world's fixtures are imported to be used as fixtures)

from __future__ import annotations

import pytest

from federage.commons import services as commons_services
from federage.commons.models import Invitation
from federage.resources.tests.conftest import World, amend, frozen, world  # noqa: F401
from federage.resources.tests.test_services import declare
from federage.testing import PASSWORD

from .test_privacy import state

pytestmark = pytest.mark.django_db


def test_an_unpaid_levy_keeps_the_person_from_erasure(world: World, api_client):
    amend(world.scene, {"levy.metier.rate_bp": 250})
    declare(
        world,
        user=world.company_user,
        agent_id=world.company.pk,
        commercial=True,
        sale_amount_cents=10_000,
        unit="hour",
    )
    before = state()
    answer = api_client(world.company_user).post("/auth/me/erase", {"password": PASSWORD})
    assert (answer.status_code, answer.json()["code"]) == (409, "erasure_obligations_open")
    assert state() == before


def test_the_last_steward_is_not_erased(world: World, api_client):
    before = state()
    answer = api_client(world.steward).post("/auth/me/erase", {"password": PASSWORD})
    assert (answer.status_code, answer.json()["code"]) == (409, "erasure_last_steward")
    assert state() == before


def test_a_second_steward_lets_the_first_go(world: World, api_client, make_user):
    commons_services.membership_set_roles(
        user=world.steward,
        slug=world.slug,
        membership_id=world.commons.memberships.get(agent__representations__user=world.other).pk,
        roles=["contributor", "steward"],
    )
    answer = api_client(world.steward).post("/auth/me/erase", {"password": PASSWORD})
    assert answer.status_code == 200, answer.json()


def test_invitations_forget_the_erased_address(world: World, api_client, make_user):
    newcomer = make_user(name="Nora Newcomer")
    invitation, _ = commons_services.invitation_create(
        user=world.steward, slug=world.slug, email=newcomer.email, roles=["contributor"]
    )
    answer = api_client(newcomer).post("/auth/me/erase", {"password": PASSWORD})
    assert answer.status_code == 200, answer.json()
    invitation.refresh_from_db()
    assert (invitation.status, invitation.email) == (Invitation.REVOKED, "")
