"""Django configuration of the contributions app."""

from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "federage.contributions"
    label = "contributions"

    def ready(self) -> None:
        # The integration module registers the governance outcome handlers of contribution
        # proposals.
        from federage.contributions import integration

        integration.register_with_governance()
