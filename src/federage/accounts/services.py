"""Writes on accounts: sign up, confirm an email, log in with throttling, reset a password, tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from federage.accounts import domain
from federage.accounts.models import (
    ApiToken,
    LoginFailure,
    LoginThrottle,
    PasswordResetMail,
    User,
)
from federage.agents import services as agent_services
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.core.transactions import write

EMAIL_CONFIRMATION_SALT = "federage.accounts.email-confirmation"
TOKEN_PREFIX = "fdg_"  # noqa: S105 - a public marker, not a secret


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError.on_field("email", "invalid_email") from None
    return email


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ApplicationError.on_field(
            "password", "weak_password", detail=" ".join(error.messages)
        ) from None


def _send(user: User, subject: dict[str, str], body: dict[str, str]) -> None:
    language = user.language if user.language in subject else "fr"
    # Sent after commit: a rolled-back sign-up must not leave a confirmation email behind.
    transaction.on_commit(lambda: send_mail(subject[language], body[language], None, [user.email]))


def email_confirmation_link(user: User) -> str:
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=EMAIL_CONFIRMATION_SALT)
    return f"{settings.SITE_URL}/confirm-email/{token}"


def _send_email_confirmation(user: User) -> None:
    link = email_confirmation_link(user)
    _send(
        user,
        {"fr": "Confirmez votre adresse — Federage", "en": "Confirm your email — Federage"},
        {
            "fr": f"Bonjour {user.display_name},\n\nConfirmez votre adresse : {link}\n",
            "en": f"Hello {user.display_name},\n\nConfirm your email: {link}\n",
        },
    )


@write
def user_sign_up(*, email: str, password: str, display_name: str, language: str = "fr") -> User:
    email = _clean_email(email)
    display_name = (display_name or "").strip()
    if not display_name:
        raise ApplicationError.on_field("display_name", "required")
    if language not in ("fr", "en"):
        raise ApplicationError.on_field("language", "invalid_value")
    candidate = User(email=email, display_name=display_name, language=language)
    _check_password(password, candidate)
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError.on_field("email", "email_taken")
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, display_name=display_name, language=language
            )
    except IntegrityError:
        raise ApplicationError.on_field("email", "email_taken") from None
    agent_services.agent_create(user=user, kind="person", display_name=display_name, is_self=True)
    _send_email_confirmation(user)
    return user


@write
def user_confirm_email(*, token: str) -> User:
    try:
        data = signing.loads(
            token, salt=EMAIL_CONFIRMATION_SALT, max_age=settings.EMAIL_TOKEN_VALIDITY_SECONDS
        )
    except signing.BadSignature:
        raise ApplicationError.on_field("token", "invalid_token") from None
    user = User.objects.select_for_update().filter(pk=data["user"], email=data["email"]).first()
    if user is None:
        raise ApplicationError.on_field("token", "invalid_token")
    if user.email_verified_at is None:
        user.email_verified_at = clock.now()
        user.save(update_fields=["email_verified_at"])
    return user


@write
def user_email_confirmed_by_link(*, user: User) -> None:
    """The user followed a link mailed to their address (an invitation): it is theirs."""
    if user.email_verified_at is None:
        user.email_verified_at = clock.now()
        User.objects.filter(pk=user.pk, email_verified_at__isnull=True).update(
            email_verified_at=user.email_verified_at
        )


def user_resend_confirmation(*, user: User) -> None:
    if user.email_verified_at is None:
        with transaction.atomic():
            _send_email_confirmation(user)


def _throttle_lock(email: str, address: str) -> None:
    """Locks the email's and the address's throttle rows, in one order for every attempt."""
    keys = sorted({f"email:{email}", f"address:{address}"})
    # One statement whether the rows exist or a parallel attempt is creating them.
    LoginThrottle.objects.bulk_create(
        [LoginThrottle(key=key) for key in keys], ignore_conflicts=True
    )
    list(LoginThrottle.objects.select_for_update().filter(key__in=keys).order_by("key"))


def _recent_failures(email: str, address: str) -> domain.Failures:
    since = clock.now() - dt.timedelta(seconds=settings.LOGIN_FAILURES_WINDOW_SECONDS)
    counted = LoginFailure.objects.filter(created_at__gte=since).aggregate(
        by_pair=Count("pk", filter=Q(email=email, address=address)),
        by_email=Count("pk", filter=Q(email=email)),
        by_address=Count("pk", filter=Q(address=address)),
        last_of_email=Max("created_at", filter=Q(email=email)),
    )
    return domain.Failures(
        pair=counted["by_pair"],
        email=counted["by_email"],
        address=counted["by_address"],
        email_last=counted["last_of_email"],
    )


def user_log_in(*, request, email: str, password: str) -> User:
    """Logs in, within the throttle of accounts.domain.login_wait.

    The attempt is counted before the password is checked, under a lock on the email's and the
    address's rows: parallel attempts are counted one after the other, so no more than the
    limit ever reach the hash. It counts as a failure until the password proves right.
    """
    email = (email or "").strip().lower()
    address = request.META.get("REMOTE_ADDR", "")
    with transaction.atomic():
        _throttle_lock(email, address)
        wait = domain.login_wait(
            _recent_failures(email, address), clock.now(), settings.LOGIN_FAILURES_MAX
        )
        if wait is not None:
            seconds = math.ceil(wait.total_seconds())
            raise ApplicationError("too_many_attempts", extra={"retry_after": seconds})
        LoginFailure.objects.create(email=email, address=address, created_at=clock.now())
    user = authenticate(request, username=email, password=password)
    if user is None:
        raise ApplicationError("invalid_credentials")
    login(request, user)
    with transaction.atomic():
        # This client's failures on this account; those from elsewhere keep slowing their author.
        LoginFailure.objects.filter(email=email, address=address).delete()
    return user


def user_log_in_after_sign_up(*, request, user: User) -> None:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")


def user_log_out(*, request) -> None:
    logout(request)


def password_reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{settings.SITE_URL}/password-reset/{uid}.{token}"


def password_reset_request(*, email: str, address: str = "") -> None:
    """Sends a reset link if the account exists; answers the same either way (no user probing).

    At most three mails an hour to one address and ten for one client (domain.reset_mails_allowed):
    beyond, nothing is sent, and the answer is the same."""
    email = (email or "").strip().lower()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    link = password_reset_link(user)
    with transaction.atomic():
        _throttle_lock(email, address)
        counted = PasswordResetMail.objects.filter(
            created_at__gte=clock.now() - dt.timedelta(hours=1)
        ).aggregate(
            to_email=Count("pk", filter=Q(email=email)),
            from_address=Count("pk", filter=Q(address=address)),
        )
        if not domain.reset_mails_allowed(counted["to_email"], counted["from_address"]):
            return
        PasswordResetMail.objects.create(email=email, address=address, created_at=clock.now())
        _send(
            user,
            {"fr": "Nouveau mot de passe — Federage", "en": "Reset your password — Federage"},
            {
                "fr": f"Pour choisir un nouveau mot de passe : {link}\n"
                "Si vous n'avez rien demandé, ignorez ce message.\n",
                "en": f"To choose a new password: {link}\n"
                "If you did not ask for this, ignore this message.\n",
            },
        )


@write
def password_reset_confirm(*, token: str, password: str) -> User:
    uid, _, secret = (token or "").partition(".")
    try:
        user_id = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError):
        raise ApplicationError.on_field("token", "invalid_token") from None
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, secret):
        raise ApplicationError.on_field("token", "invalid_token")
    _check_password(password, user)
    user.set_password(password)
    # Whoever could read the reset email also proved they own the address.
    user.email_verified_at = user.email_verified_at or clock.now()
    user.save(update_fields=["password", "email_verified_at"])
    LoginFailure.objects.filter(email=user.email).delete()
    # Whoever had the old password may have made tokens: they go with it. (Sessions go too:
    # Django checks each session against the password's hash.)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=clock.now())
    return user


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@write
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the stored token and its clear text, which is never stored and shown once."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError.on_field("name", "required")
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        prefix=clear[:12],
        token_hash=hash_api_token(clear),
        created_at=clock.now(),
    )
    return token, clear


@write
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise ApplicationError("not_found")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


TOKEN_USE_RESOLUTION = dt.timedelta(minutes=1)


def api_token_authenticate(*, clear: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_api_token(clear), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        # A write per request would cost a script's every call a write transaction (and
        # serialise them on SQLite): the last use is kept to the minute.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def password_confirm(*, user: User, password: str) -> None:
    """Asks the password again before an irreversible act (erasure): `wrong_password` if not."""
    if not password or not user.check_password(password):
        raise ApplicationError.on_field("password", "wrong_password")


def user_erase(*, user: User, pseudonym: str) -> User:
    """Pseudonymises the login (GDPR art. 17), in the caller's transaction: e-mail and name
    replaced, password unusable, inactive, tokens revoked. The row stays because entries,
    ballots and decisions point to it by id; a session still open fails Django's check of the
    password hash on its next request, and an inactive user is refused by every backend."""
    now = clock.now()
    old_email = user.email
    user.email = f"erased-{user.pk}@erased.invalid"
    user.display_name = pseudonym
    user.email_verified_at = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.erased_at = now
    user.set_unusable_password()
    user.save()
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    # The throttle's rows name the old address: personal data with no purpose left.
    LoginFailure.objects.filter(email=old_email).delete()
    PasswordResetMail.objects.filter(email=old_email).delete()
    return user
