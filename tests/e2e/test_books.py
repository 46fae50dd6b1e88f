"""The books in a real browser: a member reads the balance sheet, downloads it as CSV, follows an entry to its decision."""

import re

import pytest
from playwright.sync_api import Browser, expect

from federage.core import clock
from federage.core.money import Money
from federage.governance import services as governance_services
from federage.governance.models import Decision
from federage.ledger import services as ledger_services
from federage.ledger.domain import LineInput

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"  # as the root conftest's make_user sets it


def post(
    commons,
    steward,
    key: str,
    journal: str,
    label: str,
    debit: str,
    credit: str,
    cents: int,
    **auth,
):
    return ledger_services.entry_post(
        commons_id=commons.pk,
        journal=journal,
        entry_date=clock.today(),
        label=label,
        piece_ref=key.upper(),
        lines=[LineInput(debit, debit=Money(cents)), LineInput(credit, credit=Money(cents))],
        idempotency_key=f"e2e:{key}",
        authorised_by={"source_type": "manual", **auth},
        actor_user_id=steward.pk,
    )


def test_a_member_reads_the_books(browser: Browser, app_url: str, make_user, make_commons) -> None:
    sophie = make_user("sophie@example.org", "Sophie Gestion")
    marc = make_user("marc@example.org", "Marc Potager")
    commons = make_commons(
        sophie, slug="jardin-partage", name="Jardin partagé", members={marc: ["contributor"]}
    )
    # A decision to point the purchase at: Marc is the only voter, so his ballot settles it.
    proposal = governance_services.proposal_open(
        user=sophie, commons_id=commons.pk, kind="free_motion", title="Acheter des graines"
    )
    governance_services.ballot_cast(user=marc, proposal_id=proposal.pk, choice="for")
    decision = Decision.objects.get(proposal=proposal)

    post(commons, sophie, "ap1", "AP", "Apport de Sophie", "512", "1013", 100_000)
    purchase = post(
        commons,
        sophie,
        "ac1",
        "AC",
        "Graines et terreau",
        "606",
        "512",
        23_456,
        decision_id=decision.pk,
    )
    post(commons, sophie, "ve1", "VE", "Redevances d'usage du jardin", "512", "706", 150_000)

    page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{app_url}/login?next=/c/jardin-partage")
    page.get_by_label("Adresse électronique").fill(marc.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{app_url}/c/jardin-partage")

    page.get_by_role("link", name="Comptes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comptes de « Jardin partagé »")
    expect(page.get_by_role("heading", level=2, name="Bilan")).to_be_visible()
    # 1 000,00 + 1 500,00 − 234,56 in the bank; capital 1 000,00 and a result of 1 265,44.
    expect(page.get_by_test_id("total-actif")).to_have_text(re.compile(r"^2\s265,44\s€$"))
    expect(page.get_by_test_id("total-passif")).to_have_text(re.compile(r"^2\s265,44\s€$"))
    actif = page.get_by_role("region", name="Actif")
    expect(actif).to_contain_text("Banque")
    # On a 360 px phone the tables scroll inside their region, not the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger « Bilan » (CSV)").click()
    download = info.value
    assert re.fullmatch(r"bilan-jardin-partage-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8-sig") as csv_file:
        text = csv_file.read()
    assert "512" in text
    assert "Banque" in text

    tabs = page.get_by_role("navigation", name="Rapports")
    tabs.get_by_role("link", name="Compte de résultat").click()
    expect(page.get_by_test_id("result")).to_have_text(re.compile(r"^1\s265,44\s€$"))

    tabs.get_by_role("link", name="Grand livre").click()
    page.get_by_label("Compte à afficher").select_option("512")
    page.get_by_role("button", name="Afficher").click()
    ledger = page.get_by_role("table", name=re.compile("Grand livre — 512"))
    expect(ledger.locator("tbody tr")).to_have_count(4)  # the opening balance and three movements
    expect(ledger.locator("tfoot")).to_contain_text(re.compile(r"2\s265,44\s€"))

    tabs.get_by_role("link", name="Journal").click()
    expect(page.get_by_text("3 écritures")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^AC")).click()
    expect(page).to_have_url(f"{app_url}/c/jardin-partage/books/entries/{purchase.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Écriture AC")
    expect(page.get_by_role("table", name="Lignes")).to_contain_text("606")
    expect(page.locator("code.hash").first).to_have_text(purchase.hash)
    page.get_by_role("link", name="Voir la décision qui l’autorise").click()
    expect(page).to_have_url(f"{app_url}/c/jardin-partage/decisions#decision-{decision.pk}")
    expect(page.locator(f"#decision-{decision.pk}")).to_contain_text("Acheter des graines")

    # In English, the statements speak English: the PCG headings and the default chart's
    # account names too, not only the screen around them.
    page.get_by_role("button", name="Switch to English").click()
    page.goto(f"{app_url}/c/jardin-partage/books")
    assets = page.get_by_role("region", name="Assets")
    expect(assets).to_contain_text("Cash")
    expect(assets).to_contain_text("Bank")
    liabilities = page.get_by_role("region", name="Liabilities and equity")
    expect(liabilities).to_contain_text("Capital – cash contributions")
    expect(liabilities).to_contain_text("Result of the current year")
    for french in ("Disponibilités", "Banque", "Capital et apports", "Résultat de l"):
        expect(page.locator("main")).not_to_contain_text(french)
    tabs = page.get_by_role("navigation", name="Reports")
    tabs.get_by_role("link", name="Income statement").click()
    expect(page.locator("main")).to_contain_text("Purchases of supplies")
    expect(page.locator("main")).to_contain_text("Sales and fees")
    expect(page.locator("main")).not_to_contain_text("Achats")
