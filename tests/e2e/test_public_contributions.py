"""The public page of a commons lists every contribution counted in capital, with its state."""

import pytest
from playwright.sync_api import Browser, expect

from federage.contributions import services
from federage.contributions.tests import scene

pytestmark = pytest.mark.browser


def test_a_paid_starting_fund_stays_in_the_public_table(
    browser: Browser, app_url: str, make_user, make_commons, tmp_path
) -> None:
    s = scene.build(make_user, make_commons, slug="atelier-verse")
    fund = scene.accept(s, title="Fonds de démarrage", proposed_price_cents=200_000)
    services.contribution_call(user=s.steward, contribution_id=fund.pk)
    services.contribution_pay(user=s.steward, contribution_id=fund.pk)
    scene.accept(s, kind="in_kind", title="Surjeteuse", proposed_price_cents=450_000)

    context = browser.new_context()  # anonymous
    try:
        page = context.new_page()
        page.goto(f"{app_url}/explore/{s.slug}")
        table = page.get_by_test_id("public-contributions")
        expect(table.get_by_role("columnheader", name="État")).to_be_visible()
        fund_row = table.get_by_role("row").filter(has_text="Fonds de démarrage")
        expect(fund_row.get_by_test_id("public-contribution-state")).to_have_text("versé")
        machine_row = table.get_by_role("row").filter(has_text="Surjeteuse")
        expect(machine_row.get_by_test_id("public-contribution-state")).to_have_text("validé")
        table.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "public-contributions.png"), full_page=True)
    finally:
        context.close()
