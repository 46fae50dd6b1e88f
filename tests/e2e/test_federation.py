"""Two demo commons exchange value at their own valuations through the screens, on a phone: one steward
proposes, the other commons' steward opens its vote, each side decides; both books and both decision logs
show the exchange."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, expect
from tests.e2e.phone import PHONE, log_in, no_sideways_scroll, shot, vote_through

from federage.accounts import selectors as account_selectors
from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core import clock
from federage.demo.loader import DEMO_PASSWORD, demo_load
from federage.federation import selectors as federation_selectors
from federage.impact import selectors as impact_selectors

pytestmark = pytest.mark.browser

WORKSHOP = "atelier-textile-circulaire"
FUND = "fonds-sols-vivants"
FEDERATION = "reseau-des-communs"
EMAILS = [
    "camille.martin",
    "yannick.legoff",
    "aicha.benali",
    "louis.bernard",
    "sofia.rossi",
    "marc.dupuis",
    "ines.moreau",
]


def _demo_voters() -> list:
    return [account_selectors.user_by_email(email=f"{key}@demo.federage.fr") for key in EMAILS]


def _agent_ids(user) -> list[int]:
    return [a.pk for a in agent_selectors.agents_of_user(user=user)]


def test_two_commons_exchange_at_their_own_values(browser: Browser, app_url: str) -> None:
    demo_load()
    # The workshop's steward proposes: 40 hours of workshop capacity against the fund's fibre crop service.
    camille = log_in(
        browser,
        app_url,
        "camille.martin@demo.federage.fr",
        DEMO_PASSWORD,
        f"/c/{WORKSHOP}/exchanges",
    )
    form = camille.get_by_test_id("exchange-form")
    form.get_by_label("L’autre commun").fill(FUND)
    form.get_by_label("Termes convenus").fill(
        "40 heures d’atelier contre la culture de 400 kg de chanvre."
    )
    give = form.get_by_test_id("legs-us")
    give.get_by_label("Nature").select_option("use")
    give.get_by_label("Désignation").fill("Capacité de l’atelier")
    give.get_by_label("Quantité").fill("40")
    give.get_by_label("Unité").fill("heures")
    give.get_by_label("Notre valeur (€)").fill("800")
    give.get_by_label("Leur valeur (€)").fill("700")
    receive = form.get_by_test_id("legs-them")
    receive.get_by_label("Nature").select_option("service")
    receive.get_by_label("Désignation").fill("Culture de fibres de chanvre")
    receive.get_by_label("Quantité").fill("400")
    receive.get_by_label("Unité").fill("kg")
    receive.get_by_label("Notre valeur (€)").fill("900")
    receive.get_by_label("Leur valeur (€)").fill("600")
    # The crop service is used over the season: a prepaid expense (486) until that day.
    used_by = clock.today() + dt.timedelta(days=90)
    receive.get_by_label("Utilisé jusqu’au").fill(used_by.isoformat())
    # What we give is the fund's to date, not ours: no such field on our side.
    expect(give.get_by_label("Utilisé jusqu’au")).to_have_count(0)
    shot(camille, "federation", "01-propose-form")
    form.get_by_role("button", name="Proposer l’échange").click()
    camille.wait_for_url(re.compile(rf"/c/{WORKSHOP}/exchanges/\d+$"))
    exchange_id = int(camille.url.rsplit("/", 1)[1])
    expect(camille.get_by_test_id("approval-a")).to_contain_text("vote en cours")
    expect(camille.get_by_test_id("approval-b")).to_contain_text("vote pas encore ouvert")
    # Our own view: received 900 € at our value, given 800 € (no book value for a use).
    expect(camille.get_by_test_id("equity-change")).to_contain_text("900,00")
    expect(camille.get_by_test_id("leg-1-consumed")).to_contain_text(
        f"utilisé jusqu’au {used_by:%d/%m/%Y}"
    )
    expect(camille.get_by_test_id("leg-0-consumed")).to_contain_text("utilisé dès l’échange")
    no_sideways_scroll(camille)
    shot(camille, "federation", "02-exchange-proposed")

    # The fund's steward opens its own vote on the same terms.
    yannick = log_in(
        browser,
        app_url,
        "yannick.legoff@demo.federage.fr",
        DEMO_PASSWORD,
        f"/c/{FUND}/exchanges/{exchange_id}",
    )
    expect(yannick.get_by_test_id("approval-b")).to_contain_text("vote pas encore ouvert")
    yannick.get_by_test_id("open-vote").click()
    expect(yannick.get_by_test_id("approval-b")).to_contain_text("vote en cours")
    shot(yannick, "federation", "03-other-side-voting")

    # An anonymous visitor watches the public page of the demo federation both commons belong to.
    visitor = browser.new_page(viewport=PHONE, locale="fr-FR")
    visitor.goto(f"{app_url}/explore/federations/{FEDERATION}")
    expect(visitor.get_by_test_id("federation-label")).to_have_text("Comptes agrégés")
    expect(visitor.get_by_test_id("federation-members")).to_contain_text("Fonds Sols Vivants")
    eliminations = visitor.get_by_test_id("eliminations")
    expect(eliminations).not_to_contain_text(f"Échange n° {exchange_id}")
    sums_before = visitor.get_by_test_id("combined-balance").inner_text()
    no_sideways_scroll(visitor)

    exchange = federation_selectors.exchange_row(exchange_id=exchange_id)
    # One side only: nothing moves.
    vote_through(exchange["proposal_a_id"], _demo_voters(), agents_of=_agent_ids)
    assert federation_selectors.exchange_row(exchange_id=exchange_id)["state"] != "executed"
    vote_through(exchange["proposal_b_id"], _demo_voters(), agents_of=_agent_ids)
    done = federation_selectors.exchange_row(exchange_id=exchange_id)
    assert done["state"] == "executed", done

    # The federation's page follows without a reload: the exchange sits in the elimination
    # journal and the members' sums moved.
    expect(eliminations).to_contain_text(f"Échange n° {exchange_id}", timeout=15_000)
    expect(visitor.get_by_test_id("combined-balance")).not_to_have_text(sums_before)
    shot(visitor, "federation", "10-federation-live")

    # Both sides see it executed, with an entry in each book, and a passed decision on each side.
    yannick.reload()
    expect(yannick.get_by_test_id("exchange-state")).to_have_text("exécuté")
    expect(yannick.get_by_test_id("approval-a")).to_contain_text("adopté")
    expect(yannick.get_by_test_id("approval-b")).to_contain_text("adopté")
    entries = yannick.get_by_test_id("exchange-entries").get_by_role("link")
    expect(entries).to_have_count(2)
    no_sideways_scroll(yannick)
    shot(yannick, "federation", "04-executed-fund")

    camille.goto(f"{app_url}/c/{WORKSHOP}/books/entries/{done['entry_a_id']}")
    expect(camille.locator("main")).to_contain_text(f"Échange n° {exchange_id}")
    shot(camille, "federation", "05-workshop-entry")
    yannick.goto(f"{app_url}/c/{FUND}/books/entries/{done['entry_b_id']}")
    expect(yannick.locator("main")).to_contain_text(f"Échange n° {exchange_id}")
    shot(yannick, "federation", "06-fund-entry")

    for page, slug, decision in (
        (camille, WORKSHOP, done["decision_a_id"]),
        (yannick, FUND, done["decision_b_id"]),
    ):
        page.goto(f"{app_url}/c/{slug}/decisions")
        expect(page.locator(f"#decision-{decision}")).to_contain_text("Échange avec")
    shot(yannick, "federation", "07-fund-decisions")

    # The list of the workshop's exchanges shows it executed, and the network draws the link.
    camille.goto(f"{app_url}/c/{WORKSHOP}/exchanges")
    expect(camille.get_by_test_id(f"exchange-{exchange_id}")).to_contain_text("exécuté")
    shot(camille, "federation", "08-workshop-exchanges")
    camille.goto(f"{app_url}/explore/network")
    expect(camille.get_by_test_id("network-links")).to_contain_text("Fonds Sols Vivants")
    expect(camille.get_by_test_id("network-flows")).to_contain_text("Atelier textile circulaire")
    no_sideways_scroll(camille)
    shot(camille, "federation", "09-network")

    # The carbon credits the fund borrowed from the Gers parcels show on its carbon objective,
    # apart from its own verified progress.
    carbon = next(
        row
        for row in impact_selectors.objectives_of_commons(
            commons_id=commons_selectors.commons_get_public(slug=FUND).pk, reader=None
        )
        if row["indicator_code"] == "ghg_avoided"
    )
    yannick.goto(f"{app_url}/c/{FUND}/objectives/{carbon['id']}")
    expect(yannick.get_by_test_id("borrowed-toward")).to_contain_text("30 tCO2e")
    expect(yannick.get_by_test_id("borrowed-toward")).to_contain_text("sols-vivants-parcelles-gers")
    no_sideways_scroll(yannick)
    shot(yannick, "federation", "11-borrowed-toward-objective")
