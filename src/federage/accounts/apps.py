"""Django configuration of the accounts app."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "federage.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Importing the API registers this app's commands in the command registry.
        from federage.accounts import api  # noqa: F401
