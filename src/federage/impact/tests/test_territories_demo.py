"""The demo: every demo commons classified and located with codes of the COG 2026."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.core import clock
from federage.demo import loader
from federage.impact import discovery, taxonomy, territories
from federage.impact.demo_territory import CLASSIFICATIONS
from federage.impact.models import CommonsTerm, Location, ResourceTerm

pytestmark = pytest.mark.django_db


def test_the_demo_codes_are_those_of_the_cog():
    assert territories.commune("59512").name == "Roubaix"
    assert territories.commune("32013").name == "Auch"
    assert territories.commune("75056").name == "Paris"


def test_every_demo_commons_is_classified_and_located():
    with clock.frozen(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)):
        loader.demo_load()
        slugs = {row[0] for row in CLASSIFICATIONS}
        assert set(CommonsTerm.objects.values_list("commons__slug", flat=True)) == slugs
        located = dict(Location.objects.values_list("commons__slug", "commune_code"))
        assert located == {
            "atelier-textile-circulaire": "59512",
            "fonds-sols-vivants": "32013",
            "sols-vivants-parcelles-gers": "32013",
            "cercle-des-financeurs": "75056",
        }
        assert ResourceTerm.objects.count() >= 3
        terms = taxonomy.terms_of_commons(
            commons_ids=Location.objects.values_list("commons_id", flat=True)
        )
        assert any("climat.sequestration" in codes for codes in terms.values())
        # A funder in Occitanie finds both soil commons; the private circle is never found.
        found = discovery.discover(region="76")
        assert [row["slug"] for row in found["results"]] == [
            "fonds-sols-vivants",
            "sols-vivants-parcelles-gers",
        ]
        assert not discovery.discover(commune="75056")["results"]
        for slug in ("atelier-textile-circulaire", "fonds-sols-vivants"):
            view = discovery.funder_view(
                commons=discovery.commons_selectors.commons_get_public(slug=slug)
            )
            assert view["books"]["total_assets_cents"] > 0
