"""The table of reactions: which upper app acts, in the writing transaction, on a lower app's fact.

A lower app states its fact (`core.reactions.react("commons.founded", …)`) or closes a vote
without importing the apps above it; these tables, installed once at start-up by the sync app
(the top layer, as for the table of commands in `federage/commands.py`), say who acts on it:
facts → reactions, (kind of decision, outcome) → effect, the payload checks of kinds another
app acts on, and the vote weights.
"""

from __future__ import annotations

from typing import Any

from federage.contributions import integration as contribution_votes
from federage.contributions import services as contributions_services
from federage.core import reactions
from federage.governance import services as governance_services
from federage.ledger import services as ledger_services
from federage.titles import selectors as titles_selectors
from federage.titles import services as titles_services


def _charter_written(*, commons_id: int, user) -> None:
    governance_services.charter_create_default(commons_id=commons_id, user=user)


def _book_opened(*, commons_id: int, user) -> None:
    ledger_services.book_open(commons_id=commons_id)


def _titles_opened(*, commons_id: int, user) -> None:
    # Created now rather than at the first issuance, which then writes nothing before its checks.
    titles_services.title_class_of(commons_id=commons_id)


REACTIONS: dict[str, tuple[reactions.Reaction, ...]] = {
    # A new commons gets its charter (default rules, empty decision log), its book and its
    # class of titles.
    "commons.founded": (_charter_written, _book_opened, _titles_opened),
}


def _contribution_decided(context: governance_services.OutcomeContext) -> dict[str, Any]:
    """A validation vote closed: the contribution is accepted (entry, titles) or refused."""
    passed = context.status == "passed"
    return contributions_services.contribution_decide(
        proposal_id=context.proposal.pk,
        contribution_id=context.proposal.subject_id,
        passed=passed,
        outcome="" if passed else context.status,
        decision_id=context.decision_id,
        charter_version_id=context.charter_version_id,
        charter_in_force=context.charter_in_force,
    )


# (kind of decision, "passed" or "rejected" — an expired vote counts as rejected) → its effect,
# run in the closing transaction (see governance.services.register_outcome_handler). Governance's
# own kinds (amend_charter, admit_member, grant_role) act inside governance.
DECISION_EFFECTS: dict[tuple[str, str], governance_services.OutcomeHandler] = {
    (contribution_votes.KIND, "passed"): _contribution_decided,
    (contribution_votes.KIND, "rejected"): _contribution_decided,
    (ledger_services.ALLOCATE_RESULT, "passed"): ledger_services.result_allocation_on_passed,
}

# Effects that gather and decide before their first write, so they run without a savepoint of
# their own (see governance.services.register_outcome_handler, `checks_first`).
CHECKS_FIRST: set[tuple[str, str]] = {
    (contribution_votes.KIND, "passed"),
    (contribution_votes.KIND, "rejected"),
}

# Kinds another app acts on, checked by that app when the proposal opens and is published.
PAYLOAD_CHECKS: dict[str, governance_services.PayloadCheck] = {
    ledger_services.ALLOCATE_RESULT: ledger_services.result_allocation_payload_check,
}

# Votes "weighted by titles held" (and `title_holders` electorates) ask the titles app.
VOTE_WEIGHTS: governance_services.WeightProvider = titles_selectors.weights_for


def install() -> None:
    reactions.install(REACTIONS)
    for (kind, outcome), effect in DECISION_EFFECTS.items():
        governance_services.register_outcome_handler(
            kind, **{f"on_{outcome}": effect}, checks_first=(kind, outcome) in CHECKS_FIRST
        )
    for kind, check in PAYLOAD_CHECKS.items():
        governance_services.register_payload_check(kind, check)
    governance_services.register_weight_provider(VOTE_WEIGHTS)
