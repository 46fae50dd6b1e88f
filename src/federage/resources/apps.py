"""Django app configuration for resources."""

from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "federage.resources"
    label = "resources"
