"""Two demo commons exchange value at their own valuations through the screens, on a phone: one steward
proposes, the other commons' steward opens its vote, each side decides; both books and both decision logs
show the exchange."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from federage.accounts import selectors as account_selectors
from federage.agents import selectors as agent_selectors
from federage.core.errors import ApplicationError
from federage.demo.loader import DEMO_PASSWORD, demo_load
from federage.federation import selectors as federation_selectors
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services

pytestmark = pytest.mark.browser

WORKSHOP = "atelier-textile-circulaire"
FUND = "fonds-sols-vivants"
# Screenshots to look at after a run (a phone's width).
SHOTS = Path(tempfile.gettempdir()) / "federation-shots"
EMAILS = [
    "camille.martin",
    "yannick.legoff",
    "aicha.benali",
    "louis.bernard",
    "sofia.rossi",
    "marc.dupuis",
    "ines.moreau",
]


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _login(browser: Browser, app_url: str, email: str, next_path: str) -> Page:
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(f"{app_url}/login?next={next_path}")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))
    return page


def _vote_through(proposal_id: int) -> None:
    """Every demo person votes for, in each of their agents' names, until the vote is decided."""
    users = [account_selectors.user_by_email(email=f"{key}@demo.federage.fr") for key in EMAILS]
    for user in users:
        agents = [None, *[a.pk for a in agent_selectors.agents_of_user(user=user)]]
        for agent_id in agents:
            if governance_selectors.proposal_get(proposal_id=proposal_id).status != "open":
                return
            try:
                governance_services.ballot_cast(
                    user=user, proposal_id=proposal_id, choice="for", agent_id=agent_id
                )
            except ApplicationError:
                continue


def _no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_two_commons_exchange_at_their_own_values(browser: Browser, app_url: str) -> None:
    demo_load()
    # The workshop's steward proposes: 40 hours of workshop capacity against the fund's fibre crop service.
    camille = _login(
        browser, app_url, "camille.martin@demo.federage.fr", f"/c/{WORKSHOP}/exchanges"
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
    _shot(camille, "01-propose-form")
    form.get_by_role("button", name="Proposer l’échange").click()
    camille.wait_for_url(re.compile(rf"/c/{WORKSHOP}/exchanges/\d+$"))
    exchange_id = int(camille.url.rsplit("/", 1)[1])
    expect(camille.get_by_test_id("approval-a")).to_contain_text("vote en cours")
    expect(camille.get_by_test_id("approval-b")).to_contain_text("vote pas encore ouvert")
    # Our own view: received 900 € at our value, given 800 € (no book value for a use).
    expect(camille.get_by_test_id("equity-change")).to_contain_text("900,00")
    _no_horizontal_scroll(camille)
    _shot(camille, "02-exchange-proposed")

    # The fund's steward opens its own vote on the same terms.
    yannick = _login(
        browser, app_url, "yannick.legoff@demo.federage.fr", f"/c/{FUND}/exchanges/{exchange_id}"
    )
    expect(yannick.get_by_test_id("approval-b")).to_contain_text("vote pas encore ouvert")
    yannick.get_by_test_id("open-vote").click()
    expect(yannick.get_by_test_id("approval-b")).to_contain_text("vote en cours")
    _shot(yannick, "03-other-side-voting")

    exchange = federation_selectors.exchange_row(exchange_id=exchange_id)
    # One side only: nothing moves.
    _vote_through(exchange["proposal_a_id"])
    assert federation_selectors.exchange_row(exchange_id=exchange_id)["state"] != "executed"
    _vote_through(exchange["proposal_b_id"])
    done = federation_selectors.exchange_row(exchange_id=exchange_id)
    assert done["state"] == "executed", done

    # Both sides see it executed, with an entry in each book, and a passed decision on each side.
    yannick.reload()
    expect(yannick.get_by_test_id("exchange-state")).to_have_text("exécuté")
    expect(yannick.get_by_test_id("approval-a")).to_contain_text("adopté")
    expect(yannick.get_by_test_id("approval-b")).to_contain_text("adopté")
    entries = yannick.get_by_test_id("exchange-entries").get_by_role("link")
    expect(entries).to_have_count(2)
    _no_horizontal_scroll(yannick)
    _shot(yannick, "04-executed-fund")

    camille.goto(f"{app_url}/c/{WORKSHOP}/books/entries/{done['entry_a_id']}")
    expect(camille.locator("main")).to_contain_text(f"Échange n° {exchange_id}")
    _shot(camille, "05-workshop-entry")
    yannick.goto(f"{app_url}/c/{FUND}/books/entries/{done['entry_b_id']}")
    expect(yannick.locator("main")).to_contain_text(f"Échange n° {exchange_id}")
    _shot(yannick, "06-fund-entry")

    for page, slug, decision in (
        (camille, WORKSHOP, done["decision_a_id"]),
        (yannick, FUND, done["decision_b_id"]),
    ):
        page.goto(f"{app_url}/c/{slug}/decisions")
        expect(page.locator(f"#decision-{decision}")).to_contain_text("Échange avec")
    _shot(yannick, "07-fund-decisions")

    # The list of the workshop's exchanges shows it executed, and the network draws the link.
    camille.goto(f"{app_url}/c/{WORKSHOP}/exchanges")
    expect(camille.get_by_test_id(f"exchange-{exchange_id}")).to_contain_text("exécuté")
    _shot(camille, "08-workshop-exchanges")
    camille.goto(f"{app_url}/explore/network")
    expect(camille.get_by_test_id("network-links")).to_contain_text("Fonds Sols Vivants")
    expect(camille.get_by_test_id("network-flows")).to_contain_text("Atelier textile circulaire")
    _no_horizontal_scroll(camille)
    _shot(camille, "09-network")
