"""Accounts through the API: sign-up, confirmation, log-in throttling, password reset, tokens."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from federage.accounts.models import ApiToken, User
from federage.testing import PASSWORD


def sign_up(client, email="ana@example.org", password=PASSWORD, **extra):
    body = {"email": email, "password": password, "display_name": "Ana", **extra}
    return client.post("/auth/signup", body)


def test_sign_up_logs_in_creates_a_person_agent_and_sends_a_confirmation(db, api_client):
    client = api_client()
    response = sign_up(client)
    assert response.status_code == 201, response.json()
    me = client.get("/auth/me").json()
    assert me["email"] == "ana@example.org"
    assert me["email_verified"] is False
    assert [(agent["kind"], agent["display_name"]) for agent in me["agents"]] == [("person", "Ana")]
    assert len(mail.outbox) == 1
    token = re.search(r"/confirm-email/(\S+)", mail.outbox[0].body).group(1)
    assert client.post("/auth/confirm-email", {"token": token}).status_code == 200
    assert client.get("/auth/me").json()["email_verified"] is True


@pytest.mark.parametrize(
    ("email", "password", "code", "field"),
    [
        ("ana@example.org", "short", "weak_password", "password"),
        ("ana@example.org", "1234567890123", "weak_password", "password"),
        ("not-an-email", PASSWORD, "invalid_email", "email"),
    ],
)
def test_sign_up_refusals_write_nothing(db, api_client, email, password, code, field):
    response = sign_up(api_client(), email=email, password=password)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert field in body["fields"]
    assert body["messages"]["fr"] and body["messages"]["en"]
    assert User.objects.count() == 0


def test_duplicate_email_is_refused_whatever_its_case(db, api_client):
    assert sign_up(api_client()).status_code == 201
    response = sign_up(api_client(), email="ANA@example.org")
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"
    assert User.objects.count() == 1


def test_error_message_follows_the_request_language(db, api_client):
    client = api_client()
    body = {"email": "x", "password": PASSWORD, "display_name": "X"}
    english = client.post("/auth/signup", body, language="en").json()
    assert english["message"] == english["messages"]["en"]
    french = client.post("/auth/signup", body, language="fr").json()
    assert french["message"] == french["messages"]["fr"]


def test_sign_up_without_csrf_is_refused(db):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/auth/signup",
        {"email": "b@example.org", "password": PASSWORD, "display_name": "B"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not User.objects.filter(email="b@example.org").exists()


def test_log_in_log_out_and_wrong_password(make_user, api_client):
    user = make_user("bob@example.org")
    client = api_client()
    wrong = client.post("/auth/login", {"email": user.email, "password": "nope-nope-nope"})
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "invalid_credentials"
    assert (
        client.post("/auth/login", {"email": "BOB@example.org", "password": PASSWORD}).status_code
        == 200
    )
    assert client.get("/auth/me").status_code == 200
    assert client.post("/auth/logout").status_code == 204
    me = client.get("/auth/me")
    assert me.status_code == 401
    assert me.json()["code"] == "not_authenticated"


def test_login_is_throttled_after_repeated_failures(make_user, api_client):
    user = make_user("carol@example.org")
    client = api_client()
    for _ in range(settings.LOGIN_FAILURES_MAX):
        response = client.post("/auth/login", {"email": user.email, "password": "wrong-wrong"})
        assert response.json()["code"] == "invalid_credentials"
    blocked = client.post("/auth/login", {"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "too_many_attempts"


def test_password_reset_round_trip(make_user, api_client):
    user = make_user("dan@example.org")
    client = api_client()
    assert client.post("/auth/password-reset", {"email": "dan@example.org"}).status_code == 202
    assert client.post("/auth/password-reset", {"email": "nobody@example.org"}).status_code == 202
    reset_mails = [message for message in mail.outbox if "password-reset" in message.body]
    assert len(reset_mails) == 1
    token = re.search(r"/password-reset/(\S+)", reset_mails[0].body).group(1)
    new_password = "a-brand-new-passphrase-2026"
    weak = client.post("/auth/password-reset/confirm", {"token": token, "password": "123"})
    assert weak.json()["code"] == "weak_password"
    done = client.post("/auth/password-reset/confirm", {"token": token, "password": new_password})
    assert done.status_code == 204
    reused = client.post("/auth/password-reset/confirm", {"token": token, "password": new_password})
    assert reused.json()["code"] == "invalid_token"
    assert (
        client.post("/auth/login", {"email": user.email, "password": new_password}).status_code
        == 200
    )


def test_a_password_reset_ends_tokens_and_sessions(make_user, api_client, client):
    """Issue 14: API tokens survived a password reset."""
    user = make_user("eve@example.org")
    session = Client()
    assert (
        session.post(
            "/api/v1/auth/login",
            {"email": user.email, "password": PASSWORD},
            content_type="application/json",
        ).status_code
        == 200
    )
    clear = api_client(user).post("/auth/tokens", {"name": "script"}).json()["token"]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {clear}"}
    assert client.get("/api/v1/auth/me", **bearer).status_code == 200
    assert session.get("/api/v1/auth/me").status_code == 200
    api_client().post("/auth/password-reset", {"email": user.email})
    [reset] = [message for message in mail.outbox if "password-reset" in message.body]
    token = re.search(r"/password-reset/(\S+)", reset.body).group(1)
    confirmed = api_client().post(
        "/auth/password-reset/confirm", {"token": token, "password": "another-passphrase-2026"}
    )
    assert confirmed.status_code == 204
    assert client.get("/api/v1/auth/me", **bearer).status_code == 401
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert session.get("/api/v1/auth/me").status_code == 401


def test_api_token_is_shown_once_stored_hashed_and_revocable(make_user, api_client, client):
    user = make_user()
    session = api_client(user)
    created = session.post("/auth/tokens", {"name": "script"}).json()
    clear = created["token"]
    assert clear.startswith("fdg_")
    stored = ApiToken.objects.get(pk=created["id"])
    assert clear not in (stored.token_hash, stored.prefix)
    assert "token" not in session.get("/auth/tokens").json()[0]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {clear}"}
    assert client.get("/api/v1/auth/me", **bearer).json()["email"] == user.email
    # A token in a header needs no CSRF: scripts can write.
    created_commons = client.post(
        "/api/v1/commons",
        {"slug": "par-script", "name": "Par script"},
        content_type="application/json",
        **bearer,
    )
    assert created_commons.status_code == 201
    assert session.delete(f"/auth/tokens/{created['id']}").status_code == 204
    assert client.get("/api/v1/auth/me", **bearer).status_code == 401


def test_production_hasher_is_argon2():
    from django.conf import settings as live

    hashers = [h for h in live.PASSWORD_HASHERS if "MD5" not in h]
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_passwords_are_hashed_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user("eve@example.org", PASSWORD, display_name="Eve")
    assert user.password.startswith("argon2$argon2id$")


def test_a_token_last_use_is_kept_to_the_minute(make_user):
    from federage.accounts import services
    from federage.accounts.models import ApiToken
    from federage.core import clock

    user = make_user()
    token, clear = services.api_token_create(user=user, name="script")
    start = dt.datetime(2026, 5, 4, 8, 0, tzinfo=dt.UTC)

    def last_use_after_a_call_at(moment: dt.datetime) -> dt.datetime | None:
        with clock.frozen(moment):
            assert services.api_token_authenticate(clear=clear) == user
        return ApiToken.objects.get(pk=token.pk).last_used_at

    assert last_use_after_a_call_at(start) == start
    assert last_use_after_a_call_at(start + dt.timedelta(seconds=59)) == start
    later = start + dt.timedelta(minutes=1)
    assert last_use_after_a_call_at(later) == later
