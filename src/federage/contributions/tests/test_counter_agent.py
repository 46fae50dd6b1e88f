"""A counter-offer made for an organisation the user represents: sent as `agent_id`, refused on it."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.agents import services as agent_services
from federage.commons import services as commons_services
from federage.contributions import services
from federage.contributions.models import Contribution, Revision
from federage.contributions.tests import scene as chain
from federage.core import clock
from federage.core.errors import ApplicationError

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with clock.frozen(T0):
        yield


def _organisation(scene, user, name: str, roles: list[str] | None):
    organisation = agent_services.agent_create(user=user, kind="association", display_name=name)
    if roles is not None:
        commons_services.membership_admit(
            commons_id=scene.commons.pk,
            agent_id=organisation.pk,
            roles=roles,
            actor_user_id=None,
        )
    return organisation


def test_an_approving_organisation_counters_and_refusals_land_on_agent_id(make_user, make_commons):
    scene = chain.build(make_user, make_commons)
    contribution = chain.propose(scene, title="Tondeuse", proposed_price_cents=50_000)
    contribution = services.contribution_submit(
        user=scene.contributor, contribution_id=contribution.pk
    )
    olga = make_user(name="Olga Organisatrice")
    approving = _organisation(scene, olga, "Coopérative des Prix", ["approver"])
    contributing = _organisation(scene, olga, "Amicale des Outils", ["contributor"])
    outside = _organisation(scene, olga, "Club Extérieur", None)

    def refusal(user, agent_id):
        with pytest.raises(ApplicationError) as caught:
            services.contribution_counter(
                user=user,
                contribution_id=contribution.pk,
                price_cents=40_000,
                comment="Prix du marché",
                agent_id=agent_id,
            )
        return caught.value.code, list(caught.value.fields)

    assert refusal(olga, contributing.pk) == ("permission_denied", ["agent_id"])
    assert refusal(olga, outside.pk) == ("not_a_member", ["agent_id"])
    assert refusal(scene.approver1, approving.pk) == ("permission_denied", ["agent_id"])
    assert refusal(olga, 10**9) == ("not_found", ["agent_id"])
    # The contributor's own organisation, an approver here, cannot counter their contribution.
    own = _organisation(scene, scene.contributor, "Atelier de Camille", ["approver"])
    assert refusal(scene.contributor, own.pk) == ("own_item", ["agent_id"])
    contribution.refresh_from_db()
    assert (contribution.state, contribution.counter_price_cents) == ("in_review", None)

    countered = services.contribution_counter(
        user=olga,
        contribution_id=contribution.pk,
        price_cents=40_000,
        comment="Prix du marché",
        agent_id=approving.pk,
    )
    assert (countered.state, countered.counter_price_cents) == ("countered", 40_000)
    revision = Revision.objects.filter(contribution=contribution, action="counter").get()
    assert revision.changes["agent_id"] == approving.pk
    assert Contribution.objects.get(pk=contribution.pk).countered_by_id == olga.pk
