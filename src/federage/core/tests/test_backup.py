"""`federage backup`, then `federage restore` onto a new, empty instance: the same books, verified."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from federage.contributions import services as contributions
from federage.contributions.tests import scene as chain
from federage.core import backup, clock

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.4\n% a receipt\n"
APPS = ("core", "accounts", "agents", "commons", "ledger", "governance", "titles", "contributions")

# Run in the new instance: restore, then the same counts as `_counts` here.
RESTORE = """
import json, sys, django
django.setup()
from django.apps import apps
from django.core.management import call_command
call_command("restore", sys.argv[1])
print("COUNTS " + json.dumps({m._meta.label: m._default_manager.count()
      for m in apps.get_models() if m._meta.app_label in sys.argv[2].split(",")}))
"""


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in APPS
    }


@pytest.fixture
def var(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "here"
    return tmp_path


@pytest.fixture
def elsewhere(tmp_path):
    """Runs `restore` in a new process on a new, empty database and data directory."""
    created: list[str] = []
    url = os.environ.get("DATABASE_URL", "")

    def run(archive: Path) -> tuple[int, str, dict | None]:
        env = {**os.environ, "FEDERAGE_VAR": str(tmp_path / "there")}
        if connection.vendor == "postgresql":
            name = f"federage_restore_{uuid.uuid4().hex[:8]}"
            server = url.rsplit("/", 1)[0]
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            created.append(name)
            env["DATABASE_URL"] = f"{server}/{name}"
        else:
            env.pop("DATABASE_URL", None)
            env["FEDERAGE_SQLITE_PATH"] = str(tmp_path / "there" / "restored.sqlite3")
        done = subprocess.run(  # noqa: S603 - this interpreter, our own script
            [sys.executable, "-c", RESTORE, str(archive), ",".join(APPS)],
            env={**env, "DJANGO_SETTINGS_MODULE": "federage.settings"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        output = done.stdout + done.stderr
        counts = [line for line in done.stdout.splitlines() if line.startswith("COUNTS ")]
        return done.returncode, output, json.loads(counts[0][7:]) if counts else None

    yield run
    if created:
        server = url.rsplit("/", 1)[0]
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            for name in created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _scene_with_evidence(make_user, make_commons):
    with clock.frozen(T0):
        scene = chain.build(make_user, make_commons)
        chain.accept(scene)
        draft = chain.propose(scene, title="Apport avec reçu")
        contributions.evidence_add(
            user=scene.contributor,
            contribution_id=draft.pk,
            name="recu.pdf",
            size=len(PDF),
            stream=io.BytesIO(PDF),
        )
    return scene


def test_backup_then_restore_onto_a_new_instance_gives_the_same_verified_books(
    make_user, make_commons, var, elsewhere
):
    _scene_with_evidence(make_user, make_commons)
    before = _counts()
    assert before["ledger.Entry"] > 0 and before["contributions.Evidence"] == 1
    out = var / "backups" / "snapshot.tar.gz"
    call_command("backup", out=str(out), stdout=io.StringIO())
    with tarfile.open(out) as archive:
        manifest = json.load(archive.extractfile(backup.MANIFEST))
        assert sorted(archive.getnames()) == sorted([backup.MANIFEST, *manifest["files"]])
    [evidence] = [name for name in manifest["files"] if name.startswith("evidence/")]

    # Never onto an instance that holds anything.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(out), stdout=io.StringIO())

    returncode, output, after = elsewhere(out)
    assert returncode == 0, output
    assert "problem" not in output, output
    assert after == before
    restored = var / "there" / evidence
    assert restored.read_bytes() == PDF


def test_an_altered_archive_is_refused_before_anything_is_written(
    make_user, make_commons, var, elsewhere
):
    _scene_with_evidence(make_user, make_commons)
    out = var / "snapshot.tar.gz"
    call_command("backup", out=str(out), stdout=io.StringIO())
    altered = var / "altered.tar.gz"
    with tarfile.open(out) as source, tarfile.open(altered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == backup.DATA:
                data = data.replace(b"atelier-textile", b"atelier-pirate")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    returncode, output, after = elsewhere(altered)
    assert returncode != 0 and "altered" in output, output
    assert after is None
