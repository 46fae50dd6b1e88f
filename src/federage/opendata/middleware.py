"""Rate limit, ETag and Cache-Control for every endpoint under /api/v1/public/.

A middleware rather than per-view code, so routes of other apps mounted under /public (the
commons card) get the same treatment. The rate limit is in memory, per worker process: with N
workers an address gets up to N × the limit, which is enough to stop a runaway scraper at no
cost per request; a deployment needing an exact global limit puts it in the reverse proxy.
The address is REMOTE_ADDR: behind a proxy, limit there (X-Forwarded-For is forgeable).
"""

from __future__ import annotations

import os
import time

from django.http import HttpRequest, HttpResponse, JsonResponse

from federage.core.errors import error_body
from federage.core.http import request_language
from federage.core.middleware import GuardMiddleware
from federage.opendata import domain

PREFIX = "/api/v1/public/"
# Requests per minute and address; 0 turns the limit off (benchmarks on loopback).
RATE_PER_MINUTE = int(os.environ.get("FEDERAGE_PUBLIC_RATE_PER_MINUTE", "600"))
MAX_AGE_SECONDS = int(os.environ.get("FEDERAGE_PUBLIC_MAX_AGE", "60"))

LIMITER = domain.RateLimiter(limit=RATE_PER_MINUTE, window=60.0)


class PublicApiMiddleware(GuardMiddleware):
    def applies(self, request: HttpRequest) -> bool:
        return request.path.startswith(PREFIX)

    def refuse(self, request: HttpRequest) -> HttpResponse | None:
        return _refuse(request)

    def finish(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        return _finish(request, response)


def _refuse(request: HttpRequest) -> HttpResponse | None:
    wait = LIMITER.hit(request.META.get("REMOTE_ADDR", ""), time.monotonic())
    if wait is None:
        return None
    response = JsonResponse(
        error_body("rate_limited", language=request_language(request)),
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(max(1, int(wait + 0.999)))
    return response


def _finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    response.headers.setdefault("Cache-Control", f"public, max-age={MAX_AGE_SECONDS}")
    # Error messages and some labels follow Accept-Language.
    response.headers.setdefault("Vary", "Accept-Language")
    if response.streaming:
        return response  # the data package zip: not hashed, it is built while sent
    etag = response.headers.get("ETag") or domain.etag_of(response.content)
    response["ETag"] = etag
    if domain.etag_matches(request.headers.get("If-None-Match", ""), etag):
        not_modified = HttpResponse(status=304)
        for header in ("ETag", "Cache-Control", "Vary"):
            not_modified[header] = response[header]
        return not_modified
    return response
