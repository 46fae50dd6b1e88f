"""A member withdraws a redemption request from the Titles screen; a person reads the register of
processing from the footer, downloads their data and erases their account (issue 14, 5 and 10)."""

from decimal import Decimal

import pytest
from playwright.sync_api import Browser, expect

from federage.accounts.models import User
from federage.contributions.tests.scene import accept, build
from federage.testing import PASSWORD, browser_log_in
from federage.titles import services as titles_services
from federage.titles.models import Holding

pytestmark = pytest.mark.browser


def test_a_member_withdraws_a_redemption_request(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    scene = build(make_user, make_commons)
    accept(scene, proposed_price_cents=100_000)
    redemption = titles_services.redemption_request(
        user=scene.contributor, commons_slug=scene.slug, units=Decimal("40")
    )
    page = browser_log_in(browser, app_url, scene.contributor, f"/c/{scene.slug}/titles")
    page.get_by_role("button", name="Retirer la demande").click()
    expect(page.get_by_role("status").first).to_contain_text("Demande de rachat retirée")
    expect(page.get_by_role("button", name="Retirer la demande")).to_have_count(0)
    redemption.refresh_from_db()
    assert redemption.state == "cancelled"
    assert Holding.objects.get(units=100).reserved_units == 0


def test_a_person_reads_the_register_and_erases_their_account(
    browser: Browser, app_url: str, make_user
) -> None:
    user = make_user(name="Noémie Nouvelle")
    page = browser_log_in(browser, app_url, user, "/settings/tokens")
    page.get_by_role("contentinfo").get_by_role(
        "link", name="Registre des traitements (RGPD)"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registre des traitements")
    expect(page.get_by_text("Finalité").first).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", name="Mes données")).to_be_visible()
    expect(page.get_by_role("link", name="Télécharger mes données")).to_have_attribute(
        "href", "/api/v1/auth/me/export"
    )
    page.get_by_label("Mot de passe actuel").fill("pas-le-bon")
    page.get_by_label("Je comprends que l’effacement est définitif.").check()
    page.get_by_role("button", name="Effacer mon compte").click()
    expect(page.get_by_text("Mot de passe incorrect").first).to_be_visible()
    assert User.objects.get(pk=user.pk).erased_at is None
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    page.get_by_role("button", name="Effacer mon compte").click()
    expect(page.get_by_role("status").first).to_contain_text("Compte effacé")
    erased = User.objects.get(pk=user.pk)
    assert erased.erased_at is not None and not erased.is_active
    assert erased.display_name.startswith("Personne effacée ")
