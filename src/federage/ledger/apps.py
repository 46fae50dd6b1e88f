"""Django configuration of the ledger app."""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "federage.ledger"
    label = "ledger"

    def ready(self) -> None:
        # Registers the ledger's export formats, and acts on the decisions that allocate a
        # closed year's result.
        from federage.governance import services as governance_services
        from federage.ledger import exports, services  # noqa: F401

        governance_services.register_payload_check(
            services.ALLOCATE_RESULT, services.result_allocation_payload_check
        )
        governance_services.register_outcome_handler(
            services.ALLOCATE_RESULT, on_passed=services.result_allocation_on_passed
        )
