"""Closing a year (refusals, the `federage period close` command) and allocating its result."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.models import Event
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.governance.models import CharterVersion, Decision, DecisionEffect
from federage.governance.testing import append_only_lifted
from federage.ledger import selectors, services
from federage.ledger.models import Account, AccountDay, Entry, Line, Period
from federage.ledger.testing import TODAY

NEXT_YEAR = dt.datetime(2027, 1, 20, 10, 0, tzinfo=dt.UTC)


def _written() -> tuple[int, ...]:
    """Everything a closing or an allocation could write."""
    return (
        Entry.objects.count(),
        Line.objects.count(),
        AccountDay.objects.count(),
        Period.objects.count(),
        Period.objects.filter(status="closed").count(),
        Account.objects.count(),
        Event.objects.filter(type__startswith="ledger.").count(),
    )


def refused(code: str, call, *args, **kwargs) -> ApplicationError:
    before = _written()
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    assert _written() == before, "a refusal wrote something"
    return caught.value


def _year_2025(commons) -> Period:
    return services.period_open(
        commons_id=commons.pk, start=dt.date(2025, 1, 1), end=None, actor_user_id=None
    )


@pytest.fixture
def profit_2025(commons, post):
    """2025 closed with a profit of 150,00 € waiting in 120."""
    old = _year_2025(commons)
    day = dt.date(2025, 3, 1)
    post(("512", 100_000, None), ("1013", None, 100_000), entry_date=day, journal="AP")
    post(("606", 30_000, None), ("512", None, 30_000), entry_date=day, journal="AC")
    post(("512", 45_000, None), ("706", None, 45_000), entry_date=day, journal="VE")
    return services.period_close(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)


@pytest.fixture
def loss_2025(commons, post):
    """2025 closed with a loss of 70,00 €, with 50,00 € of reserves to absorb some of it."""
    old = _year_2025(commons)
    day = dt.date(2025, 3, 1)
    post(("512", 100_000, None), ("1013", None, 100_000), entry_date=day, journal="AP")
    post(("1013", 5_000, None), ("1068", None, 5_000), entry_date=day, key="reserves")
    post(("606", 7_000, None), ("512", None, 7_000), entry_date=day, journal="AC")
    return services.period_close(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)


def allocate(commons, period, reserves=0, carry=0, distribution=0, **extra):
    return services.result_allocate(
        commons_id=commons.pk,
        period_id=period.pk,
        reserves_cents=reserves,
        carry_forward_cents=carry,
        distribution_cents=distribution,
        actor_user_id=None,
        authorisation=extra.pop("authorisation", {"source_type": "test"}),
        **extra,
    )


def allow_distribution(commons) -> None:
    """Test shortcut: the charter lets results be distributed (really, an amend_charter vote)."""
    version = CharterVersion.objects.get(commons=commons, number=1)
    with append_only_lifted():
        CharterVersion.objects.filter(pk=version.pk).update(
            parameters={**version.parameters, "result.distribution_allowed": True}
        )


def signed(entry: Entry) -> dict[str, int]:
    return {
        line.account.number: line.debit_cents - line.credit_cents
        for line in entry.lines.select_related("account")
    }


# --- Closing ------------------------------------------------------------------------------


def test_a_year_that_has_not_ended_does_not_close(commons, post):
    book = selectors.book_of(commons_id=commons.pk)
    current = selectors.period_at(book=book, at=TODAY)
    post(("512", 1_000, None), ("706", None, 1_000))
    refused("period_not_ended", services.period_close, commons_id=commons.pk,
            period_id=current.pk, actor_user_id=None)  # fmt: skip
    # Its last day is not over either.
    with clock.frozen(dt.datetime(2026, 12, 31, 22, 30, tzinfo=dt.UTC)):  # 23:30 in Paris
        refused("period_not_ended", services.period_close, commons_id=commons.pk,
                period_id=current.pk, actor_user_id=None)  # fmt: skip


def test_a_year_closes_twice_never(commons, profit_2025):
    refused("period_closed", services.period_close, commons_id=commons.pk,
            period_id=profit_2025.pk, actor_user_id=None)  # fmt: skip


def test_an_unbalanced_year_does_not_close(commons, post, monkeypatch):
    old = _year_2025(commons)
    post(("512", 1_000, None), ("706", None, 1_000), entry_date=dt.date(2025, 5, 5))
    # The database refuses unbalanced entries; the closing checks again, on its own sums.
    assert selectors.period_totals(period=old) == (1_000, 1_000)
    monkeypatch.setattr(selectors, "period_totals", lambda period: (1_000, 999))
    error = refused("period_unbalanced", services.period_close, commons_id=commons.pk,
                    period_id=old.pk, actor_user_id=None)  # fmt: skip
    assert error.detail == "1000 != 999"


def test_a_year_does_not_close_while_a_decision_waits(commons, steward, member, post, monkeypatch):
    old = _year_2025(commons)
    post(("512", 1_000, None), ("706", None, 1_000), entry_date=dt.date(2025, 5, 5))
    monkeypatch.setattr(governance_services, "_HANDLERS", dict(governance_services._HANDLERS))

    def blocked(context):
        raise ApplicationError("unknown_account")

    governance_services.register_outcome_handler("free_motion", on_passed=blocked)
    proposal = governance_services.proposal_open(
        user=steward, commons_id=commons.pk, kind="free_motion", title="Acheter une surjeteuse"
    )
    governance_services.ballot_cast(user=member, proposal_id=proposal.pk, choice="for")
    decision = Decision.objects.get(proposal=proposal)
    assert DecisionEffect.objects.get(decision=decision).status == "pending"
    error = refused("effects_pending", services.period_close, commons_id=commons.pk,
                    period_id=old.pk, actor_user_id=None)  # fmt: skip
    assert error.detail == f"n° {decision.sequence}"
    # Once the effect applies, the year closes.
    governance_services.register_outcome_handler("free_motion", on_passed=lambda context: {})
    governance_services.decision_effects_retry(commons_id=commons.pk)
    assert services.period_close(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)


def test_a_year_does_not_close_over_last_years_unallocated_result(commons, profit_2025, post):
    book = selectors.book_of(commons_id=commons.pk)
    current = selectors.period_at(book=book, at=TODAY)
    post(("512", 2_000, None), ("706", None, 2_000))
    with clock.frozen(NEXT_YEAR):
        refused("result_not_allocated", services.period_close, commons_id=commons.pk,
                period_id=current.pk, actor_user_id=None)  # fmt: skip
    allocate(commons, profit_2025, reserves=15_000)
    with clock.frozen(NEXT_YEAR):
        closed = services.period_close(
            commons_id=commons.pk, period_id=current.pk, actor_user_id=None
        )
    # 120 carries 2026's result alone; 2025's sits in the reserves.
    assert signed(closed.carried_forward_by)["120"] == -2_000
    assert signed(closed.carried_forward_by)["1068"] == -15_000
    assert selectors.book_verify(book=book) == []


# --- The console command ------------------------------------------------------------------


def test_period_close_command(commons, post):
    _year_2025(commons)
    post(("512", 45_000, None), ("706", None, 45_000), entry_date=dt.date(2025, 3, 1))
    out = io.StringIO()
    call_command("period", "close", "--commons", commons.slug, "--year", "2025", stdout=out)
    text = out.getvalue()
    assert "Exercice 01/01/2025 – 31/12/2025" in text
    assert "À-nouveaux : écriture AN000001 du 01/01/2026." in text
    assert "bénéfice de 450,00\u00a0€ en 120" in text
    book = selectors.book_of(commons_id=commons.pk)
    assert selectors.period_of_year(book=book, year=2025).status == "closed"

    before = _written()
    with pytest.raises(CommandError) as caught:
        call_command("period", "close", "--commons", commons.slug, "--year", "2026")
    assert str(caught.value).startswith(
        "period_not_ended : Cet exercice n'est pas terminé : il se clôture après son dernier jour."
    )
    with pytest.raises(CommandError) as caught:
        call_command("period", "close", "--commons", commons.slug, "--year", "2025")
    assert str(caught.value).startswith("period_closed : Cet exercice est clos")
    assert _written() == before


# --- Allocating a result ------------------------------------------------------------------


def test_a_profit_goes_to_reserves_and_report_a_nouveau(commons, profit_2025):
    book = selectors.book_of(commons_id=commons.pk)
    sheet = selectors.balance_sheet(book=book, at=TODAY)
    assert sheet["prior_result_cents"] == 15_000
    entry = allocate(commons, profit_2025, reserves=10_000, carry=5_000)
    assert (entry.journal, entry.entry_date) == ("OD", TODAY)
    assert entry.idempotency_key == f"period:{profit_2025.pk}:allocate"
    assert signed(entry) == {"120": 15_000, "1068": -10_000, "110": -5_000}
    sheet = selectors.balance_sheet(book=book, at=TODAY)
    assert sheet["prior_result_cents"] == 0
    assert (sheet["reserves_cents"], sheet["retained_earnings_cents"]) == (10_000, 5_000)
    assert sheet["total_actif_cents"] == sheet["total_passif_cents"]
    [row] = selectors.result_allocations(book=book)
    assert (row["status"], row["result_cents"], row["entry_id"]) == ("allocated", 15_000, entry.pk)
    assert selectors.book_verify(book=book) == []


def test_a_loss_is_carried_forward_or_charged_to_reserves(commons, loss_2025):
    book = selectors.book_of(commons_id=commons.pk)
    assert selectors.year_results(book=book, at=TODAY)["prior_result_cents"] == -7_000
    refused("distribution_not_allowed", allocate, commons, loss_2025, carry=6_000,
            distribution=1_000)  # fmt: skip
    refused("reserves_insufficient", allocate, commons, loss_2025, reserves=6_000, carry=1_000)
    entry = allocate(commons, loss_2025, reserves=2_000, carry=5_000)
    assert signed(entry) == {"1068": 2_000, "119": 5_000, "129": -7_000}
    found = selectors.year_results(book=book, at=TODAY)
    assert found["prior_result_cents"] == 0
    assert (found["reserves_cents"], found["retained_earnings_cents"]) == (3_000, -5_000)


def test_allocation_refusals(commons, steward, profit_2025, post):
    book = selectors.book_of(commons_id=commons.pk)
    current = selectors.period_at(book=book, at=TODAY)
    refused("no_result_to_allocate", allocate, commons, current, reserves=1)
    refused("allocation_mismatch", allocate, commons, profit_2025, reserves=10_000, carry=4_999)
    refused("allocation_mismatch", allocate, commons, profit_2025, reserves=15_001)
    refused("invalid_value", allocate, commons, profit_2025, reserves=-1, carry=15_001)
    refused("distribution_not_allowed", allocate, commons, profit_2025, reserves=10_000,
            distribution=5_000)  # fmt: skip
    refused("not_found", allocate, commons, Period(pk=987_654), reserves=15_000)
    allocate(commons, profit_2025, reserves=15_000)
    refused("result_already_allocated", allocate, commons, profit_2025, reserves=15_000)


def test_a_zero_result_has_nothing_to_allocate(commons):
    old = _year_2025(commons)
    services.period_close(commons_id=commons.pk, period_id=old.pk, actor_user_id=None)
    refused("no_result_to_allocate", allocate, commons, old)


def test_distribution_where_the_charter_allows_it(commons, steward, profit_2025):
    allow_distribution(commons)
    entry = allocate(commons, profit_2025, reserves=5_000, distribution=10_000)
    assert signed(entry) == {"120": 15_000, "1068": -5_000, "457": -10_000}
    book = selectors.book_of(commons_id=commons.pk)
    closing = selectors.account_balances(book=book, at=TODAY).closing()
    assert (closing["120"], closing["457"], closing["1068"]) == (0, -10_000, -5_000)


def test_a_book_opened_before_1068_gets_it_when_allocating(commons, profit_2025):
    book = selectors.book_of(commons_id=commons.pk)
    Account.objects.filter(book=book, number="1068").delete()
    entry = allocate(commons, profit_2025, reserves=15_000)
    assert Account.objects.get(book=book, number="1068").label == "Autres réserves"
    assert signed(entry)["1068"] == -15_000


def test_allocation_entry_is_dated_within_the_following_year(commons, profit_2025):
    with clock.frozen(dt.datetime(2025, 12, 31, 9, tzinfo=dt.UTC)):
        assert selectors.allocation_date(
            book=selectors.book_of(commons_id=commons.pk), period=profit_2025
        ) == dt.date(2026, 1, 1)
    with clock.frozen(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)):
        entry = allocate(commons, profit_2025, reserves=15_000)
    # Decided late: still booked in 2026, so that 2026 closes with 120 empty.
    assert entry.entry_date == dt.date(2026, 12, 31)


# --- By a decision of the members ---------------------------------------------------------


@pytest.fixture
def member(commons, make_user):
    from federage.commons import services as commons_services

    user = make_user(name="Membre")
    _, link = commons_services.invitation_create(
        user=commons.created_by, slug=commons.slug, email=user.email, roles=["contributor"]
    )
    commons_services.invitation_accept(user=user, token=link.rsplit("/", 1)[1])
    return user


def _propose(commons, steward, period, **amounts):
    payload = {"period_id": period.pk, **amounts}
    return governance_services.proposal_open(
        user=steward,
        commons_id=commons.pk,
        kind="allocate_result",
        title="Affectation du résultat 2025",
        payload=payload,
    )


def test_a_passed_decision_allocates_the_result_once(commons, steward, member, profit_2025):
    book = selectors.book_of(commons_id=commons.pk)
    proposal = _propose(commons, steward, profit_2025, reserves_cents=15_000)
    assert proposal.payload == {
        "period_id": profit_2025.pk,
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "result_cents": 15_000,
        "reserves_cents": 15_000,
        "carry_forward_cents": 0,
        "distribution_cents": 0,
    }
    assert proposal.policy["voters"] == "members"  # the charter's rule for other decisions
    [row] = selectors.result_allocations(book=book)
    assert (row["status"], row["open_proposal_id"]) == ("to_allocate", proposal.pk)
    governance_services.ballot_cast(user=member, proposal_id=proposal.pk, choice="for")
    decision = Decision.objects.get(proposal=proposal)
    assert decision.outcome == "passed" and "effect" not in decision.content
    [entry] = Entry.objects.filter(book=book, idempotency_key=f"period:{profit_2025.pk}:allocate")
    assert decision.content["authorised"]["entry_id"] == entry.pk
    assert (entry.decision_id, entry.source_type) == (decision.pk, "proposal")
    assert selectors.balance_sheet(book=book, at=TODAY)["reserves_cents"] == 15_000

    # Retried by the job, by a steward, or by the handler itself: applied once.
    assert governance_services.decision_effects_retry(commons_id=commons.pk) == 0
    with pytest.raises(ApplicationError) as caught:
        governance_services.decision_effect_retry(user=steward, decision_id=decision.pk)
    assert caught.value.code == "effect_not_pending"
    context = governance_services.OutcomeContext(
        proposal=proposal,
        status="passed",
        decision_id=decision.pk,
        charter_version_id=proposal.charter_version_id,
        tally=None,
    )
    before = _written()
    assert services.result_allocation_on_passed(context)["entry_id"] == entry.pk
    assert _written() == before
    assert Entry.objects.filter(book=book, source_type="proposal").count() == 1


def test_a_proposal_that_could_never_apply_is_refused(commons, steward, profit_2025):
    refused("allocation_mismatch", _propose, commons, steward, profit_2025, reserves_cents=1)
    error = refused("distribution_not_allowed", _propose, commons, steward, profit_2025,
                    reserves_cents=5_000, distribution_cents=10_000)  # fmt: skip
    assert "payload.distribution_cents" in error.fields
    refused("required", _propose, commons, steward, Period(pk=None), reserves_cents=1)
    book = selectors.book_of(commons_id=commons.pk)
    current = selectors.period_at(book=book, at=TODAY)
    refused("no_result_to_allocate", _propose, commons, steward, current, reserves_cents=1)
    assert not governance_selectors.proposals_of(commons_id=commons.pk).exists()


def test_one_vote_at_a_time_on_a_result(commons, steward, profit_2025):
    first = _propose(commons, steward, profit_2025, reserves_cents=15_000)
    error = refused(
        "allocation_already_proposed", _propose, commons, steward, profit_2025,
        carry_forward_cents=15_000,
    )  # fmt: skip
    assert "payload.period_id" in error.fields
    assert list(governance_selectors.proposals_of(commons_id=commons.pk)) == [first]


def test_an_allocation_refused_when_it_applies_waits_then_applies_once(
    commons, steward, member, profit_2025, post
):
    book = selectors.book_of(commons_id=commons.pk)
    key = f"period:{profit_2025.pk}:allocate"
    proposal = _propose(
        commons, steward, profit_2025, reserves_cents=10_000, carry_forward_cents=5_000
    )
    # Meanwhile the year is reopened: there is no closed result to allocate any more.
    services.period_reopen(commons_id=commons.pk, period_id=profit_2025.pk, actor_user_id=None)
    governance_services.ballot_cast(user=member, proposal_id=proposal.pk, choice="for")
    decision = Decision.objects.get(proposal=proposal)
    assert decision.content["effect"] == {"status": "pending", "reason": "no_result_to_allocate"}
    assert not Entry.objects.filter(book=book, idempotency_key=key).exists()
    assert governance_services.decision_effects_retry(commons_id=commons.pk) == 0
    # The effect waits for this very closing, so it does not block it (any other would).
    services.period_close(commons_id=commons.pk, period_id=profit_2025.pk, actor_user_id=None)
    assert governance_services.decision_effects_retry(commons_id=commons.pk) == 1
    assert governance_services.decision_effects_retry(commons_id=commons.pk) == 0
    effect = DecisionEffect.objects.get(decision=decision)
    assert (effect.status, effect.attempts) == ("applied", 3)
    [entry] = Entry.objects.filter(book=book, idempotency_key=key)
    assert effect.result["entry_id"] == entry.pk
    assert signed(entry) == {"120": 15_000, "1068": -10_000, "110": -5_000}
    sheet = selectors.balance_sheet(book=book, at=TODAY)
    assert (sheet["prior_result_cents"], sheet["reserves_cents"]) == (0, 10_000)


def test_through_the_api(commons, steward, member, post, api_client):
    old = _year_2025(commons)
    post(("512", 45_000, None), ("706", None, 45_000), entry_date=dt.date(2025, 3, 1))
    base = f"/commons/{commons.slug}/ledger"
    periods = api_client(steward).get(f"{base}/periods").json()
    assert [(p["start"], p["ended"]) for p in periods] == [
        ("2025-01-01", True),
        ("2026-01-01", False),
    ]
    refused_close = api_client(member).post(f"{base}/periods/{old.pk}/close")
    assert refused_close.json()["code"] == "permission_denied"
    current = periods[1]["id"]
    early = api_client(steward).post(f"{base}/periods/{current}/close")
    assert (early.status_code, early.json()["code"]) == (409, "period_not_ended")
    assert early.json()["messages"]["en"].startswith("This fiscal year has not ended yet")
    closed = api_client(steward).post(f"{base}/periods/{old.pk}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    listed = api_client(member).get(f"{base}/allocations").json()
    assert isinstance(listed, list), listed
    [row] = listed
    assert (row["status"], row["result_cents"], row["distribution_allowed"]) == (
        "to_allocate",
        45_000,
        False,
    )

    command = {
        "commons_slug": commons.slug,
        "kind": "allocate_result",
        "title": "Affectation du résultat 2025",
        "payload": {"period_id": old.pk, "reserves_cents": 40_000, "carry_forward_cents": 4_000},
    }
    wrong = api_client(member).command("proposal.open", command)
    assert wrong.json()["code"] == "allocation_mismatch"
    command["payload"]["carry_forward_cents"] = 5_000
    opened = api_client(member).command("proposal.open", command)
    assert opened.status_code == 201, opened.json()
    proposal = opened.json()
    assert proposal["kind"] == "allocate_result" and proposal["payload"]["result_cents"] == 45_000
    [row] = api_client(member).get(f"{base}/allocations").json()
    assert row["open_proposal_id"] == proposal["id"]
