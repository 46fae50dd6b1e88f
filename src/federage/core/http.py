"""The API's shared plumbing: authentication, the error shape, languages and command endpoints."""

from __future__ import annotations

import builtins
import json
import logging
import uuid
from typing import Any

import pydantic
from django.contrib import auth
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from federage.core import commands
from federage.core.errors import ApplicationError, FieldError, error_body
from federage.core.text import forbidden_paths

logger = logging.getLogger(__name__)


def request_language(request: HttpRequest) -> str:
    header = request.headers.get("Accept-Language", "")
    return "en" if header.lower().startswith("en") else "fr"


class SessionAuth(APIKeyCookie):
    """The SPA's session cookie; writes need the CSRF header (checked by the parent class)."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without the session cookie no browser session rides along, so there is nothing for
        # CSRF to protect: skip the check and let the token method below authenticate scripts.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


class TokenAuth(HttpBearer):
    """A personal API token for scripts: `Authorization: Bearer fdg_…` (no cookie, so no CSRF)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # The accounts app answers through its backend in AUTHENTICATION_BACKENDS.
        user = auth.authenticate(request, api_token=token)
        if user is not None:
            request.user = user
        return user


AUTH = [SessionAuth(), TokenAuth()]


def require_csrf(request: HttpRequest) -> None:
    """For anonymous writes (sign-up, log-in): refuse cross-site forms."""
    if check_csrf(request) is not None:
        raise ApplicationError("csrf_failed")


def field_name(path: tuple) -> str:
    """'lines.0.label' for a location in a body; a command's `payload` level is left out."""
    return ".".join(str(part) for part in path if part not in ("body", "payload")) or "body"


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")  # NaN and Infinity, which Python would read


class JsonBody(Parser):
    """Request bodies: JSON sent as `application/json` only, without control characters.

    A form or `text/plain` body is refused (`unsupported_media_type`, 415), so a cross-site form
    cannot pass for the SPA; a string anywhere in the body with a character of
    `core.text.FORBIDDEN` is refused (`invalid_characters`, 422) on its field. What lies under a
    `payload` key is left to the command that carries it (every route with one runs a command,
    and `commands.execute` checks it whole), so that in a batch only that command is refused.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        if request.content_type != "application/json":
            raise ApplicationError("unsupported_media_type")
        try:
            data = json.loads(request.body, parse_constant=_not_json)
        except ValueError:
            raise ApplicationError("invalid_json") from None
        fields = {
            field_name(path): FieldError("invalid_characters")
            for path in forbidden_paths(data, skip="payload")
        }
        if fields:
            raise ApplicationError("invalid_characters", fields=fields)
        return data


def install_error_handlers(api: NinjaAPI) -> None:
    def render(request: HttpRequest, error: ApplicationError) -> HttpResponse:
        return api.create_response(
            request, error.as_dict(request_language(request)), status=error.http_status
        )

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, FieldError] = {}
        for item in exc.errors:
            location = [
                str(part) for part in item.get("loc", ()) if part not in ("body", "payload")
            ]
            name = ".".join(location[1:] if len(location) > 1 else location) or "body"
            fields.setdefault(name, FieldError(commands.field_code(item), item.get("msg")))
        return render(request, ApplicationError("validation_error", fields=fields))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, ApplicationError):
            # Raised by the body parser (JsonBody), which Ninja wraps in a 400.
            return render(request, exc.__cause__)
        code = {401: "not_authenticated", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "permission_denied"
        )
        if "CSRF" in str(exc):
            code = "csrf_failed"
        return render(request, ApplicationError(code, status=exc.status_code))

    def on_database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        # A lock or conflict that outlived the retries, or a lost connection: nothing was
        # written, and the same command (same id) may be sent again.
        logger.warning("database busy on %s %s: %s", request.method, request.path, exc)
        response = render(request, ApplicationError("database_busy"))
        response["Retry-After"] = "1"
        return response

    api.add_exception_handler(ApplicationError, render)
    api.add_exception_handler(OperationalError, on_database_busy)
    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(
        AuthenticationError,
        lambda request, exc: render(request, ApplicationError("not_authenticated")),
    )


def run_command(
    request: HttpRequest, type: str, payload: dict | pydantic.BaseModel, **path: Any
) -> HttpResponse:
    """Runs a REST write as a command; the `Idempotency-Key` header, when sent, makes it replayable.

    `payload`: the raw JSON, validated by the command; or the body Ninja has parsed, with the
    route's `path` parameters (Ninja parsed them too), when the command's schema is the body's
    plus those: it is then handed over without a second validation."""
    raw_key = request.headers.get("Idempotency-Key")
    command_id = commands.parse_command_id(raw_key) if raw_key else uuid.uuid4()
    if isinstance(payload, pydantic.BaseModel):
        payload = _command_payload(type, payload, path)
    else:
        assert not path, "path parameters go with a parsed body"
    return command_response(request, command_id, type, payload)


def _command_payload(type: str, body: pydantic.BaseModel, path: dict[str, Any]) -> Any:
    spec = commands.REGISTRY.get(type)
    body_schema = builtins.type(body)  # `type` is the command's name here
    if spec is None or not issubclass(spec.payload_schema, body_schema):
        # Not the body plus its path: validated as any JSON payload.
        return {**body.model_dump(), **path}
    assert set(spec.payload_schema.model_fields) == set(body_schema.model_fields) | set(path), type
    return spec.payload_schema.model_construct(**dict(body), **path)


def command_response(
    request: HttpRequest, command_id: uuid.UUID, type: str, payload: Any
) -> HttpResponse:
    outcome = commands.execute(
        user=request.auth,
        command_id=command_id,
        type=type,
        payload=payload,
        language=request_language(request),
    )
    response = JsonResponse(
        outcome.body,
        status=outcome.status_code,
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Federage-Command-Id"] = str(command_id)
    if outcome.replayed:
        response["Federage-Replayed"] = "true"
    return response


__all__ = ["AUTH", "error_body", "require_csrf", "run_command"]
