"""Small things users expect: wanted contributions published, closed and shown publicly; a queued
contribution listed as pending; the last sync's time; the transfer form's value, tax and payer."""

import re

import pytest
from playwright.sync_api import Browser, expect

from federage.agents import services as agent_services
from federage.commons import services as commons_services
from federage.contributions import services as contribution_services
from federage.contributions.models import Need
from federage.contributions.tests.scene import accept, build, propose
from federage.testing import browser_log_in, record_labour

pytestmark = pytest.mark.browser


def test_a_steward_publishes_and_closes_a_wanted_contribution_shown_publicly(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    scene = build(make_user, make_commons)
    scene.commons.visibility = "public"
    scene.commons.save(update_fields=["visibility"])
    steward = browser_log_in(browser, app_url, scene.steward, f"/c/{scene.slug}")
    needs = steward.get_by_test_id("commons-needs")
    expect(needs).to_contain_text("Aucun apport recherché pour l’instant.")
    needs.get_by_label("Nature de l’apport").select_option("in_kind")
    needs.get_by_label("Titre", exact=True).fill("Une surjeteuse")
    needs.get_by_label("Montant visé (€)").fill("abc")
    needs.get_by_role("button", name="Publier").click()
    expect(needs.get_by_text("Montant illisible (deux décimales au plus).")).to_be_visible()
    needs.get_by_label("Montant visé (€)").fill("800")
    needs.get_by_role("button", name="Publier").click()
    card = needs.locator("li.need", has_text="Une surjeteuse")
    expect(card).to_contain_text("Objectif : 800,00\u00a0€")
    need = Need.objects.get(title="Une surjeteuse")
    assert (need.kind, need.target_cents, need.is_open) == ("in_kind", 80_000, True)

    # A member who is no steward sees it, with no form and no button to close it.
    member = browser_log_in(browser, app_url, scene.contributor, f"/c/{scene.slug}")
    expect(member.get_by_test_id("commons-needs")).to_contain_text("Une surjeteuse")
    expect(member.get_by_role("button", name="Publier")).to_have_count(0)
    expect(member.get_by_role("button", name="Clore")).to_have_count(0)

    # Anybody sees it on the public page.
    visitor = browser.new_context().new_page()
    visitor.goto(f"{app_url}/explore/{scene.slug}")
    expect(visitor.get_by_test_id("public-needs")).to_contain_text("Une surjeteuse")
    expect(visitor.get_by_test_id("public-needs")).to_contain_text("Objectif : 800,00\u00a0€")

    card.get_by_role("button", name="Clore").click()
    expect(needs).to_contain_text("Aucun apport recherché pour l’instant.")
    need.refresh_from_db()
    assert not need.is_open
    visitor.reload()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(scene.commons.name)
    expect(visitor.get_by_test_id("public-needs")).to_have_count(0)


def test_a_queued_contribution_is_listed_pending_and_the_last_sync_has_its_time(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    scene = build(make_user, make_commons)
    camille = browser_log_in(browser, app_url, scene.contributor, "/sync")
    camille.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    expect(
        camille.get_by_text(re.compile(r"Dernière synchronisation\s: .+ à \d{2}:\d{2}"))
    ).to_be_visible()

    camille.goto(f"{app_url}/c/{scene.slug}/contributions")
    expect(camille.get_by_text("Aucun apport.")).to_be_visible()
    camille.context.set_offline(True)
    camille.goto(f"{app_url}/c/{scene.slug}/contributions/new")
    record_labour(camille, "Taille des haies", hours="3")
    expect(camille).to_have_url(f"{app_url}/c/{scene.slug}/contributions")
    queued = camille.get_by_test_id("queued-contributions")
    expect(queued).to_contain_text("Taille des haies")
    expect(queued).to_contain_text("en attente d’envoi")
    expect(queued).to_contain_text("60,00\u00a0€")

    camille.context.set_offline(False)
    expect(camille.get_by_test_id("queued-contributions")).to_have_count(0)
    listed = camille.locator("li.contribution", has_text="Taille des haies")
    expect(listed).to_contain_text("brouillon")


def test_the_transfer_form_shows_value_tax_and_who_pays_before_sending(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    scene = build(make_user, make_commons)
    accept(scene, proposed_price_cents=100_000)  # Camille holds 100 titles worth 10,00 € each
    camille = browser_log_in(browser, app_url, scene.contributor, f"/c/{scene.slug}/titles")
    form = camille.locator("form.transfer-form")
    expect(form.get_by_test_id("terms-unit-value")).to_have_text("10,00\u00a0€")
    expect(form.get_by_test_id("transfer-terms")).to_contain_text(
        "100 titres, valant 1\u202f000,00\u00a0€"
    )
    form.get_by_label("Nombre de titres").fill("12,5")
    form.get_by_label("Prix convenu par titre (€)").fill("12")
    expect(form.get_by_test_id("transfer-total")).to_have_text("150,00\u00a0€")
    expect(form.get_by_test_id("terms-value")).to_have_text("125,00\u00a0€")
    expect(form.get_by_test_id("terms-tax")).to_have_text("1,50\u00a0€")
    expect(form.get_by_test_id("transfer-terms")).to_contain_text(
        "Taxe de cession (1\u00a0% du prix)"
    )
    expect(form.get_by_test_id("terms-payer")).to_have_text("l’acheteur, au commun")


def test_an_organisation_counters_and_the_contributor_is_notified(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    scene = build(make_user, make_commons)
    contribution = propose(scene, title="Tondeuse", proposed_price_cents=50_000)
    contribution_services.contribution_submit(
        user=scene.contributor, contribution_id=contribution.pk
    )
    olga = make_user(name="Olga Organisatrice")
    cooperative = agent_services.agent_create(
        user=olga, kind="association", display_name="Coopérative des Prix"
    )
    commons_services.membership_admit(
        commons_id=scene.commons.pk, agent_id=cooperative.pk, roles=["approver"], actor_user_id=None
    )
    page = browser_log_in(browser, app_url, olga, f"/contributions/{contribution.pk}")
    form = page.locator("form.counter")
    # Olga is a member only through the cooperative: the selector is shown, with it chosen.
    acting = form.get_by_label("Au nom de")
    expect(acting.locator("option:checked")).to_contain_text("Coopérative des Prix")
    form.get_by_label("Prix proposé en retour (€)").fill("400")
    form.get_by_label("Pourquoi ce prix ?").fill("Prix du marché")
    form.get_by_role("button", name="Envoyer la contre-proposition").click()
    expect(page.locator("form.counter")).to_have_count(0)
    contribution.refresh_from_db()
    assert (contribution.state, contribution.counter_price_cents) == ("countered", 40_000)

    camille = browser_log_in(browser, app_url, scene.contributor, "/notifications")
    notice = camille.locator("li.notification", has_text="Contre-proposition sur votre apport")
    expect(notice).to_contain_text("Tondeuse")
    expect(notice).to_contain_text("contre-proposition : 400,00\u00a0€")
    notice.get_by_role("link").click()
    expect(camille).to_have_url(f"{app_url}/contributions/{contribution.pk}")
