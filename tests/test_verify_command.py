"""`federage verify` checks the whole chain of a commons: book, decision log and title register."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from federage.contributions.tests import scene
from federage.governance.testing import append_only_lifted


@pytest.fixture
def accepted(make_user, make_commons):
    built = scene.build(make_user, make_commons)
    scene.accept(built)
    return built


def verify(slug: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify", "--commons", slug, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_an_accepted_contribution_verifies(accepted):
    out, _ = verify(accepted.slug)
    assert "decision log, titles and issuance prices verified" in out


def test_a_tampered_holding_is_found(accepted):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE titles_holding SET units = units + 1")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify", stdout=io.StringIO(), stderr=err)
    assert "titles" in err.getvalue()


def test_a_tampered_decision_is_found(accepted):
    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute("UPDATE governance_decision SET content = '{}'")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify", stdout=io.StringIO(), stderr=err)
    assert "decision log" in err.getvalue()
