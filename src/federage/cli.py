"""The `federage` console command: Django's management commands under a friendlier name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federage.settings")
    from django.core.management import execute_from_command_line

    arguments = list(sys.argv if argv is None else ["federage", *argv])
    execute_from_command_line(arguments)


if __name__ == "__main__":
    main()
