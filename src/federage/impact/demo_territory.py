"""Demo taxonomy and territories: every demo commons classified and located, as its steward would.

Called by demo/loader.demo_load() after demo_load_resources(). The commune codes are those of the
COG 2026 (checked in impact/tests/test_demo_territory.py): Roubaix 59512 (Nord, Hauts-de-France),
Auch 32013 (Gers, Occitanie), Paris 75056 (Île-de-France). Carto Libre works online: no location.
"""

from __future__ import annotations

from federage.accounts import selectors as account_selectors
from federage.commons import selectors as commons_selectors
from federage.impact import taxonomy
from federage.resources import selectors as resource_selectors

# slug, steward's email, terms, commune code (None: acts nowhere in particular)
CLASSIFICATIONS = (
    (
        "atelier-textile-circulaire",
        "camille.martin@demo.federage.fr",
        [
            "production-circulaire",
            "production-circulaire.textile",
            "production-circulaire.reparation",
        ],
        "59512",
    ),
    (
        "fonds-sols-vivants",
        "yannick.legoff@demo.federage.fr",
        ["alimentation.agroecologie", "climat.sequestration", "biodiversite"],
        "32013",
    ),
    (
        "sols-vivants-parcelles-gers",
        "yannick.legoff@demo.federage.fr",
        ["alimentation.agroecologie", "biodiversite.sols-vivants", "climat.sequestration"],
        "32013",
    ),
    (
        "carto-libre",
        "marc.dupuis@demo.federage.fr",
        [
            "communs-numeriques",
            "communs-numeriques.logiciel-libre",
            "communs-numeriques.cartographie",
        ],
        None,
    ),
    (
        "cercle-des-financeurs",
        "sofia.rossi@demo.federage.fr",
        ["solidarites.economie-sociale"],
        "75056",
    ),
)
# commons slug → {resource key: terms}
RESOURCE_TERMS = {
    "atelier-textile-circulaire": {
        "surjeteuse": ["production-circulaire.textile", "production-circulaire.reparation"],
        "table-de-coupe": ["production-circulaire.textile"],
    },
    "fonds-sols-vivants": {
        "prairie": ["biodiversite.sols-vivants", "climat.sequestration"],
    },
}


def demo_load_territories() -> None:
    for slug, email, terms, commune_code in CLASSIFICATIONS:
        steward = account_selectors.user_by_email(email=email)
        if steward is None:
            continue
        taxonomy.commons_classify(
            user=steward, commons_slug=slug, terms=terms, commune_code=commune_code
        )
        by_key = RESOURCE_TERMS.get(slug, {})
        if not by_key:
            continue
        commons = commons_selectors.commons_get_visible(user=steward, slug=slug)
        for row in resource_selectors.resources_of(commons=commons):
            if row["key"] in by_key:
                taxonomy.resource_classify(
                    user=steward, resource_id=row["id"], terms=by_key[row["key"]]
                )
