"""HTTP API of accounts: thin calls into services, the session for the SPA, tokens for scripts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from ninja import Router, Status

from federage.accounts import selectors, services
from federage.accounts.schemas import (
    ApiTokenCreatedOut,
    ApiTokenIn,
    ApiTokenOut,
    CsrfOut,
    EmailIn,
    LogInIn,
    MeOut,
    PasswordResetConfirmIn,
    SignUpIn,
    TokenIn,
)
from federage.agents import selectors as agent_selectors
from federage.core.http import AUTH, require_csrf
from federage.core.schemas import with_errors

router = Router(tags=["accounts"], auth=AUTH)


def me_of(user) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "email_verified": user.email_verified_at is not None,
        "language": user.language,
        "agents": list(agent_selectors.agents_of_user(user=user)),
    }


@router.get("/csrf", auth=None, response=CsrfOut)
def csrf(request: HttpRequest):
    return {"csrf_token": get_token(request)}


@router.post("/signup", auth=None, response=with_errors({201: MeOut}))
def sign_up(request: HttpRequest, data: SignUpIn):
    require_csrf(request)
    user = services.user_sign_up(**data.dict())
    services.user_log_in_after_sign_up(request=request, user=user)
    return Status(201, me_of(user))


@router.post("/login", auth=None, response=with_errors({200: MeOut}))
def log_in(request: HttpRequest, data: LogInIn):
    require_csrf(request)
    user = services.user_log_in(request=request, email=data.email, password=data.password)
    return me_of(user)


@router.post("/logout", response=with_errors({204: None}))
def log_out(request: HttpRequest):
    services.user_log_out(request=request)
    return Status(204, None)


@router.get("/me", response=with_errors({200: MeOut}))
def me(request: HttpRequest):
    return me_of(request.auth)


@router.post("/confirm-email", auth=None, response=with_errors({200: dict}))
def confirm_email(request: HttpRequest, data: TokenIn):
    services.user_confirm_email(token=data.token)
    return {"email_verified": True}


@router.post("/resend-confirmation", response=with_errors({202: None}))
def resend_confirmation(request: HttpRequest):
    services.user_resend_confirmation(user=request.auth)
    return Status(202, None)


@router.post("/password-reset", auth=None, response=with_errors({202: None}))
def password_reset(request: HttpRequest, data: EmailIn):
    require_csrf(request)
    services.password_reset_request(email=data.email, address=request.META.get("REMOTE_ADDR", ""))
    return Status(202, None)


@router.post("/password-reset/confirm", auth=None, response=with_errors({204: None}))
def password_reset_confirm(request: HttpRequest, data: PasswordResetConfirmIn):
    require_csrf(request)
    services.password_reset_confirm(token=data.token, password=data.password)
    return Status(204, None)


@router.get("/tokens", response=list[ApiTokenOut])
def tokens(request: HttpRequest):
    return selectors.api_tokens_of(user=request.auth)


@router.post("/tokens", response=with_errors({201: ApiTokenCreatedOut}))
def token_create(request: HttpRequest, data: ApiTokenIn):
    token, clear = services.api_token_create(user=request.auth, name=data.name)
    return Status(201, {**ApiTokenOut.from_orm(token).dict(), "token": clear})


@router.delete("/tokens/{token_id}", response=with_errors({204: None}))
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    services.api_token_revoke(user=request.auth, token_id=token_id)
    return Status(204, None)
