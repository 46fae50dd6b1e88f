"""The authentication backend for personal API tokens, found by Django through settings."""

from __future__ import annotations

from django.http import HttpRequest

from federage.accounts.models import User
from federage.accounts.services import api_token_authenticate


class ApiTokenBackend:
    """`authenticate(request, api_token=…)`: the user of a live token, or None.

    A backend (named in `AUTHENTICATION_BACKENDS`) rather than an import, so that core's bearer
    authentication reaches the accounts app through Django and core imports no app.
    """

    def authenticate(self, request: HttpRequest | None, api_token: str | None = None, **kwargs):
        if api_token is None:
            return None
        return api_token_authenticate(clear=api_token)

    def get_user(self, user_id: int) -> User | None:
        # Tokens never open a session, so Django never asks this backend for a session's user.
        return None
