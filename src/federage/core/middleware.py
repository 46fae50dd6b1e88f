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


class SafeTextMiddleware:
    sync_capable = True
    async_capable = True

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest):
        if self.is_async:
            return self._acall(request)
        return refusal(request) or self.get_response(request)

    async def _acall(self, request: HttpRequest):
        return refusal(request) or await self.get_response(request)
