"""Paths and query strings that cannot hurt: a control character (NUL included) in either is
refused with 400 `invalid_characters` before any view runs (see core/text.py for the set), so no
such text reaches a database query, a log line or a header."""

from __future__ import annotations

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse, JsonResponse

from federage.core.errors import FieldError, error_body
from federage.core.http import request_language
from federage.core.text import has_forbidden


def refusal(request: HttpRequest) -> HttpResponse | None:
    """The 400 answer for a path or query parameter with a forbidden character, else None."""
    fields: dict[str, FieldError] = {}
    if has_forbidden(request.path):
        fields["path"] = FieldError("invalid_characters")
    for key, values in request.GET.lists():
        if has_forbidden(key) or any(has_forbidden(value) for value in values):
            fields[key if not has_forbidden(key) else "query"] = FieldError("invalid_characters")
    if not fields:
        return None
    body = error_body("invalid_characters", fields, request_language(request))
    return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})


class GuardMiddleware:
    """A middleware that may answer a request itself before any view (`refuse`) and adjust the
    view's response (`finish`), for the requests it `applies` to; sync and async alike."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def applies(self, request: HttpRequest) -> bool:
        return True

    def refuse(self, request: HttpRequest) -> HttpResponse | None:
        return None

    def finish(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        return response

    def __call__(self, request: HttpRequest):
        if self.is_async:
            return self._acall(request)
        if not self.applies(request):
            return self.get_response(request)
        refused = self.refuse(request)
        if refused is not None:
            return refused
        return self.finish(request, self.get_response(request))

    async def _acall(self, request: HttpRequest):
        if not self.applies(request):
            return await self.get_response(request)
        refused = self.refuse(request)
        if refused is not None:
            return refused
        return self.finish(request, await self.get_response(request))


class SafeTextMiddleware(GuardMiddleware):
    def refuse(self, request: HttpRequest) -> HttpResponse | None:
        return refusal(request)


# The SPA is built to need no inline script: scripts only from this origin. Svelte may set style
# attributes, so inline styles stay allowed (they cannot run code). Nothing may frame a page.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Ninja's interactive API docs load their script from a CDN and start it inline.
_WITHOUT_POLICY = ("/api/v1/docs",)


class SecurityHeadersMiddleware(GuardMiddleware):
    """The Content-Security-Policy on every answer (HSTS, Referrer-Policy, nosniff and
    X-Frame-Options come from Django's SecurityMiddleware and clickjacking settings)."""

    def applies(self, request: HttpRequest) -> bool:
        return not request.path.startswith(_WITHOUT_POLICY)

    def finish(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
