"""Financing on a phone: an outside agency offers a grant earmarked to the commons' objective with a
milestone, a member puts it to the vote and the commons accepts it, a verifier verifies a
measurement that reaches the milestone, the agency pays the tranche out, and the money shows in
the commons' books, on the funder's follow-up and on the public page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, expect
from tests.e2e.phone import PHONE, log_in, no_sideways_scroll, shot, vote_through

from federage.agents import services as agent_services
from federage.funding.models import Financing
from federage.impact import services as impact_services
from federage.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_a_grant_on_a_verified_milestone_is_paid_out_and_followed(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    steward = make_user(name="Stéphane Steward")
    approver1 = make_user(name="Alice Approver")
    approver2 = make_user(name="Arthur Approver")
    farmer = make_user(name="Camille Agricultrice")
    verifier = make_user(name="Véra Vérificatrice")
    commons = make_commons(
        steward,
        slug="fonds-sols",
        name="Fonds des sols vivants",
        members={
            approver1: ["approver"],
            approver2: ["approver"],
            farmer: ["contributor"],
            verifier: ["verifier"],
        },
    )
    voters = [steward, approver1, approver2, farmer, verifier]
    objective = impact_services.objective_propose(
        user=steward,
        commons_slug=commons.slug,
        title="Carbone stocké dans les sols",
        indicator_code="ghg_avoided",
        baseline="0",
        target="200",
        starts_on=dt.date(2026, 1, 1),
        target_date=dt.date(2030, 12, 31),
        method="Analyses de sol annuelles",
        method_reference="",
        resource_ids=[],
        terms=[],
    )
    assert vote_through(objective.proposal_id, voters) == "passed"
    funder_user = make_user(name="Fanny Financeuse")
    agency = agent_services.agent_create(
        user=funder_user,
        kind="public_body",
        display_name="Agence de développement",
        siren="900100041",
    )

    # The agency offers a grant of 10 000 €, earmarked to the objective, paid when 50 tCO2e are verified.
    funder = log_in(
        browser, app_url, funder_user.email, PASSWORD, f"/c/{commons.slug}/financings/new"
    )
    form = funder.get_by_test_id("financing-offer")
    form.get_by_label("Au nom de").select_option(str(agency.pk))
    form.get_by_label("Nature", exact=True).select_option("grant_operating")
    form.get_by_label("Intitulé").fill("Régénération des parcelles")
    form.get_by_label("Montant (€)").fill("10 000")
    form.get_by_test_id(f"earmark-objective-{objective.pk}").check()
    form.get_by_label("Jalon").select_option(label="Quand « Carbone stocké dans les sols » atteint")
    form.get_by_label(re.compile("Total vérifié à atteindre")).fill("50")
    no_sideways_scroll(funder)
    shot(funder, "financing", "1-offer-form")
    form.get_by_role("button", name="Proposer le financement").click()
    expect(funder).to_have_url(re.compile(r"/financings/\d+$"))
    financing = Financing.objects.get(commons=commons)
    expect(funder.get_by_role("heading", level=1)).to_have_text("Régénération des parcelles")
    expect(funder.get_by_test_id("financing-status")).to_have_text("proposé")
    no_sideways_scroll(funder)

    # A steward puts it to the commons' vote, which accepts it.
    member = log_in(browser, app_url, steward.email, PASSWORD, f"/financings/{financing.pk}")
    member.get_by_test_id("put-to-vote").click()
    expect(member.get_by_test_id("financing-status")).to_have_text("au vote")
    financing.refresh_from_db()
    assert vote_through(financing.proposal_id, voters) == "passed"
    financing.refresh_from_db()
    assert financing.status == "accepted" and financing.decision_id is not None
    member.reload()
    expect(member.get_by_test_id("financing-status")).to_have_text("accepté")
    expect(member.get_by_test_id("tranche-1-status")).to_have_text("en attente du jalon")
    shot(member, "financing", "2-accepted")

    # A farmer declares 60 tCO2e; the verifier verifies it on the objective's page: the tranche is released.
    measurement = impact_services.measurement_declare(
        user=farmer,
        objective_id=objective.pk,
        value="60",
        unit="tCO2e",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
    )
    checker = log_in(
        browser, app_url, verifier.email, PASSWORD, f"/c/{commons.slug}/objectives/{objective.pk}"
    )
    card = checker.get_by_test_id(f"measurement-{measurement.pk}")
    card.get_by_role("button", name="Vérifier").click()
    expect(card.get_by_test_id("measurement-status")).to_have_text(re.compile("vérifiée"))

    # The agency pays the tranche out.
    funder.reload()
    expect(funder.get_by_test_id("tranche-1-status")).to_have_text("débloquée")
    expect(funder.get_by_test_id("tranche-1-progress")).to_contain_text("60 sur 50")
    funder.get_by_test_id("disburse-1").click()
    expect(funder.get_by_test_id("tranche-1-status")).to_have_text("versée")
    expect(funder.get_by_test_id("financing-disbursed")).to_contain_text("10\u202f000,00\u00a0€")
    no_sideways_scroll(funder)
    shot(funder, "financing", "3-disbursed")

    # In the books: the steward follows the tranche to its entry (bank against the grant account).
    member.reload()
    member.get_by_test_id("tranche-1-entry").click()
    expect(member).to_have_url(re.compile(rf"/c/{commons.slug}/books/entries/\d+$"))
    expect(member.locator("main")).to_contain_text("512")
    expect(member.locator("main")).to_contain_text("741")
    expect(member.locator("main")).to_contain_text("10\u202f000,00")
    no_sideways_scroll(member)
    shot(member, "financing", "4-entry")

    # On the funder's follow-up.
    funder.goto(f"{app_url}/financings")
    board = funder.get_by_test_id(f"dashboard-{financing.pk}")
    expect(board.get_by_test_id(f"dashboard-{financing.pk}-disbursed")).to_contain_text(
        "10\u202f000,00\u00a0€"
    )
    expect(board.get_by_test_id(f"dashboard-{financing.pk}-milestones")).to_contain_text("versée")
    no_sideways_scroll(funder)
    shot(funder, "financing", "5-dashboard")

    # On the portfolio, beside the titles.
    funder.goto(f"{app_url}/portfolio")
    expect(funder.get_by_test_id("portfolio-financings")).to_contain_text(
        "Régénération des parcelles"
    )
    no_sideways_scroll(funder)

    # And on the public page, for anyone.
    visitor = browser.new_context(viewport=PHONE).new_page()
    visitor.goto(f"{app_url}/explore/{commons.slug}")
    public = visitor.get_by_test_id("public-financings")
    expect(public).to_contain_text("Régénération des parcelles")
    expect(public).to_contain_text("Agence de développement")
    expect(public).to_contain_text("versée")
    no_sideways_scroll(visitor)
    shot(visitor, "financing", "6-public")
