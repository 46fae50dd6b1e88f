"""Django configuration of the contributions app."""

from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "federage.contributions"
    label = "contributions"
