"""Django app configuration for the legal vehicle."""

from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "federage.legal"
    label = "legal"
