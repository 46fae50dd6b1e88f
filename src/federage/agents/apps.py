"""Django configuration of the agents app."""

from django.apps import AppConfig


class AgentsConfig(AppConfig):
    name = "federage.agents"
    label = "agents"
