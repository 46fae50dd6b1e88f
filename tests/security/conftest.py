"""Fixtures of the security checks: the guarded commons under a frozen clock."""

from __future__ import annotations

import pytest

from federage.core import clock
from tests.security.world import NOW, build_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with clock.frozen(NOW):
        yield build_world()
