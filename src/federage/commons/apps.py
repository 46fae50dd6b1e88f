"""Django configuration of the commons app."""

from django.apps import AppConfig


class CommonsConfig(AppConfig):
    name = "federage.commons"
    label = "commons"
