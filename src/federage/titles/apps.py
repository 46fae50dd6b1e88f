"""Django configuration of the titles app."""

from django.apps import AppConfig


class TitlesConfig(AppConfig):
    name = "federage.titles"
    label = "titles"

    def ready(self) -> None:
        from federage.titles import ocf

        # `federage export ocf` is one of the ledger's registered exporters.
        ocf.register_exporter()
