"""The contribution chain in real browsers: propose with evidence, counter-offer, accept the counter, vote, titles issued."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from federage.contributions.tests.scene import accept, build
from federage.testing import PASSWORD

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def log_in(browser: Browser, app_url: str):
    """Opens a browser context per user, logged in through the login form; closed after the test."""
    contexts = []

    def open_page(user, path: str) -> Page:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{app_url}/login?next={path}")
        page.get_by_label("Adresse électronique").fill(user.email)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_text(f"Connecté·e : {user.display_name}")).to_be_visible()
        expect(page).to_have_url(f"{app_url}{path}")
        return page

    yield open_page
    for context in contexts:
        context.close()


def amount(text: str) -> re.Pattern:
    """A French amount whatever the (narrow) no-break spaces: `1 400,00 €`."""
    return re.compile(r"\s".join(re.escape(part) for part in text.split(" ")))


def test_propose_counter_accept_vote_titles(log_in, app_url: str, make_user, make_commons) -> None:
    scene = build(make_user, make_commons)
    slug = scene.slug

    # The contributor proposes 35 h × 45,50 € in two steps, attaches a quote and submits it.
    camille = log_in(scene.contributor, f"/c/{slug}/contributions")
    camille.get_by_role("link", name="Proposer un apport").click()
    expect(camille.get_by_test_id("step-title")).to_have_text("Étape 1 sur 3 : Détails")
    camille.get_by_label("industrie").check()
    camille.get_by_label("Titre", exact=True).fill("Réglage des machines à coudre")
    camille.get_by_label("Description").fill("Révision complète des six machines.")
    camille.get_by_label("Quantité", exact=True).fill("35")
    camille.get_by_label("Unité", exact=True).fill("heures")
    camille.get_by_label("Prix unitaire (€)").fill("45,50")
    expect(camille.get_by_test_id("contribution-total")).to_have_text(amount("1 592,50 €"))
    camille.get_by_role("button", name="Vérifier").click()
    expect(camille.get_by_test_id("step-title")).to_have_text("Étape 2 sur 3 : Confirmation")
    expect(camille.get_by_test_id("summary-total")).to_have_text(amount("1 592,50 €"))
    camille.get_by_role("button", name="Enregistrer l’apport").click()
    expect(camille.get_by_test_id("step-title")).to_have_text(
        "Étape 3 sur 3 : Pièces et soumission"
    )
    camille.get_by_label("Ajouter une pièce (photo, PDF, tableur…)").set_input_files(
        {"name": "devis.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    camille.get_by_role("button", name="Envoyer la pièce").click()
    expect(camille.get_by_role("link", name="devis.pdf")).to_be_visible()
    camille.get_by_role("button", name="Soumettre au vote").click()
    expect(camille).to_have_url(re.compile(rf"{app_url}/contributions/\d+$"))
    contribution_path = camille.url.removeprefix(app_url)
    expect(camille.get_by_test_id("contribution-state")).to_have_text("vote en cours")
    expect(camille.get_by_role("link", name="devis.pdf")).to_be_visible()
    # The contributor never votes on their own contribution: the refusal is shown by its code.
    expect(camille.get_by_text("On ne vote pas sur sa propre proposition.")).to_be_visible()

    # An approver counters at 1 400 €.
    alice = log_in(scene.approver1, contribution_path)
    expect(alice.get_by_role("heading", level=1)).to_have_text("Réglage des machines à coudre")
    alice.get_by_label("Prix proposé en retour (€)").fill("1 400")
    alice.get_by_label("Pourquoi ce prix ?").fill("Tarif de l’atelier : 40 € de l’heure.")
    alice.get_by_role("button", name="Envoyer la contre-proposition").click()
    expect(alice.get_by_test_id("contribution-state")).to_have_text("contre-proposition")
    expect(alice.get_by_test_id("counter-price")).to_have_text(amount("1 400,00 €"))

    # The contributor accepts the counter-offer: a new vote opens at the new price.
    camille.reload()
    expect(camille.get_by_test_id("counter-offer")).to_contain_text(amount("1 400,00 €"))
    camille.get_by_label("Commentaire", exact=True).fill("D’accord pour 40 € de l’heure.")
    camille.get_by_role("button", name="Accepter la contre-proposition").click()
    expect(camille.get_by_test_id("contribution-state")).to_have_text("vote en cours")
    expect(camille.get_by_test_id("proposed-price")).to_have_text(amount("1 400,00 €"))
    history = camille.locator(".history")
    expect(history).to_contain_text("contre-proposition acceptée")
    expect(history).to_contain_text("Tarif de l’atelier : 40 € de l’heure.")

    # Both approvers vote for: the vote closes early and the contribution is validated.
    arthur = log_in(scene.approver2, contribution_path)
    alice.reload()
    for page in (alice, arthur):
        page.get_by_role("group", name="Votre vote").get_by_role("button", name="Pour").click()
        expect(page.get_by_role("status")).to_contain_text("Vote enregistré : Pour.")
    arthur.reload()
    expect(arthur.get_by_test_id("contribution-state")).to_have_text("validé")
    expect(arthur.get_by_test_id("vote-status")).to_have_text("adoptée")

    # 1 400 € at the initial unit value of 10 €: 140 titles, in the portfolio and the cap table.
    camille.goto(f"{app_url}/portfolio")
    row = camille.locator(f"tr[data-commons='{slug}']")
    expect(row.get_by_test_id("units")).to_have_text("140")
    expect(row).to_contain_text(amount("1 400,00 €"))
    expect(camille.get_by_test_id("contributions-validated")).to_contain_text(
        "Réglage des machines à coudre"
    )
    row.get_by_role("link").click()
    expect(camille).to_have_url(f"{app_url}/c/{slug}/titles")
    holder = camille.get_by_role("table", name="Registre des titres").get_by_role(
        "row", name=re.compile("Camille Contributor")
    )
    expect(holder).to_contain_text("140")
    expect(holder).to_contain_text("100 %")
    expect(holder).to_contain_text(amount("1 400,00 €"))


def test_a_holder_transfers_titles_and_the_buyer_accepts(
    log_in, app_url: str, make_user, make_commons
) -> None:
    scene = build(make_user, make_commons)
    slug = scene.slug
    accept(scene, title="Apport en numéraire", proposed_price_cents=50_000)  # 500 € → 50 titles

    seller = log_in(scene.contributor, f"/c/{slug}/titles")
    expect(seller.get_by_test_id("nav")).to_have_text(amount("10,00 €"))
    form = seller.locator("form.transfer-form")
    form.get_by_label("Acheteur (membre du commun)").select_option(label="Dominique Other")
    form.get_by_label("Nombre de titres").fill("60")
    form.get_by_label("Prix convenu par titre (€)").fill("12")
    expect(form.get_by_test_id("transfer-total")).to_have_text(amount("720,00 €"))
    form.get_by_role("button", name="Proposer la cession").click()
    # More titles than held: refused by its code, nothing written.
    expect(form.locator(".field-error")).to_have_text("Vous ne détenez pas assez de titres.")
    expect(form.get_by_role("alert")).to_have_text("Certaines informations sont invalides.")
    form.get_by_label("Nombre de titres").fill("10,5")
    form.get_by_role("button", name="Proposer la cession").click()
    expect(seller.get_by_role("status")).to_contain_text("Cession proposée")
    pending = seller.locator("li.transfer")
    expect(pending).to_contain_text("Camille Contributor → Dominique Other : 10,5 titres")
    expect(pending).to_contain_text("en attente")

    buyer = log_in(scene.other, f"/c/{slug}/titles")
    offer = buyer.locator("li.transfer")
    expect(offer).to_contain_text(amount("126,00 €"))
    offer.get_by_role("button", name="Accepter").click()
    expect(buyer.get_by_role("status")).to_contain_text("Cession acceptée.")
    expect(offer).to_contain_text("acceptée")
    table = buyer.get_by_role("table", name="Registre des titres")
    expect(table.get_by_role("row", name=re.compile("Dominique Other"))).to_contain_text("10,5")
    expect(table.get_by_role("row", name=re.compile("Camille Contributor"))).to_contain_text("39,5")
    expect(buyer.locator("figure.chart").filter(has_text="Prix des cessions")).to_contain_text(
        "1 point"
    )
