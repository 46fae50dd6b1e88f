"""Django app configuration for impact."""

from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "federage.impact"
    label = "impact"
