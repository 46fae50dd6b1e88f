"""The public contributions table lists every contribution counted in capital, paid ones too."""

from __future__ import annotations

from django.test import Client

from federage.contributions import services
from federage.contributions.tests import scene as contribution_scene
from federage.core import clock
from federage.ledger import selectors as ledger_selectors
from federage.opendata import selectors


def test_paid_contributions_stay_in_the_public_table(make_user, make_commons):
    scene = contribution_scene.build(make_user, make_commons, slug="atelier-public")
    scene.commons.visibility = "public"
    scene.commons.save(update_fields=["visibility"])
    fund = contribution_scene.accept(
        scene, title="Fonds de démarrage", proposed_price_cents=200_000
    )
    services.contribution_call(user=scene.steward, contribution_id=fund.pk)
    services.contribution_pay(user=scene.steward, contribution_id=fund.pk)
    contribution_scene.accept(
        scene, kind="in_kind", title="Surjeteuse", proposed_price_cents=450_000
    )
    refused = contribution_scene.propose(scene, kind="in_kind", title="Mannequins")
    refused = services.contribution_submit(user=scene.contributor, contribution_id=refused.pk)
    contribution_scene.vote(scene, refused, choice="against")
    waiting = contribution_scene.propose(scene, title="Brodeuse")
    services.contribution_submit(user=scene.contributor, contribution_id=waiting.pk)

    rows = selectors.contributions_public(scene.commons)
    assert [(row["title"], row["state"]) for row in rows] == [
        ("Fonds de démarrage", "paid"),
        ("Surjeteuse", "accepted"),
    ]
    # The table adds up to the capital the books count (1013 cash, 1014 in kind).
    book = ledger_selectors.book_of(commons_id=scene.commons.pk)
    trial = ledger_selectors.trial_balance(book=book, at=clock.today())
    capital = -sum(row["balance_cents"] for row in trial["rows"] if row["number"][:3] == "101")
    assert sum(row["price_cents"] for row in rows) == capital == 650_000
    served = Client().get(f"/api/v1/public/commons/{scene.slug}/contributions").json()
    assert [(item["title"], item["state"]) for item in served] == [
        ("Fonds de démarrage", "paid"),
        ("Surjeteuse", "accepted"),
    ]
