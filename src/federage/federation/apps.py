"""Django app configuration for federation."""

from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "federage.federation"
    label = "federation"
