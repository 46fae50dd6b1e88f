"""Issue 12's ceilings on the contribution chain, counted in SQL statements (not time).

A deciding ballot (the one that closes the vote and accepts: ledger entry + issuance) runs at
most 25 statements through the command batch, `contribution.create` at most 8. See
federage.testing.StatementCounter for what is counted.
"""

import datetime as dt
import uuid

import pytest

from federage.contributions.tests import scene as chain
from federage.core import clock, commands
from federage.testing import StatementCounter

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
BALLOT_CEILING = 25
CREATE_CEILING = 8


def _batch(user, type: str, payload: dict) -> dict:
    item = commands.BatchItem(id=uuid.uuid4(), type=type, payload=payload)
    [result] = commands.execute_batch(user=user, items=[item])
    return result


def _create(scene, title: str) -> dict:
    return _batch(
        scene.contributor,
        "contribution.create",
        {
            "commons_slug": scene.slug,
            "kind": "cash",
            "title": title,
            "proposed_price_cents": 50_000,
        },
    )


def _deciding_ballot(scene) -> StatementCounter:
    """A second contribution (the commons has titles, a book, holders) brought to its vote;
    the first approver votes for; the second approver's ballot is counted."""
    contribution = chain.propose(scene, title="Apport suivant")
    contribution = chain.services.contribution_submit(
        user=scene.contributor, contribution_id=contribution.pk
    )
    proposal_id = contribution.proposal_id
    first = _batch(scene.approver1, "ballot.cast", {"proposal_id": proposal_id, "choice": "for"})
    assert first["status"] == 201, first
    with StatementCounter() as counted:
        result = _batch(
            scene.approver2, "ballot.cast", {"proposal_id": proposal_id, "choice": "for"}
        )
    assert result["status"] == 201, result
    contribution.refresh_from_db()
    assert contribution.state == "accepted" and contribution.issuance_id is not None
    return counted


def test_contribution_create_runs_at_most_eight_statements(make_user, make_commons):
    with clock.frozen(T0):
        scene = chain.build(make_user, make_commons)
        _create(scene, "Premier apport")
        with StatementCounter() as counted:
            result = _create(scene, "Apport en numéraire")
        assert result["status"] == 201, result
        assert counted.count <= CREATE_CEILING, counted.listing()


def test_a_deciding_ballot_runs_at_most_25_statements(make_user, make_commons):
    with clock.frozen(T0):
        scene = chain.build(make_user, make_commons)
        chain.accept(scene)
        counted = _deciding_ballot(scene)
        assert counted.count <= BALLOT_CEILING, counted.listing()
