"""A public commons shows its open wanted contributions; closed ones and private commons do not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from federage.contributions import services
from federage.contributions.tests import scene as contribution_scene
from federage.core import clock

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with clock.frozen(NOW):
        yield


def test_open_needs_are_public_and_name_nobody(make_user, make_commons):
    scene = contribution_scene.build(make_user, make_commons, slug="atelier-besoins")
    scene.commons.visibility = "public"
    scene.commons.save(update_fields=["visibility"])
    wanted = services.need_create(
        user=scene.steward,
        commons_slug=scene.slug,
        kind="in_kind",
        title="Une surjeteuse",
        description="Pour les ourlets",
        target_cents=80_000,
    )
    closed = services.need_create(
        user=scene.steward,
        commons_slug=scene.slug,
        kind="cash",
        title="Fonds de roulement",
        target_cents=100_000,
    )
    services.need_close(user=scene.steward, need_id=closed.pk)
    answer = contribution_scene.propose(
        scene, kind="in_kind", title="Ma surjeteuse", need_id=wanted.pk
    )
    services.contribution_submit(user=scene.contributor, contribution_id=answer.pk)

    served = Client().get(f"/api/v1/public/commons/{scene.slug}/needs")
    assert served.status_code == 200
    body = served.json()
    assert [(item["title"], item["target_cents"]) for item in body] == [("Une surjeteuse", 80_000)]
    assert body[0]["pending_cents"] == answer.proposed_price_cents
    assert body[0]["validated_cents"] == 0
    # Who published it is no part of the public row.
    assert scene.steward.display_name not in served.content.decode()
    assert set(body[0]) == {
        "id",
        "kind",
        "title",
        "description",
        "target_cents",
        "wanted_by",
        "validated_cents",
        "pending_cents",
        "created_at",
    }


def test_needs_of_a_private_commons_are_not_found(make_user, make_commons):
    scene = contribution_scene.build(make_user, make_commons, slug="atelier-prive")
    scene.commons.visibility = "private"
    scene.commons.save(update_fields=["visibility"])
    services.need_create(
        user=scene.steward,
        commons_slug=scene.slug,
        kind="cash",
        title="Fonds secret",
        target_cents=100_000,
    )
    served = Client().get(f"/api/v1/public/commons/{scene.slug}/needs")
    assert served.status_code == 404
    assert "Fonds secret" not in served.content.decode()
