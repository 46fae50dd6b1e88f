"""Django configuration of the sync app."""

from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "federage.sync"
    label = "sync"

    def ready(self) -> None:
        # The one place the tables of all commands and of all reactions are loaded at start-up
        # (sync is the top layer and applies every app's commands), for the CLI, the worker and
        # tests as for HTTP.
        import federage.commands  # noqa: F401
        from federage import reactions

        reactions.install()
