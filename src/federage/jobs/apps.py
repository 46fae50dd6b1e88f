"""Django configuration of the worker."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "federage.jobs"
    label = "jobs"
