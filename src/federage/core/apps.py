"""Django configuration of the shared kernel."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "federage.core"
    label = "core"
