"""Django configuration of the governance app."""

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "federage.governance"
    label = "governance"
