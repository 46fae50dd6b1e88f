"""Django configuration of the agents app."""

from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "federage.agents"
    label = "agents"

    def ready(self) -> None:
        # Importing the API registers this app's commands in the command registry.
        from federage.agents import api  # noqa: F401
