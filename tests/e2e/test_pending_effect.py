"""A decision whose effect is refused shows as pending with its reason, and applies once the cause is gone.

An in-kind contribution booked on account 2155, which the book lacks, is voted through: the
decision log shows "adoptée — exécution en attente" with the reason, in French and in English.
The steward creates the account and presses "Réessayer": the decision applies, once, and the
contribution is accepted.
"""

import datetime as dt

import pytest
from playwright.sync_api import Browser, expect

from federage.contributions.tests.scene import accept, build
from federage.core import clock
from federage.ledger import services as ledger_services
from federage.testing import browser_log_in

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PHONE = {"width": 390, "height": 844}


def test_a_refused_effect_waits_visibly_then_applies(
    browser: Browser, app_url: str, make_user, make_commons, tmp_path
) -> None:
    with clock.frozen(NOW):
        scene = build(make_user, make_commons, slug="atelier-effet")
        contribution = accept(
            scene,
            user=scene.other,
            kind="in_kind",
            title="Surjeteuse industrielle",
            proposed_price_cents=30_000,
            resource_account="2155",
        )
        assert contribution.state == "in_review"
        slug = scene.slug

        steward = browser_log_in(browser, app_url, scene.steward, f"/c/{slug}/decisions")
        steward.set_viewport_size(PHONE)
        card = steward.locator("li.decision").first
        expect(card.get_by_test_id("decision-outcome")).to_have_text(
            "adoptée — exécution en attente"
        )
        waiting = card.get_by_test_id("effect-pending")
        expect(waiting).to_contain_text("Motif : Compte inconnu dans ce livre.")
        expect(waiting).to_contain_text("s’exécutera d’elle-même")
        retry = waiting.get_by_role("button", name="Réessayer")
        expect(retry).to_be_visible()
        shot = tmp_path / "pending-effect-390.png"
        steward.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")

        # Retrying while the cause is still there: still pending, said so.
        retry.click()
        expect(steward.get_by_role("status")).to_contain_text(
            "Toujours en attente : Compte inconnu dans ce livre."
        )
        expect(waiting).to_contain_text("2 tentatives")

        # A member reading in English: the same state, no retry button (stewards only).
        reader = browser.new_context(viewport=PHONE, locale="en-GB")
        reader.add_init_script("localStorage.setItem('federage.locale', 'en')")
        page = reader.new_page()
        page.goto(f"{app_url}/c/{slug}/decisions")
        english = page.locator("li.decision").first
        expect(english.get_by_test_id("decision-outcome")).to_have_text("passed — effect pending")
        expect(english.get_by_test_id("effect-pending")).to_contain_text(
            "Reason: Unknown account in this book."
        )
        expect(english.get_by_role("button", name="Retry")).to_have_count(0)
        # The proposal page says it too.
        page.goto(f"{app_url}/c/{slug}/proposals/{contribution.proposal_id}")
        expect(page.get_by_test_id("proposal-status")).to_have_text("passed — effect pending")
        # And the public decision log.
        page.goto(f"{app_url}/explore/{slug}")
        expect(page.get_by_test_id("public-decision-outcome")).to_have_text(
            "passed — effect pending"
        )

        # The cause goes: the steward opens the account, then retries.
        ledger_services.account_create(
            commons_id=scene.commons.pk,
            number="2155",
            label="Outillage industriel",
            type="asset",
            actor_user_id=scene.steward.pk,
        )
        retry.click()
        expect(steward.get_by_role("status")).to_contain_text("La décision est exécutée.")
        expect(card.get_by_test_id("decision-outcome")).to_have_text("adoptée")
        expect(card.get_by_test_id("effect-applied")).to_contain_text("après 3 tentatives")
        expect(card.get_by_role("button", name="Réessayer")).to_have_count(0)
        applied = tmp_path / "applied-effect-390.png"
        steward.screenshot(path=str(applied), full_page=True)
        print(f"screenshot: {applied}")

        contribution.refresh_from_db()
        assert contribution.state == "accepted"
        assert contribution.issuance_id is not None and contribution.entry_id is not None
        steward.goto(f"{app_url}/contributions/{contribution.pk}")
        expect(steward.get_by_test_id("contribution-state")).to_have_text("validé")
        expect(steward.get_by_test_id("vote-status")).to_have_text("adoptée")
        # The public decision log says it applied, with no pending tag any more.
        page.goto(f"{app_url}/explore/{slug}")
        expect(page.get_by_test_id("public-decision-outcome")).to_have_text("passed")
        reader.close()
