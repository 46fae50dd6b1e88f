"""`federage backup --out FILE`: the database and the evidence files in one archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from federage.core import backup


class Command(BaseCommand):
    help = "Writes a consistent snapshot of the database and the evidence files, with a manifest."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--out", default="", help="archive path (default: var/backups/federage-<date>.tar.gz)"
        )

    def handle(self, *args, out: str, **options) -> None:
        path = (
            Path(out)
            if out
            else backup.evidence_root().parent / "backups" / (f"federage-{backup.stamp()}.tar.gz")
        )
        manifest = backup.backup(path)
        files = len(manifest["files"]) - 1
        self.stdout.write(f"{path}: the database and {files} evidence file(s), manifest inside")
