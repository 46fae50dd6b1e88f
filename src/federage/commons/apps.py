"""Django configuration of the commons app."""

from django.apps import AppConfig


class CommonsConfig(AppConfig):
    name = "federage.commons"
    label = "commons"

    def ready(self) -> None:
        # Importing the API registers this app's commands in the command registry.
        from federage.commons import api  # noqa: F401
