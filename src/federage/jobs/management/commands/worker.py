"""`federage worker`: runs the time-driven work, so that reading a page never has to.

Two things, in one loop: the jobs queued in the database (django-tasks' database backend) as
they fall due, e.g. a vote's closing at its deadline; and, every 30 seconds, the sweep
(`federage/jobs/sweep.py`), which closes due votes, re-runs pending decision effects and
executes redemptions whose notice has run, whatever job was lost. `federage serve` starts one.
Several workers may run against one PostgreSQL: a queued job is claimed by one only, and the
sweep's writes each lock their row first.
"""

from __future__ import annotations

import os
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from federage.jobs import sweep

PRUNE_EVERY_SECONDS = 3600.0
# What stops the worker gracefully (the library's worker catches these).
STOP_SIGNALS = (
    signal.SIGINT,
    signal.SIGTERM,
    *([signal.SIGQUIT] if hasattr(signal, "SIGQUIT") else []),
)


class Command(BaseCommand):
    help = (
        "Run the time-driven work: queued jobs as they fall due (votes closing at their "
        "deadline…) and, every 30 s, a sweep of whatever is due (votes, pending decision "
        "effects, redemptions)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between two looks at the queue when it is empty (default: 1).",
        )
        parser.add_argument(
            "--sweep-seconds",
            type=float,
            default=float(settings.WORKER_SWEEP_SECONDS),
            help="Seconds between two sweeps (default: FEDERAGE_WORKER_SWEEP_SECONDS or 30).",
        )
        parser.add_argument(
            "--once", action="store_true", help="Run the due jobs and one sweep, then exit."
        )
        parser.add_argument(
            "--parent-pid",
            type=int,
            default=None,
            help="Stop when this process (the server that started the worker) is gone.",
        )

    def handle(
        self,
        *args,
        interval: float,
        sweep_seconds: float,
        once: bool,
        parent_pid: int | None,
        verbosity: int,
        **options,
    ) -> None:
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=True,  # one pass over the ready jobs per call; this loop adds the sweep
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
        worker.configure_signals()
        if verbosity and not once:
            self.stdout.write(
                f"Federage worker: queued jobs, and a sweep every {sweep_seconds:g} s"
            )
        next_sweep = next_prune = 0.0
        try:
            while worker.running:
                worker.run()  # every queued job that is due, e.g. the closing of a vote
                if worker.running and time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + sweep_seconds
                    self._sweep(worker, verbosity, prune=time.monotonic() >= next_prune)
                    if time.monotonic() >= next_prune:
                        next_prune = time.monotonic() + PRUNE_EVERY_SECONDS
                if once or (parent_pid is not None and os.getppid() != parent_pid):
                    break
                if worker.running:
                    time.sleep(interval)
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)

    def _sweep(self, worker: Worker, verbosity: int, *, prune: bool) -> None:
        # Marked as running a job: a stop (Ctrl-C) then waits for the sweep's end, not mid-way.
        worker.running_task = True
        try:
            close_old_connections()
            done = sweep.sweep()
            if prune:
                sweep.results_prune()
        finally:
            worker.running_task = False
            close_old_connections()
        said = ", ".join(
            f"{count} {name.replace('_', ' ')}" for name, count in done.items() if count
        )
        if said and verbosity:
            self.stdout.write(said)
