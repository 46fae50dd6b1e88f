"""Fixtures shared by every test: users, their agents, commons and an API client per user."""

from __future__ import annotations

import uuid

import pytest
from pytest_django.plugin import blocking_manager_key

from federage.accounts import services as account_services
from federage.commons import services as commons_services
from federage.testing import PASSWORD, ApiClient, seeded_rows_restore


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 stays the production hasher (tested in accounts); tests hash hundreds of passwords.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test in real transactions (a live server, threads) ends with its database flushed, and
    the rows the migrations seeded (taxonomy, indicator catalogue) with it: once its fixtures are
    torn down, they are put back for the next test, whatever the order the tests run in."""
    result = yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None:  # the last test: the test database is gone with the session
        return result
    if "transactional_db" in getattr(item, "fixturenames", ()) or (
        marker is not None and marker.kwargs.get("transaction")
    ):
        with item.config.stash[blocking_manager_key].unblock():
            seeded_rows_restore()
    return result


@pytest.fixture
def make_user(db):
    def make(email: str = "", name: str = "") -> object:
        email = email or f"user-{uuid.uuid4().hex[:8]}@example.org"
        return account_services.user_sign_up(
            email=email, password=PASSWORD, display_name=name or email.split("@")[0]
        )

    return make


@pytest.fixture
def api_client():
    def make(user=None) -> ApiClient:
        return ApiClient(user)

    return make


@pytest.fixture
def make_commons(db):
    def make(steward, slug: str = "", visibility: str = "public", members=None, **fields):
        slug = slug or f"commun-{uuid.uuid4().hex[:8]}"
        commons = commons_services.commons_create(
            user=steward,
            slug=slug,
            name=fields.pop("name", slug.title()),
            visibility=visibility,
            **fields,
        )
        for user, roles in (members or {}).items():
            _, link = commons_services.invitation_create(
                user=steward, slug=slug, email=user.email, roles=roles
            )
            commons_services.invitation_accept(user=user, token=link.rsplit("/", 1)[1])
        return commons

    return make
