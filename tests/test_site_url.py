"""Links in invitations and e-mails point where the app is served, or to FEDERAGE_SITE_URL."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.test import Client

from federage.accounts import services as account_services
from federage.commons import services as commons_services
from federage.governance import services as governance_services

WILDCARD = "0.0.0.0"  # noqa: S104 - a host name under test, nothing binds it
SITE_VARIABLES = ("FEDERAGE_SITE_URL", "FEDERAGE_HOST", "FEDERAGE_PORT", "FEDERAGE_ALLOWED_HOSTS")


def settings_read_in_a_fresh_process(**environ: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in SITE_VARIABLES}
    code = (
        "import json; from federage import settings; "
        "print(json.dumps([settings.SITE_URL, settings.ALLOWED_HOSTS]))"
    )
    done = subprocess.run(  # noqa: S603 - this Python on fixed code
        [sys.executable, "-c", code], env={**env, **environ}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    site_url, allowed_hosts = json.loads(done.stdout)
    return {"site_url": site_url, "allowed_hosts": allowed_hosts}


@pytest.mark.parametrize(
    ("environ", "site_url", "extra_host"),
    [
        ({}, "http://127.0.0.1:8000", None),
        ({"FEDERAGE_PORT": "8123"}, "http://127.0.0.1:8123", None),
        (
            {"FEDERAGE_HOST": "192.0.2.7", "FEDERAGE_PORT": "8080"},
            "http://192.0.2.7:8080",
            "192.0.2.7",
        ),
        (
            {"FEDERAGE_HOST": "federage.lan", "FEDERAGE_PORT": "80"},
            "http://federage.lan",
            "federage.lan",
        ),
        # Wildcards listen everywhere; the link names the loopback of the same family.
        ({"FEDERAGE_HOST": WILDCARD, "FEDERAGE_PORT": "9000"}, "http://127.0.0.1:9000", None),
        ({"FEDERAGE_HOST": "::", "FEDERAGE_PORT": "9001"}, "http://[::1]:9001", None),
        (
            {"FEDERAGE_HOST": "2001:db8::5", "FEDERAGE_PORT": "9002"},
            "http://[2001:db8::5]:9002",
            "[2001:db8::5]",
        ),
        # An explicit address wins over where the app listens (a proxy in front, HTTPS).
        (
            {"FEDERAGE_SITE_URL": "https://federage.example.org/", "FEDERAGE_PORT": "9003"},
            "https://federage.example.org",
            None,
        ),
    ],
)
def test_site_url_is_computed_from_the_environment(environ, site_url, extra_host):
    read = settings_read_in_a_fresh_process(**environ)
    assert read["site_url"] == site_url
    local = ["127.0.0.1", "localhost", "[::1]"]
    assert read["allowed_hosts"] == (local if extra_host is None else [*local, extra_host])


def test_explicit_allowed_hosts_are_kept_as_given():
    read = settings_read_in_a_fresh_process(
        FEDERAGE_ALLOWED_HOSTS="federage.example.org", FEDERAGE_HOST="192.0.2.7"
    )
    assert read["allowed_hosts"] == ["federage.example.org"]


@pytest.fixture
def serve(monkeypatch, settings):
    """Runs `federage serve` up to uvicorn, which only records what it was asked to run."""
    for name in SITE_VARIABLES:
        # Set, then removed: so recorded, and what the command exports is undone after the test.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    # No `federage worker` beside it: uvicorn is not run either.
    monkeypatch.setenv("FEDERAGE_WORKER", "0")
    # Assigned through the fixture so that the command's own assignments are undone too.
    settings.SITE_URL, settings.ALLOWED_HOSTS = settings.SITE_URL, list(settings.ALLOWED_HOSTS)
    runs = []
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **options: runs.append({"app": app, **options}))

    def serve(*arguments: str) -> dict:
        printed = io.StringIO()
        call_command("serve", *arguments, stdout=printed)
        return {**runs[-1], "printed": printed.getvalue()}

    return serve


def test_serve_points_links_at_the_address_it_listens_on(serve, settings, make_user, make_commons):
    run = serve("--host", WILDCARD, "--port", "8765")
    assert (run["host"], run["port"]) == (WILDCARD, 8765)
    # uvicorn's worker processes read settings afresh: the environment carries the address.
    assert (os.environ["FEDERAGE_HOST"], os.environ["FEDERAGE_PORT"]) == (WILDCARD, "8765")
    assert django_settings.SITE_URL == "http://127.0.0.1:8765"
    assert "point to http://127.0.0.1:8765/, which only this machine reaches" in run["printed"]

    steward = make_user()
    commons = make_commons(steward)
    mail.outbox.clear()
    _, link = commons_services.invitation_create(
        user=steward, slug=commons.slug, email="newcomer@example.org", roles=["contributor"]
    )
    assert link.startswith("http://127.0.0.1:8765/invitations/")
    assert account_services.email_confirmation_link(steward).startswith(
        "http://127.0.0.1:8765/confirm-email/"
    )


def test_serve_on_a_named_host_answers_its_own_links(
    serve, make_user, make_commons, django_capture_on_commit_callbacks
):
    serve("--host", "192.0.2.7", "--port", "8080")
    assert django_settings.SITE_URL == "http://192.0.2.7:8080"
    steward = make_user()
    commons = make_commons(steward)
    with django_capture_on_commit_callbacks(execute=True):
        _, link = commons_services.invitation_create(
            user=steward, slug=commons.slug, email="newcomer@example.org", roles=["contributor"]
        )
    [invitation] = [m for m in mail.outbox if m.to == ["newcomer@example.org"]]
    assert f"Pour accepter : {link}\n" in invitation.body
    assert link.startswith("http://192.0.2.7:8080/invitations/")
    # The host of the link is one this server accepts (not a 400 DisallowedHost).
    parts = urlsplit(link)
    token = parts.path.rsplit("/", 1)[1]
    answer = Client().get(f"/api/v1/invitations/{token}", HTTP_HOST=parts.netloc)
    assert answer.status_code == 200, answer.content
    assert answer.json()["commons"]["slug"] == commons.slug


def test_e_mails_carry_the_served_address(
    serve, make_user, make_commons, django_capture_on_commit_callbacks
):
    serve("--port", "8123")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        account_services.user_sign_up(
            email="newcomer@example.org", password="a-long-passphrase-1", display_name="Nouvelle"
        )
    [confirmation] = mail.outbox
    assert "http://127.0.0.1:8123/confirm-email/" in confirmation.body

    steward, member = make_user(), make_user()
    commons = make_commons(steward, members={member: ["approver"]})
    governance_services.notification_preference_set(user=member, email_enabled=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = governance_services.proposal_open(
            user=steward,
            commons_id=commons.pk,
            kind="amend_charter",
            title="Taxe de cession à 2,5 %",
            payload={"changes": {"transfer_tax_bp": 250}},
        )
    [notification] = [m for m in mail.outbox if m.to == [member.email]]
    assert f"http://127.0.0.1:8123/proposals/{proposal.pk}\n" in notification.body


def test_an_explicit_site_url_wins_over_the_served_address(serve, monkeypatch):
    monkeypatch.setenv("FEDERAGE_SITE_URL", "https://federage.example.org")
    django_settings.SITE_URL = "https://federage.example.org"
    serve("--host", WILDCARD, "--port", "8765")
    assert django_settings.SITE_URL == "https://federage.example.org"
    assert os.environ["FEDERAGE_PORT"] == "8765"
