"""Django configuration of the titles app."""

from django.apps import AppConfig


class TitlesConfig(AppConfig):
    name = "federage.titles"
    label = "titles"

    def ready(self) -> None:
        from federage.governance import services as governance_services
        from federage.titles import ocf, selectors

        # Votes "weighted by titles held" ask this app for the weights.
        governance_services.register_weight_provider(selectors.weights_for)
        # `federage export ocf` is one of the ledger's registered exporters.
        ocf.register_exporter()
