"""Django configuration of the demo loader."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "federage.demo"
    label = "demo"
