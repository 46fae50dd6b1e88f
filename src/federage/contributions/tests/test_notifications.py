"""Counter-offers and transfers notify the other party: in-app, and by e-mail if they opted in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from federage.contributions import services
from federage.contributions.tests import scene as chain
from federage.core import clock
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.titles import services as title_services

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with clock.frozen(T0):
        yield


def _kinds(user) -> list[str]:
    return [item.kind for item in governance_selectors.notifications_of(user=user)]


def test_a_counter_offer_notifies_the_contributor_and_mails_them_if_they_opted_in(
    make_user, make_commons, django_capture_on_commit_callbacks
):
    scene = chain.build(make_user, make_commons)
    contribution = chain.propose(scene, title="Tondeuse", proposed_price_cents=50_000)
    contribution = services.contribution_submit(
        user=scene.contributor, contribution_id=contribution.pk
    )
    governance_services.notification_preference_set(user=scene.contributor, email_enabled=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.contribution_counter(
            user=scene.approver1,
            contribution_id=contribution.pk,
            price_cents=40_000,
            comment="Prix du marché",
        )
    [notice] = [
        item
        for item in governance_selectors.notifications_of(user=scene.contributor)
        if item.kind == "counter_offered"
    ]
    assert notice.commons_id == scene.commons.pk
    assert notice.data == {
        "title": "Tondeuse",
        "path": f"/contributions/{contribution.pk}",
        "contribution_id": contribution.pk,
        "proposed_price_cents": 50_000,
        "counter_price_cents": 40_000,
    }
    # The approver who countered is not told of their own act, nor is anybody else.
    for user in (scene.approver1, scene.approver2, scene.other, scene.steward):
        assert "counter_offered" not in _kinds(user)
    [message] = [m for m in mail.outbox if "Contre-proposition" in m.subject]
    assert message.to == [scene.contributor.email]
    assert message.subject == "Contre-proposition sur votre apport : Tondeuse"
    assert f"/contributions/{contribution.pk}" in message.body


def test_no_mail_for_who_did_not_opt_in(
    make_user, make_commons, django_capture_on_commit_callbacks
):
    scene = chain.build(make_user, make_commons)
    contribution = chain.propose(scene, title="Brouette")
    contribution = services.contribution_submit(
        user=scene.contributor, contribution_id=contribution.pk
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.contribution_counter(
            user=scene.approver1, contribution_id=contribution.pk, price_cents=100, comment="Non"
        )
    assert "counter_offered" in _kinds(scene.contributor)
    assert mail.outbox == []


def test_transfers_notify_the_other_party_at_each_step(
    make_user, make_commons, django_capture_on_commit_callbacks
):
    scene = chain.build(make_user, make_commons)
    chain.accept(scene, proposed_price_cents=100_000)  # Camille holds 100 titles
    governance_services.notification_preference_set(user=scene.contributor, email_enabled=True)

    def propose(buyer):
        return title_services.transfer_propose(
            user=scene.contributor,
            commons_slug=scene.slug,
            buyer_agent_id=chain.agent_of(buyer),
            units=Decimal("10"),
            unit_price_cents=1_000,
        )

    accepted = propose(scene.other)
    assert _kinds(scene.other).count("transfer_proposed") == 1
    assert "transfer_proposed" not in _kinds(scene.contributor)
    [notice] = [
        item
        for item in governance_selectors.notifications_of(user=scene.other)
        if item.kind == "transfer_proposed"
    ]
    assert notice.data == {
        "title": "Camille Contributor → Dominique Other",
        "path": f"/c/{scene.slug}/titles",
        "transfer_id": accepted.pk,
        "units": "10.0000",
        "price_cents": 10_000,
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        title_services.transfer_accept(user=scene.other, transfer_id=accepted.pk)
    assert _kinds(scene.contributor).count("transfer_accepted") == 1
    assert "transfer_accepted" not in _kinds(scene.other)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            [scene.contributor.email],
            "Cession de titres acceptée : Camille Contributor → Dominique Other",
        )
    ]

    refused = propose(scene.approver1)
    title_services.transfer_refuse(user=scene.approver1, transfer_id=refused.pk)
    assert _kinds(scene.contributor).count("transfer_refused") == 1

    cancelled = propose(scene.approver2)
    title_services.transfer_cancel(user=scene.contributor, transfer_id=cancelled.pk)
    assert _kinds(scene.approver2).count("transfer_cancelled") == 1
    assert "transfer_cancelled" not in _kinds(scene.contributor)
