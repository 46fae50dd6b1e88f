"""The foundation flow in a real browser: sign up, create a commons, invite, accept; and the offline app shell."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def sign_up(page: Page, base: str, email: str, name: str, next_path: str = "") -> None:
    page.goto(f"{base}/signup" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Nom affiché").fill(name)
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_text(f"Connecté·e : {name}")).to_be_visible()


def test_create_invite_accept(browser: Browser, app_url: str) -> None:
    alice = browser.new_context().new_page()
    sign_up(alice, app_url, "alice@example.org", "Alice Martin")

    alice.get_by_role("link", name="Créer un commun").click()
    alice.get_by_label("Nom", exact=True).fill("Atelier textile circulaire")
    alice.get_by_label("Nom court (adresse)").fill("atelier-textile")
    alice.get_by_label("Raison d’être").fill("Des machines à coudre partagées par des créatrices.")
    alice.get_by_role("button", name="Créer le commun").click()
    expect(alice).to_have_url(f"{app_url}/c/atelier-textile")
    expect(alice.get_by_role("heading", level=1)).to_have_text("Atelier textile circulaire")
    expect(alice.get_by_text("1 membre")).to_be_visible()

    alice.get_by_role("link", name="Membres et invitations").click()
    alice.get_by_label("Adresse de la personne invitée").fill("bruno@example.org")
    alice.get_by_role("group", name="Rôles proposés").get_by_label("validateur").check()
    alice.get_by_role("button", name="Inviter").click()
    link = alice.locator(".invitation-link a")
    expect(link).to_have_count(1)
    invitation_url = link.get_attribute("href")
    assert invitation_url and re.search(r"/invitations/[^/]+$", invitation_url)
    token_path = re.sub(r"^https?://[^/]+", "", invitation_url)

    bruno = browser.new_context().new_page()
    bruno.goto(f"{app_url}{token_path}")
    expect(
        bruno.get_by_text("Vous êtes invité·e à rejoindre le commun « Atelier textile circulaire »")
    ).to_be_visible()
    bruno.get_by_role("link", name="Créer un compte").last.click()
    bruno.get_by_label("Nom affiché").fill("Bruno Leroy")
    bruno.get_by_label("Adresse électronique").fill("bruno@example.org")
    bruno.get_by_label("Mot de passe").fill(PASSWORD)
    bruno.get_by_role("button", name="Créer mon compte").click()
    expect(bruno).to_have_url(f"{app_url}{token_path}")
    bruno.get_by_role("button", name="Accepter l’invitation").click()
    expect(bruno).to_have_url(f"{app_url}/c/atelier-textile/members")

    for page in (bruno, alice):
        page.goto(f"{app_url}/c/atelier-textile/members")
        members = page.locator("li.member")
        expect(members).to_have_count(2)
        expect(members.filter(has_text="Alice Martin")).to_contain_text("gestionnaire")
        expect(members.filter(has_text="Bruno Leroy")).to_contain_text("validateur")

    alice.goto(f"{app_url}/c/atelier-textile")
    expect(alice.get_by_text("2 membres")).to_be_visible()


def test_language_switch_and_refusal_by_code(page: Page, app_url: str) -> None:
    sign_up(page, app_url, "carla@example.org", "Carla")
    page.get_by_role("button", name="Switch to English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{app_url}/commons/new")
    page.get_by_label("Name", exact=True).fill("Soil fund")
    page.get_by_label("Short name (address)").fill("ab")
    page.get_by_role("button", name="Create the commons").click()
    expect(
        page.get_by_text("Short name: lowercase letters, digits and hyphens (3 to 50).").first
    ).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a commons")


def test_service_worker_serves_the_shell_offline(page: Page, app_url: str) -> None:
    page.goto(app_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Federage\u00a0: les livres en euros des communs"
    )
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    page.context.set_offline(True)
    page.goto(f"{app_url}/c/any-commons")
    expect(page.get_by_text("Hors ligne")).to_be_visible()
    page.reload()
    expect(page.get_by_role("link", name="Federage")).to_be_visible()
    page.context.set_offline(False)


def test_a_command_made_offline_is_sent_when_back_online(page: Page, app_url: str) -> None:
    sign_up(page, app_url, "dora@example.org", "Dora")
    page.get_by_role("link", name="Mes structures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes structures")

    page.context.set_offline(True)
    page.get_by_label("Type").select_option("cooperative")
    page.get_by_label("Nom", exact=True).fill("Coopérative des fermes")
    page.get_by_label("SIREN", exact=True).fill("900200007")  # a cooperative is in SIRENE
    page.get_by_role("button", name="Ajouter la structure").click()
    expect(page.get_by_role("link", name="1 opération en attente")).to_be_visible()
    expect(page.get_by_text("Enregistré sur cet appareil")).to_be_visible()

    page.context.set_offline(False)
    expect(page.get_by_role("link", name="1 opération en attente")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", name="Coopérative des fermes")).to_be_visible()
