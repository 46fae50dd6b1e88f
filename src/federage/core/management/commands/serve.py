"""`federage serve`: runs the app under uvicorn."""

import os

from django.core.management.base import BaseCommand

SHUTDOWN_GRACE_SECONDS = 5


class Command(BaseCommand):
    help = "Serve Federage over HTTP with uvicorn."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("FEDERAGE_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("FEDERAGE_PORT", "8000"))
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("FEDERAGE_WORKERS", "1")),
            help="Worker processes; keep 1 on SQLite (live updates fan out in-process).",
        )

    def handle(self, *args, host: str, port: int, workers: int, **options) -> None:
        import uvicorn

        self.stdout.write(f"Federage: http://{host}:{port}/")
        uvicorn.run(
            "federage.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            access_log=False,
            # Live streams stay open for an hour: without a limit, a stop (SIGTERM) would wait
            # for every open page. Their browsers reconnect to the next server by themselves.
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        )
