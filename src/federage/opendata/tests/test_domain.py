"""Pure rules of open data: filters, pseudonyms, ETags, the rate limit, dashboard maths."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.core.errors import ApplicationError
from federage.governance import domain as governance_domain
from federage.opendata import domain


def test_filters_cap_the_page_and_name_each_bad_field():
    assert domain.parse_filters(limit="5000").limit == domain.LIMIT_MAX
    assert domain.parse_filters().limit == domain.LIMIT_DEFAULT
    with pytest.raises(ApplicationError) as caught:
        domain.parse_filters(limit="abc", offset="-3", category="\x00")
    assert caught.value.http_status == 400
    assert set(caught.value.fields) == {"limit", "offset", "category"}


def test_pseudonyms_are_stable_keyed_and_per_commons():
    ref = domain.pseudonym_ref(b"k", 1, 42)
    assert ref == domain.pseudonym_ref(b"k", 1, 42)
    assert ref != domain.pseudonym_ref(b"k", 2, 42)  # not linkable across commons
    assert ref != domain.pseudonym_ref(b"other", 1, 42)  # not recomputable without the key
    assert domain.pseudonym_name(ref) == f"Membre {ref[:6]}"


@pytest.mark.parametrize(
    ("kind", "consented", "policy", "public"),
    [
        ("company", False, "hidden", True),
        ("person", False, "with_consent", False),
        ("person", True, "with_consent", True),
        ("person", True, "hidden", False),
        ("person", True, "unknown", False),
    ],
)
def test_who_is_named(kind, consented, policy, public):
    # The one rule is governance's (the charter says who is named); open data applies it.
    assert (
        governance_domain.name_is_public(kind=kind, consented=consented, persons_policy=policy)
        is public
    )


def test_etags_match_weak_lists_and_star():
    etag = domain.etag_of(b"{}")
    assert domain.etag_matches(etag, etag)
    assert domain.etag_matches(f'"x", W/{etag}', etag)
    assert domain.etag_matches("*", etag)
    assert not domain.etag_matches('"x"', etag)


def test_rate_limit_window_and_memory_bound():
    limiter = domain.RateLimiter(limit=2, window=60, max_keys=3)
    assert limiter.hit("a", 0) is None and limiter.hit("a", 1) is None
    assert limiter.hit("a", 2) == pytest.approx(58)
    assert limiter.hit("a", 61) is None  # a new window
    for key in "bcde":
        limiter.hit(key, 62)
    assert len(limiter._hits) == 3
    assert domain.RateLimiter(limit=0).hit("a", 0) is None


def test_monthly_series_nets_reversals_and_sub_accounts():
    movements = [
        ("2026-01", "1013", 0, 1000),
        ("2026-01", "10131", 0, 500),
        ("2026-02", "1015", 0, 300),
        ("2026-02", "1013", 200, 0),  # a reversal
        ("2026-02", "512", 999, 0),
    ]
    series = domain.monthly_series(movements, domain.CONTRIBUTION_ACCOUNTS)
    assert series == [
        {"month": "2026-01", "cash": 1500, "in_kind": 0, "labour": 0, "total_cents": 1500},
        {"month": "2026-02", "cash": -200, "in_kind": 0, "labour": 300, "total_cents": 100},
    ]
    assert domain.cumulative(series)[-1] == {"month": "2026-02", "amount_cents": 1600}


def test_nav_keeps_the_last_point_of_each_month():
    at = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    points = [
        (at, 1000, "1"),
        (at + dt.timedelta(days=3), 1100, "2"),
        (at.replace(month=4), 900, "3"),
    ]
    assert [item["unit_value_cents"] for item in domain.last_per_month(points)] == [1100, 900]


def test_sankey_from_balances():
    sankey = domain.Sankey()
    domain.sankey_add_commons(
        sankey,
        commons_key="c",
        commons_label="Commun",
        accounts=[
            ("1013", "Capital numéraire", "equity", "financial", -1000),
            ("741", "Subventions", "income", "financial", -500),
            ("512", "Banque", "asset", "financial", 1200),
            ("606", "Achats", "expense", "financial", 300),
            ("120", "Résultat", "equity", "financial", -10),
        ],
    )
    out = sankey.as_dict()
    assert {(link["source"], link["target"], link["value"]) for link in out["links"]} == {
        ("contributors:cash", "c", 1000),
        ("funders:741", "c", 500),
        ("c", "c:resource:512", 1200),
        ("c", "expenses:60", 300),
    }
    assert {node["name"] for node in out["nodes"]} == {
        "contributors:cash",
        "funders:741",
        "c",
        "c:resource:512",
        "expenses:60",
    }
