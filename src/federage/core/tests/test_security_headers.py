"""Every answer carries the security headers: a policy with no inline script, no framing."""

from __future__ import annotations

import pytest
from django.test import Client

from federage.core.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/api/v1/health", "/api/v1/public/commons", "/nowhere"])
def test_every_answer_forbids_inline_scripts_and_framing(path):
    response = Client().get(path)
    policy = response.headers["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    directives = dict(item.split(" ", 1) for item in policy.split("; "))
    assert directives["script-src"] == "'self'", "no 'unsafe-inline', no other origin"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers, "not over plain HTTP"


def test_over_https_browsers_are_told_to_stay_on_https():
    response = Client().get("/api/v1/health", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_the_app_page_needs_no_inline_script(settings):
    index = settings.WEBAPP_DIST / "index.html"
    if not index.exists():
        pytest.skip("the front end is not built")
    html = index.read_text()
    for tag in html.split("<script")[1:]:
        assert " src=" in tag.split(">", 1)[0], f"inline script in index.html: <script{tag[:80]}"
