"""Django configuration of the ledger app."""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "federage.ledger"
    label = "ledger"

    def ready(self) -> None:
        # Registers the ledger's commands and its export formats.
        from federage.ledger import api, exports  # noqa: F401
