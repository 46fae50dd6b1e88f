"""`federage serve`: runs the app under uvicorn, and `federage worker` beside it."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from federage.core.site import WILDCARD_HOSTS, link_host, served_url

SHUTDOWN_GRACE_SECONDS = 5
WORKER_STOP_SECONDS = 10


def site_address(host: str, port: int) -> str:
    """Points links at this server unless FEDERAGE_SITE_URL names another address; returns it.

    The environment carries host and port to uvicorn's worker processes, which read settings
    afresh; this process has read them already, hence the direct assignments.
    """
    os.environ["FEDERAGE_HOST"], os.environ["FEDERAGE_PORT"] = host, str(port)
    if not os.environ.get("FEDERAGE_SITE_URL", "").strip():
        settings.SITE_URL = served_url(host, port)
    if (
        not os.environ.get("FEDERAGE_ALLOWED_HOSTS")
        and link_host(host) not in settings.ALLOWED_HOSTS
    ):
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, link_host(host)]
    return settings.SITE_URL


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
        parser.add_argument(
            "--no-worker",
            action="store_false",
            dest="worker",
            default=os.environ.get("FEDERAGE_WORKER", "1") != "0",
            help="Do not start `federage worker` beside the server (FEDERAGE_WORKER=0 too): "
            "run one elsewhere, or votes wait past their deadline.",
        )

    def handle(self, *args, host: str, port: int, workers: int, worker: bool, **options) -> None:
        import uvicorn

        site = site_address(host, port)
        listening = f"[{host}]" if ":" in host and not host.startswith("[") else host
        self.stdout.write(f"Federage: http://{listening}:{port}/")
        if site != served_url(host, port):
            self.stdout.write(f"Links in e-mails and invitations point to {site}/")
        elif host.strip("[]") in WILDCARD_HOSTS:
            self.stdout.write(
                f"Links in e-mails and invitations point to {site}/, which only this machine "
                "reaches: set FEDERAGE_SITE_URL to the address others use."
            )
        jobs = worker_start() if worker else None
        try:
            uvicorn.run(
                "federage.asgi:application",
                host=host,
                port=port,
                workers=workers,
                log_level="warning",
                access_log=False,
                # Live streams stay open for an hour: without a limit, a stop (SIGTERM) would
                # wait for every open page. Their browsers reconnect to the next server by
                # themselves.
                timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
            )
        finally:
            if jobs is not None:
                worker_stop(jobs)


def worker_start() -> subprocess.Popen:
    """`federage worker` as a child process; it stops by itself if this server dies."""
    return subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "federage", "worker", "--parent-pid", str(os.getpid())]
    )


def worker_stop(jobs: subprocess.Popen) -> None:
    """Stops the worker after its current job: Ctrl-C reached it too, else it is asked to."""
    for stop in (None, jobs.terminate, jobs.kill):
        if stop is not None:
            stop()
        try:
            jobs.wait(1 if stop is None else WORKER_STOP_SECONDS)
            return
        except subprocess.TimeoutExpired:
            continue
