"""Django configuration of the opendata app."""

from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "federage.opendata"
    label = "opendata"

    def ready(self) -> None:
        # `federage export datapackage` is one of the ledger's registered exporters.
        from federage.opendata import datapackage

        datapackage.register_exporter()
