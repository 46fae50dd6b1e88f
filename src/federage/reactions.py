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
from federage.federation import services as federation_services
from federage.funding import services as funding_services
from federage.governance import services as governance_services
from federage.impact import services as impact_services
from federage.ledger import services as ledger_services
from federage.legal import services as legal_services
from federage.resources import services as resources_services
from federage.titles import selectors as titles_selectors
from federage.titles import services as titles_services


def _charter_written(*, commons_id: int, user) -> None:
    governance_services.charter_create_default(commons_id=commons_id, user=user)


def _book_opened(*, commons_id: int, user) -> None:
    ledger_services.book_open(commons_id=commons_id)


def _titles_opened(*, commons_id: int, user) -> None:
    # Created now rather than at the first issuance, which then writes nothing before its checks.
    titles_services.title_class_of(commons_id=commons_id)


def _contract_written(reason: str) -> reactions.Reaction:
    """The SEP contract's next version, written after the fact (the charter written first)."""

    def write(*, commons_id: int, **_: Any) -> None:
        legal_services.contract_version_write(commons_id=commons_id, reason=reason)

    return write


REACTIONS: dict[str, tuple[reactions.Reaction, ...]] = {
    # A new commons gets its charter (default rules, empty decision log), its book, its
    # class of titles and version 1 of its contract.
    "commons.founded": (
        _charter_written,
        _book_opened,
        _titles_opened,
        _contract_written("founded"),
        # Its first steward acts for its agent (a commons joins others as organisations do).
        federation_services.stewards_represent,
    ),
    # The contract follows the charter and the partners: a new version on each change.
    "charter.amended": (_contract_written("charter_amended"),),
    # A commons joining another is checked first (itself, its sub-commons, a loop of holdings);
    # the users acting for a commons' agent follow its stewards.
    "membership.joined": (
        federation_services.membership_guard,
        _contract_written("member_joined"),
        federation_services.stewards_represent,
    ),
    "membership.left": (_contract_written("member_left"), federation_services.stewards_represent),
    "membership.roles_changed": (federation_services.stewards_represent,),
    # impact states it when a measurement is verified: tranches whose milestone it reaches
    # become ready to disburse (impact-core may add its own reactions to this tuple).
    "measurement.verified": (funding_services.tranches_release_on_measurement,),
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
    (federation_services.APPROVE_EXCHANGE, "passed"): federation_services.exchange_decided,
    (federation_services.APPROVE_EXCHANGE, "rejected"): federation_services.exchange_decided,
    (federation_services.JOIN_FEDERATION, "passed"): federation_services.federation_joined,
    (federation_services.JOIN_FEDERATION, "rejected"): federation_services.federation_joined,
    # A funder's offer is accepted (or refused) only by the commons' accept_financing vote.
    (funding_services.KIND, "passed"): funding_services.financing_on_decision,
    (funding_services.KIND, "rejected"): funding_services.financing_on_decision,
    # An objective is adopted, or changed, only by its adopt_objective decision.
    (impact_services.KIND, "passed"): impact_services.objective_on_decision,
    (impact_services.KIND, "rejected"): impact_services.objective_on_decision,
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
    federation_services.APPROVE_EXCHANGE: federation_services.exchange_payload_check,
    impact_services.KIND: impact_services.adopt_objective_payload_check,
    # Governance checks a charter amendment itself, then asks resources about its levy lines.
    "amend_charter": resources_services.levy_lines_check,
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
