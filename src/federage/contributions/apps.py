"""Django configuration of the contributions app."""

from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "federage.contributions"
    label = "contributions"

    def ready(self) -> None:
        # Importing the API registers this app's commands; the integration module registers the
        # governance outcome handlers of contribution proposals.
        from federage.contributions import api, integration  # noqa: F401

        integration.register_with_governance()
