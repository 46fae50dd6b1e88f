"""Django configuration of the live app."""

from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "federage.live"
    label = "live"

    def ready(self) -> None:
        from federage.core.events import event_listener_add
        from federage.live.fanout import HUB

        # Every committed event pokes this process's open streams (SQLite and PostgreSQL);
        # with PostgreSQL, other processes hear it through LISTEN (see fanout.py).
        event_listener_add(HUB.publish)
