"""Backups: one archive holding a consistent snapshot of the database and the evidence files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from federage.core import clock

FORMAT = 1
DATA = "data.json"
MANIFEST = "manifest.json"
EVIDENCE = "evidence"
# Rebuilt by `migrate` (content types, permissions) or of no worth once the moment has passed
# (sessions, finished jobs, the admin's log).
EXCLUDED = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_tasks_database",
)


class BackupError(Exception):
    """An archive that cannot be restored here: its reason is the message."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def evidence_root() -> Path:
    return Path(settings.VAR_DIR) / EVIDENCE


def _applied_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def backup(out: Path) -> dict:
    """Writes the archive to `out`; returns its manifest.

    The rows come from one read-only transaction: on PostgreSQL a REPEATABLE READ snapshot
    (writers go on meanwhile), on SQLite a transaction that holds writers back until it ends.
    Evidence files are named by their SHA-256 and never change: those added while the archive
    is written are taken or not, and the books never point to one that is missing.
    """
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / DATA
        # Inside a caller's transaction (a test), its snapshot is the one read.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            with data.open("w", encoding="utf-8") as handle:
                call_command(
                    "dumpdata",
                    natural_foreign=True,
                    exclude=list(EXCLUDED),
                    stdout=handle,
                    verbosity=0,
                )
            migrations = _applied_migrations()
        files = {DATA: {"sha256": _sha256(data), "bytes": data.stat().st_size}}
        evidence = sorted(path for path in evidence_root().rglob("*") if path.is_file())
        for path in evidence:
            name = f"{EVIDENCE}/{path.relative_to(evidence_root()).as_posix()}"
            files[name] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
        manifest = {
            "format": FORMAT,
            "created_at": clock.now().isoformat(),
            "database": connection.vendor,
            "migrations": migrations,
            "files": files,
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            encoded = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(encoded), int(clock.now().timestamp())
            archive.addfile(info, io.BytesIO(encoded))
            archive.add(data, arcname=DATA)
            for path in evidence:
                archive.add(
                    path, arcname=f"{EVIDENCE}/{path.relative_to(evidence_root()).as_posix()}"
                )
        partial.replace(out)  # a crash while writing leaves no archive that looks whole
    return manifest


def _database_is_empty() -> bool:
    from django.apps import apps

    for model in apps.get_models():
        label = model._meta.app_label
        if label in ("contenttypes", "auth", "sessions", "admin", "django_tasks_database"):
            continue
        # Reference data the migrations seed is on every new instance; the archive's copy
        # (the same rows by id, plus any the instance added) replaces it.
        if getattr(model, "seeded_by_migrations", False):
            continue
        if model._meta.managed and not model._meta.proxy and model._default_manager.exists():
            return False
    return True


def restore(archive_path: Path) -> dict:
    """Loads an archive onto an empty, migrated instance; returns its manifest.

    Every member is checked against the manifest's SHA-256 before anything is written; the rows
    load in one transaction (all or nothing); then the evidence files are put in place.
    """
    if not _database_is_empty():
        raise BackupError("the database is not empty: restore onto a new instance")
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive_path, "r:gz") as archive:
        root = Path(scratch)
        archive.extractall(root, filter="data")
        manifest = json.loads((root / MANIFEST).read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown archive format {manifest.get('format')!r}")
        here = _applied_migrations()
        ahead = {
            app: name for app, name in manifest["migrations"].items() if name > here.get(app, "")
        }
        if ahead:
            raise BackupError(f"the archive is from a newer version: {ahead}")
        for name, expected in manifest["files"].items():
            path = root / name
            if not path.is_file() or _sha256(path) != expected["sha256"]:
                raise BackupError(f"{name}: missing or altered")
        extra = (
            {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
            - set(manifest["files"])
            - {MANIFEST}
        )
        if extra:
            raise BackupError(f"not in the manifest: {sorted(extra)[:5]}")
        with transaction.atomic():
            call_command("loaddata", str(root / DATA), verbosity=0)
        for name in manifest["files"]:
            if name.startswith(f"{EVIDENCE}/"):
                target = evidence_root() / name[len(EVIDENCE) + 1 :]
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    (root / name).replace(target)
    return manifest


def stamp(moment: dt.datetime | None = None) -> str:
    """A file name's date part: `federage-20261202-1230.tar.gz`."""
    return (moment or clock.now()).strftime("%Y%m%d-%H%M")
