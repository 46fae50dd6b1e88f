"""The legal vehicle in the browser, on a phone: read and accept the SEP contract, download a
certificate of one's titles and check it on the public page logged out; and register an
organisation from its SIREN against a local fake of the company directory."""

import pytest
from playwright.sync_api import Browser, expect
from tests.e2e.phone import PHONE, log_in, no_sideways_scroll

from federage.agents import directory
from federage.agents.tests.fake_directory import FakeDirectory
from federage.demo.loader import DEMO_PASSWORD, demo_load

pytestmark = pytest.mark.browser

ATELIER = "atelier-textile-circulaire"


def test_read_accept_certify_and_verify(browser: Browser, app_url: str) -> None:
    demo_load()
    page = log_in(
        browser, app_url, "ines.moreau@demo.federage.fr", DEMO_PASSWORD, f"/c/{ATELIER}/contract"
    )

    # Read: the sections of the contract in force, in French, with its fingerprint.
    expect(page.get_by_test_id("contract-version")).to_contain_text("Version")
    sections = page.locator("article.contract section")
    expect(sections.first).to_be_visible()
    assert sections.count() >= 5
    expect(page.locator("article.contract")).to_contain_text("parts d'intérêt")
    no_sideways_scroll(page)

    # Inès has not accepted the version in force: the table says so, then she accepts it.
    ines_row = page.get_by_test_id("acceptances").locator("tr").filter(has_text="Inès Moreau")
    expect(ines_row).to_contain_text("N’a pas accepté la version en vigueur")
    page.get_by_role("button", name="J’accepte la version").click()
    expect(page.get_by_test_id("accepted-mine")).to_contain_text("Inès Moreau a accepté la version")
    expect(ines_row).to_contain_text("À jour")

    # The PDF of the contract downloads and is a PDF.
    pdf = page.request.get(app_url + page.get_by_test_id("contract-pdf").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # A certificate of her titles in the workshop, from the portfolio.
    page.goto(f"{app_url}/portfolio")
    row = page.locator(f"tr[data-commons='{ATELIER}']")
    units = row.get_by_test_id("units").inner_text()
    row.get_by_test_id("certificate-request").click()
    certificate = page.locator(f"[data-testid=certificate][data-commons='{ATELIER}']")
    expect(certificate).to_be_visible()
    document = page.request.get(
        app_url + certificate.get_by_test_id("certificate-pdf").get_attribute("href")
    )
    assert document.ok and document.body().startswith(b"%PDF")
    verify_path = certificate.get_by_test_id("certificate-verify").get_attribute("href")
    no_sideways_scroll(page)

    # Anyone, logged out, checks it: valid, with the holder and the titles.
    public = browser.new_context(viewport=PHONE).new_page()
    public.goto(f"{app_url}{verify_path}")
    verdict = public.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-status", "valid")
    # A natural person's name is not public without their consent; the titles are.
    expect(public.get_by_test_id("holder")).to_have_text("Personne physique (nom non public)")
    expect(public.get_by_test_id("certified-units")).to_have_text(units)
    no_sideways_scroll(public)

    # An altered code is unknown; a code typed in the form is checked too.
    code = verify_path.rsplit("/", 1)[1]
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    public.goto(f"{app_url}/verify")
    public.get_by_label("Code de vérification").fill(altered)
    public.get_by_role("button", name="Vérifier").click()
    expect(public.get_by_test_id("verdict")).to_have_attribute("data-status", "unknown")
    public.get_by_label("Code de vérification").fill(f"{app_url}/verify/{code}")
    public.get_by_role("button", name="Vérifier").click()
    expect(public.get_by_test_id("verdict")).to_have_attribute("data-status", "valid")

    # The contract follows the language switch.
    page.goto(f"{app_url}/c/{ATELIER}/contract")
    page.get_by_role("button", name="Switch to English").click()
    expect(page.locator("article.contract")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("accepted-mine")).to_contain_text("Inès Moreau accepted version")


def test_an_organisation_registers_from_its_siren(
    browser: Browser, app_url: str, settings, monkeypatch
) -> None:
    demo_load()
    with FakeDirectory() as fake:
        # The live server runs in this process: the settings and the client are its own.
        monkeypatch.setattr(directory, "_client", None)
        settings.DIRECTORY_URL = fake.url
        page = log_in(browser, app_url, "ines.moreau@demo.federage.fr", DEMO_PASSWORD, "/agents")

        # An invalid number is refused on the device, before any request.
        page.get_by_label("SIREN, SIRET ou nom").fill("356000001")
        page.get_by_role("button", name="Rechercher", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("Saisissez un SIREN")
        assert fake.requests == []

        # A SIREN the directory does not know: its message by code, manual entry still open.
        page.get_by_label("SIREN, SIRET ou nom").fill("732 829 320")
        page.get_by_role("button", name="Rechercher", exact=True).click()
        expect(page.get_by_role("alert")).to_contain_text("Aucune entreprise trouvée")

        # A closed company pre-fills the form and is flagged.
        page.get_by_label("SIREN, SIRET ou nom").fill("812345676")
        page.get_by_role("button", name="Rechercher", exact=True).click()
        expect(page.get_by_test_id("directory-closed")).to_contain_text(
            "Entreprise fermée depuis le 30/06/2023"
        )
        expect(page.get_by_label("Nom", exact=True)).to_have_value("ATELIER TEXTILE PARTAGE")
        expect(page.get_by_label("Code postal")).to_have_value("69004")
        expect(page.get_by_label("Commune", exact=True)).to_have_value("LYON")
        expect(page.get_by_label("Code commune INSEE")).to_have_value("69384")
        no_sideways_scroll(page)
        page.get_by_role("button", name="Ajouter la structure").click()
        card = page.get_by_test_id("agent-card").filter(has_text="ATELIER TEXTILE PARTAGE")
        expect(card).to_contain_text("Fermée")
        expect(card).to_contain_text("Société par actions simplifiée (SAS)")

        # A name search lists the matches; one is chosen.
        page.get_by_label("SIREN, SIRET ou nom").fill("cooperative")
        page.get_by_role("button", name="Rechercher", exact=True).click()
        expect(page.get_by_test_id("directory-result")).to_have_count(2)
        page.get_by_role("button", name="Utiliser COOPERATIVE DES SOLS VIVANTS (CSV)").click()
        expect(page.get_by_label("Code commune INSEE")).to_have_value("2A004")
        expect(page.get_by_label("Type")).to_have_value("cooperative")
        assert [request["query"]["q"] for request in fake.requests] == [
            "732829320",
            "812345676",
            "cooperative",
        ]
