"""The settled bound: a cursor never passes an id that a running transaction may still commit."""

import datetime as dt

from federage.core.events import bound_below_recent_gaps

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
OLD = NOW - dt.timedelta(minutes=5)
HORIZON = NOW - dt.timedelta(seconds=10)


def test_without_gaps_the_bound_is_the_newest_event():
    assert bound_below_recent_gaps([(7, NOW), (6, NOW), (5, OLD)], horizon=HORIZON) == 7


def test_a_missing_id_under_a_recent_event_holds_the_bound_below_it():
    assert bound_below_recent_gaps([(9, NOW), (8, NOW), (6, OLD)], horizon=HORIZON) == 6


def test_a_missing_id_under_an_old_event_was_rolled_back_long_ago():
    assert bound_below_recent_gaps([(9, NOW), (8, OLD), (5, OLD)], horizon=HORIZON) == 9


def test_the_lowest_recent_gap_decides():
    latest = [(20, NOW), (18, NOW), (17, NOW), (12, NOW), (11, OLD), (4, OLD)]
    assert bound_below_recent_gaps(latest, horizon=HORIZON) == 12
