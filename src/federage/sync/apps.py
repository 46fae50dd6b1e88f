"""Django configuration of the sync app."""

from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "federage.sync"
    label = "sync"
