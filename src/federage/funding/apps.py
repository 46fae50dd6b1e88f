"""Django app configuration for funding."""

from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "federage.funding"
    label = "funding"
