"""Django configuration of the ledger app."""

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "federage.ledger"
    label = "ledger"
