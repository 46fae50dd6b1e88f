"""Django configuration of the privacy app (no table of its own)."""

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "federage.privacy"
    label = "privacy"
