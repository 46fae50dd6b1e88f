"""Django configuration of the ledger app."""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "federage.ledger"
    label = "ledger"

    def ready(self) -> None:
        # Registers the ledger's export formats (its reactions to decisions are in the table of
        # federage/reactions.py).
        from federage.ledger import exports  # noqa: F401
