"""Serves the built SPA's index.html for every client-side route."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

_MISSING = (
    "<!doctype html><meta charset=utf-8><title>Federage</title>"
    "<p>Le front n'est pas construit : lancez <code>make run</code>. "
    "The front end is not built: run <code>make run</code>.</p>"
)


@require_GET
def spa_index(request: HttpRequest) -> HttpResponse:
    index = settings.WEBAPP_DIST / "index.html"
    if not index.exists():
        return HttpResponse(_MISSING, status=503)
    response = HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    # The shell must be revalidated so a new deployment reaches users; assets are hashed.
    response["Cache-Control"] = "no-cache"
    return response
