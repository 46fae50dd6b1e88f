"""Django configuration of the webapp app."""

from django.apps import AppConfig


class WebappConfig(AppConfig):
    name = "federage.webapp"
    label = "webapp"
