"""The demo books: a closed previous year, the current year to date, exportable as a FEC."""

from __future__ import annotations

import datetime as dt

from federage.agents import services as agent_services
from federage.commons import services as commons_services
from federage.ledger import exports, selectors
from federage.ledger.demo import ledger_demo_load
from federage.ledger.testing import TODAY


def test_demo_books(make_user, make_commons, tmp_path):
    steward, officer = make_user(), make_user()
    association = agent_services.agent_create(
        user=officer, kind="association", display_name="Fil Commun", siren="900100017"
    )
    commons = make_commons(steward, slug="atelier-textile-circulaire")
    _, link = commons_services.invitation_create(
        user=steward, slug=commons.slug, email=officer.email, roles=["contributor"]
    )
    commons_services.invitation_accept(
        user=officer, token=link.rsplit("/", 1)[1], agent_id=association.pk
    )
    ledger_demo_load([commons.slug])

    book = selectors.book_of(commons_id=commons.pk)
    assert selectors.book_verify(book=book) == []
    periods = selectors.periods_of(book=book)
    assert [(p.start.year, p.status) for p in periods] == [(2025, "closed"), (2026, "open")]
    assert book.entry_count > 100
    sheet = selectors.balance_sheet(book=book, at=TODAY)
    assert sheet["total_actif_cents"] == sheet["total_passif_cents"] > 0
    assert selectors.income_statement(book=book, at=dt.date(2025, 12, 31))["result_cents"] != 0
    for year in (2025, 2026):
        path = exports.fec_write(commons=commons, year=year, out_dir=tmp_path)
        assert path.name == f"900100017FEC{year}1231.txt"
        # No anomaly the DGFiP's tester would report (CompteNum of three digits and more…).
        period = selectors.period_of_year(book=book, year=year)
        assert exports.fec_check(path=path, period=period) == []
    journals = {entry.journal for entry in selectors.entries_of(book=book)}
    # Capital journals (AP, AI) come from validated contributions, not from the demo books.
    assert {"AN", "AC", "BQ", "VE", "FI"} <= journals
    assert not {"AP", "AI"} & journals
