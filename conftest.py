"""Fixtures shared by every test: users, their agents, commons and an API client per user."""

from __future__ import annotations

import uuid

import pytest

from federage.accounts import services as account_services
from federage.commons import services as commons_services
from federage.testing import PASSWORD, ApiClient


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 stays the production hasher (tested in accounts); tests hash hundreds of passwords.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


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
