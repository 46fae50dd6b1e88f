"""Year end of financings: accrued interest (1688) and its reversal, fonds dédiés (194/6894/789)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from federage.core import clock
from federage.funding import domain, selectors, services, tasks
from federage.funding.models import Financing, YearEndPosting
from federage.funding.tests.test_services import TODAY, lines_of, loan, offer, vote
from federage.ledger import selectors as ledger_selectors
from federage.ledger.models import Entry, Line
from federage.testing import post_pair

# Paris is UTC+1 in winter: 22:30 UTC is 23:30 in Paris, 23:30 UTC is 00:30 the next day.
DEC_30_2330_PARIS = dt.datetime(2026, 12, 30, 22, 30, tzinfo=dt.UTC)
DEC_31_2330_PARIS = dt.datetime(2026, 12, 31, 22, 30, tzinfo=dt.UTC)
JAN_1_0030_PARIS = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)


def moment(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 11, 0, tzinfo=dt.UTC)


def year_end_lines(financing: Financing, kind: str, year: int) -> list[tuple[str, int, int]]:
    posting = YearEndPosting.objects.get(financing=financing, kind=kind, year=year)
    return lines_of(posting.entry_id)


# --- Pure rules -------------------------------------------------------------------------------


def test_days_360_counts_every_month_30_days():
    assert domain.days_360(dt.date(2026, 11, 16), dt.date(2026, 12, 31)) == 44
    assert domain.days_360(dt.date(2026, 9, 30), dt.date(2026, 12, 31)) == 90
    assert domain.days_360(dt.date(2026, 1, 31), dt.date(2026, 2, 28)) == 28
    assert domain.days_360(dt.date(2026, 12, 31), dt.date(2027, 12, 31)) == 360


def test_accrued_interest_hand_computed():
    # 10 000 € at 4 %: the first yearly instalment (16 Nov 2027) carries 400.00 € of interest;
    # on 31 Dec 2026, 44 days of 360 have run (30E/360): 40 000 × 44 / 360 = 4 888.89 → 4 889.
    assert (
        domain.accrued_interest(
            next_interest_cents=40_000,
            period_from=dt.date(2026, 11, 16),
            due=dt.date(2027, 11, 16),
            disbursed_on=dt.date(2026, 11, 16),
            at=dt.date(2026, 12, 31),
        )
        == 4_889
    )
    # Disbursed after the period started: only the days since the money came.
    assert (
        domain.accrued_interest(
            next_interest_cents=36_000,
            period_from=dt.date(2026, 1, 1),
            due=dt.date(2027, 1, 1),
            disbursed_on=dt.date(2026, 12, 1),
            at=dt.date(2026, 12, 31),
        )
        == 2_900  # 36 000 × 29 / 360 (1 Dec → 31 Dec counts 29 days: the 31st is the 30th)
    )
    # Not yet disbursed on 31 December, or a period starting later: nothing accrues.
    base = {"next_interest_cents": 36_000, "at": dt.date(2026, 12, 31)}
    assert not domain.accrued_interest(
        **base,
        period_from=dt.date(2026, 1, 1),
        due=dt.date(2027, 1, 1),
        disbursed_on=TODAY.replace(year=2027),
    )
    assert not domain.accrued_interest(
        **base, period_from=dt.date(2027, 1, 5), due=dt.date(2028, 1, 5), disbursed_on=TODAY
    )


@given(
    interest=st.integers(min_value=0, max_value=10**12),
    months=st.sampled_from(domain.PERIOD_MONTHS),
    due=st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2028, 12, 31)),
    disbursed_days=st.integers(min_value=0, max_value=800),
)
def test_accrual_is_a_slice_of_the_next_interest(interest, months, due, disbursed_days):
    at = dt.date(2026, 12, 31)
    period_from = domain.add_months(due, -months)
    disbursed_on = at - dt.timedelta(days=disbursed_days)
    accrued = domain.accrued_interest(
        next_interest_cents=interest,
        period_from=period_from,
        due=due,
        disbursed_on=disbursed_on,
        at=at,
    )
    assert 0 <= accrued <= interest
    if period_from <= at < due:
        start = max(period_from, disbursed_on)
        exact = Fraction(interest * domain.days_360(start, at), domain.days_360(period_from, due))
        assert abs(accrued - exact) <= Fraction(1, 2)
    else:
        assert accrued == 0


@given(
    disbursed=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=6),
    spent=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=6),
)
def test_dedicated_funds_follow_the_unspent_money(disbursed, spent):
    years = max(len(disbursed), len(spent))
    disbursed += [0] * (years - len(disbursed))
    spent += [0] * (years - len(spent))
    balance = carried = released = 0
    for year in range(years):
        figures = domain.dedicated_funds_year(
            balance_before=balance,
            disbursed_through=sum(disbursed[: year + 1]),
            tagged_through=sum(spent[: year + 1]),
            tagged_in_year=spent[year],
        )
        assert figures.release_cents >= 0 and figures.allocation_cents >= 0
        assert figures.release_cents <= balance
        balance = balance - figures.release_cents + figures.allocation_cents
        carried += figures.allocation_cents
        released += figures.release_cents
        assert (
            balance
            == figures.balance_cents
            == max(sum(disbursed[: year + 1]) - sum(spent[: year + 1]), 0)
        )
    assert carried - released == balance


def test_dedicated_funds_hand_computed():
    # 1 000 received, 300 spent in year 1: 700 carried.
    first = domain.dedicated_funds_year(
        balance_before=0, disbursed_through=1_000, tagged_through=300, tagged_in_year=300
    )
    assert (first.release_cents, first.allocation_cents, first.balance_cents) == (0, 700, 700)
    # Year 2: 500 more received, 900 spent: the 700 carried come back, 300 of the new 500 stay.
    second = domain.dedicated_funds_year(
        balance_before=700, disbursed_through=1_500, tagged_through=1_200, tagged_in_year=900
    )
    assert (second.release_cents, second.allocation_cents, second.balance_cents) == (700, 300, 300)
    # A spending tagged late to a closed year is released the year after.
    late = domain.dedicated_funds_year(
        balance_before=700, disbursed_through=1_000, tagged_through=500, tagged_in_year=0
    )
    assert (late.release_cents, late.allocation_cents, late.balance_cents) == (200, 0, 500)


# --- Through the services and the worker's sweep ---------------------------------------------


def _book_sound(commons) -> None:
    book = ledger_selectors.book_of(commons_id=commons.pk)
    assert ledger_selectors.book_verify(book=book) == []
    totals = Line.objects.filter(book=book).values_list("debit_cents", "credit_cents")
    assert sum(d for d, _ in totals) == sum(c for _, c in totals)


def _disbursed_loan(world, **terms) -> Financing:
    financing = loan(world, **terms)
    services.tranche_disburse(user=world.funder_user, financing_id=financing.pk, number=1)
    return financing


@pytest.mark.django_db
def test_accrual_on_31_december_and_reversal_on_1_january(world):
    financing = _disbursed_loan(world)
    # 30 December, 23:30 in Paris: not yet the year end.
    with clock.frozen(DEC_30_2330_PARIS):
        assert services.interest_accruals_post_due() == (0, 0)
    # 31 December, 23:30 in Paris (22:30 UTC): the accrual, not yet its reversal.
    with clock.frozen(DEC_31_2330_PARIS):
        assert services.interest_accruals_post_due() == (1, 0)
        assert services.interest_accruals_post_due() == (0, 0)
    accrual = YearEndPosting.objects.get(financing=financing, kind="accrual", year=2026)
    assert accrual.amount_cents == 4_889
    assert year_end_lines(financing, "accrual", 2026) == [("1688", 0, 4_889), ("661", 4_889, 0)]
    entry = Entry.objects.get(pk=accrual.entry_id)
    assert entry.entry_date == dt.date(2026, 12, 31) and entry.journal == "FI"
    board = selectors.dashboard(user=world.funder_user, financing_id=financing.pk)
    assert board["accrued_interest_cents"] == 4_889
    # 31 December, 23:30 UTC: already 1 January in Paris, the contre-passation.
    with clock.frozen(JAN_1_0030_PARIS):
        assert services.interest_accruals_post_due() == (0, 1)
        assert services.interest_accruals_post_due() == (0, 0)
    reversal = YearEndPosting.objects.get(financing=financing, kind="accrual_reversal", year=2026)
    assert Entry.objects.get(pk=reversal.entry_id).entry_date == dt.date(2027, 1, 1)
    assert year_end_lines(financing, "accrual_reversal", 2026) == [
        ("1688", 4_889, 0),
        ("661", 0, 4_889),
    ]
    board = selectors.dashboard(user=world.funder_user, financing_id=financing.pk)
    assert board["accrued_interest_cents"] == 0
    # In 2027 the first instalment's 400.00 € of interest leaves 400.00 − 48.89 in 2027's 661.
    with clock.frozen(moment(2027, 11, 16)):
        services.loan_repay(user=world.steward, financing_id=financing.pk)
    book = ledger_selectors.book_of(commons_id=world.commons.pk)
    lines = Line.objects.filter(book=book, account__number="661")
    in_2027 = sum(
        line.debit_cents - line.credit_cents for line in lines if line.entry_date.year == 2027
    )
    assert in_2027 == 40_000 - 4_889
    # The next year end accrues the second instalment's share: 32 615 × 44 / 360 = 3 986.
    with clock.frozen(dt.datetime(2027, 12, 31, 12, 0, tzinfo=dt.UTC)):
        assert services.interest_accruals_post_due() == (1, 0)
    assert (
        YearEndPosting.objects.get(financing=financing, kind="accrual", year=2027).amount_cents
        == 3_986
    )
    _book_sound(world.commons)


@pytest.mark.django_db
def test_the_sweep_posts_once_and_reports_its_counts(world):
    financing = _disbursed_loan(world)
    entries = Entry.objects.count()
    with clock.frozen(JAN_1_0030_PARIS):
        first = tasks.sweep()
        again = tasks.sweep()
    assert first["interest_accrued"] == 1 and first["interest_accruals_reversed"] == 1
    assert again["interest_accrued"] == 0 and again["interest_accruals_reversed"] == 0
    assert set(first) == {
        "reprises_posted",
        "instalments_marked",
        "interest_accrued",
        "interest_accruals_reversed",
        "dedicated_funds_posted",
    }
    assert Entry.objects.count() == entries + 2
    assert YearEndPosting.objects.filter(financing=financing).count() == 2


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rate_bp=st.integers(min_value=0, max_value=2_000),
    months=st.sampled_from(domain.PERIOD_MONTHS),
    first_due=st.dates(min_value=dt.date(2026, 12, 1), max_value=dt.date(2027, 12, 31)),
    disbursed_on=st.dates(min_value=dt.date(2026, 1, 2), max_value=dt.date(2026, 11, 16)),
)
def test_accrual_and_reversal_net_to_zero_and_books_balance(
    world, rate_bp, months, first_due, disbursed_on
):
    financing = loan(world, rate_bp=rate_bp, period_months=months, first_due=first_due)
    services.tranche_disburse(
        user=world.funder_user, financing_id=financing.pk, number=1, entry_date=disbursed_on
    )
    with clock.frozen(JAN_1_0030_PARIS):
        services.interest_accruals_post_due()
    postings = {p.kind: p for p in YearEndPosting.objects.filter(financing=financing, year=2026)}
    expected = services.loan_accrued_interest(financing=financing, year=2026)
    if expected == 0:
        assert postings == {}
    else:
        assert postings["accrual"].amount_cents == expected
        assert postings["accrual_reversal"].amount_cents == expected
        entries = [postings["accrual"].entry_id, postings["accrual_reversal"].entry_id]
        for number in ("1688", "661"):
            lines = Line.objects.filter(entry_id__in=entries, account__number=number)
            assert sum(line.debit_cents - line.credit_cents for line in lines) == 0
        # Never more than the next instalment's interest.
        row = (
            financing.loan.instalments.filter(due_date__gt=dt.date(2026, 12, 31))
            .order_by("due_date")
            .first()
        )
        assert expected <= row.interest_cents
    _book_sound(world.commons)


@pytest.mark.django_db
def test_dedicated_funds_carried_then_released_as_spending_is_tagged(world):
    grant = vote(world, offer(world, amount_cents=100_000, resource_ids=[world.machine.pk]))
    services.tranche_disburse(user=world.funder_user, financing_id=grant.pk, number=1)
    spent = post_pair(world.commons, "entretien-2026", TODAY, "615", "512", 30_000)
    services.earmark_tag(
        user=world.steward,
        financing_id=grant.pk,
        line_id=Line.objects.get(entry=spent, account__number="615").pk,
    )
    # An operating grant without an earmark carries nothing.
    plain = vote(world, offer(world, title="Subvention annuelle", amount_cents=50_000))
    services.tranche_disburse(user=world.funder_user, financing_id=plain.pk, number=1)
    with clock.frozen(DEC_30_2330_PARIS):
        assert services.dedicated_funds_post_due() == 0
    with clock.frozen(DEC_31_2330_PARIS):
        assert services.dedicated_funds_post_due() == 1
        assert services.dedicated_funds_post_due() == 0
    assert year_end_lines(grant, "dedicated", 2026) == [("194", 0, 70_000), ("6894", 70_000, 0)]
    assert not YearEndPosting.objects.filter(financing=plain).exists()
    board = selectors.dashboard(user=world.funder_user, financing_id=grant.pk)
    assert board["dedicated_funds_cents"] == 70_000
    # 2027: 50 000 spent on the earmark come back from the fund; nothing new to carry.
    with clock.frozen(moment(2027, 3, 1)):
        later = post_pair(
            world.commons, "entretien-2027", dt.date(2027, 3, 1), "615", "512", 50_000
        )
        services.earmark_tag(
            user=world.steward,
            financing_id=grant.pk,
            line_id=Line.objects.get(entry=later, account__number="615").pk,
        )
        # Not before its 31 December.
        assert services.dedicated_funds_post_due() == 0
    with clock.frozen(moment(2027, 12, 31)):
        assert services.dedicated_funds_post_due() == 1
        assert services.dedicated_funds_post_due() == 0
    assert year_end_lines(grant, "dedicated_release", 2027) == [
        ("194", 50_000, 0),
        ("789", 0, 50_000),
    ]
    marker = YearEndPosting.objects.get(financing=grant, kind="dedicated", year=2027)
    assert marker.amount_cents == 0 and marker.entry_id is None
    board = selectors.dashboard(user=world.funder_user, financing_id=grant.pk)
    assert board["dedicated_funds_cents"] == 20_000
    # 2028: the rest spent, the fund is empty; 194 nets to zero in the books.
    with clock.frozen(moment(2028, 6, 1)):
        last = post_pair(world.commons, "entretien-2028", dt.date(2028, 6, 1), "615", "512", 20_000)
        services.earmark_tag(
            user=world.steward,
            financing_id=grant.pk,
            line_id=Line.objects.get(entry=last, account__number="615").pk,
        )
    with clock.frozen(moment(2028, 12, 31)):
        assert tasks.sweep()["dedicated_funds_posted"] == 1
        assert tasks.sweep()["dedicated_funds_posted"] == 0
    lines = Line.objects.filter(account__number="194", book__commons_id=world.commons.pk)
    assert sum(line.credit_cents - line.debit_cents for line in lines) == 0
    board = selectors.dashboard(user=world.funder_user, financing_id=grant.pk)
    assert board["dedicated_funds_cents"] == 0
    _book_sound(world.commons)


@pytest.mark.django_db
def test_a_closed_year_is_skipped_and_the_next_year_makes_up_the_fund(world):
    from federage.ledger.models import Period

    loan_financing = _disbursed_loan(world)
    grant = vote(world, offer(world, amount_cents=100_000, resource_ids=[world.machine.pk]))
    services.tranche_disburse(user=world.funder_user, financing_id=grant.pk, number=1)
    spent = post_pair(world.commons, "entretien-2026", TODAY, "615", "512", 30_000)
    services.earmark_tag(
        user=world.steward,
        financing_id=grant.pk,
        line_id=Line.objects.get(entry=spent, account__number="615").pk,
    )
    with clock.frozen(moment(2027, 1, 2)):
        # 2027 opened by a posting, then 2026 closed before the worker saw its year end.
        post_pair(world.commons, "loyer-2027", dt.date(2027, 1, 2), "613", "512", 1_000)
        Period.objects.filter(book__commons_id=world.commons.pk, end__year=2026).update(
            status="closed", closed_at=clock.now()
        )
        entries = Entry.objects.count()
        counts = tasks.sweep()
        assert counts["interest_accrued"] == counts["interest_accruals_reversed"] == 0
        assert counts["dedicated_funds_posted"] == 0
        assert Entry.objects.count() == entries
        assert not YearEndPosting.objects.filter(financing=loan_financing).exists()
        later = post_pair(
            world.commons, "entretien-2027", dt.date(2027, 1, 2), "615", "512", 50_000
        )
        services.earmark_tag(
            user=world.steward,
            financing_id=grant.pk,
            line_id=Line.objects.get(entry=later, account__number="615").pk,
        )
    with clock.frozen(moment(2027, 12, 31)):
        assert services.dedicated_funds_post_due() == 1
        assert services.dedicated_funds_post_due() == 0
    # 100 000 received, 80 000 spent: 20 000 held at the end of 2027, whatever 2026 missed.
    assert year_end_lines(grant, "dedicated", 2027) == [("194", 0, 20_000), ("6894", 20_000, 0)]
    _book_sound(world.commons)
