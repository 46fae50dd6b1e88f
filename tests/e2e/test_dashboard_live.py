"""The public explorer in real browsers: an anonymous visitor searches, opens a commons and downloads
its data package; a dashboard open in one page moves within a second of a vote accepting a contribution.

The live test serves the app with uvicorn (ASGI): Django's live server is WSGI, which would buffer
the server-sent event stream instead of sending each poke as it comes.
"""

import re
import socket
import threading
import time

import pytest
import uvicorn
from django.core.asgi import get_asgi_application
from django.db import connections
from playwright.sync_api import Browser, expect

from federage.contributions.tests import scene
from federage.impact import services as impact_services
from federage.impact.tests import scene_impact
from federage.impact.tests.scene_impact import frozen, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

NBSP = "\u00a0"


def euros(text: str) -> str:
    return f"{text}{NBSP}€"


@pytest.fixture
def asgi_url(app_url):
    """The app under uvicorn in a thread of this process (same test database, same fan-out hub)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        get_asgi_application(),
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    connections.close_all()


def test_a_dashboard_moves_when_a_vote_accepts_a_contribution(
    browser: Browser, asgi_url: str, make_user, make_commons
) -> None:
    s = scene.build(make_user, make_commons, slug="atelier-direct")
    context = browser.new_context()  # anonymous: no login anywhere
    try:
        page = context.new_page()
        page.goto(f"{asgi_url}/explore/{s.slug}/dashboard")
        dashboard = page.get_by_test_id("dashboard")
        # The stream's first poke says where the commons stands.
        expect(dashboard).to_have_attribute("data-cursor", re.compile(r"^\d+$"), timeout=10_000)
        produced = page.get_by_test_id("value-produced")
        expect(produced).to_have_text(euros("0,00"))

        contribution = scene.propose(s, proposed_price_cents=50_000)
        contribution = scene.services.contribution_submit(
            user=s.contributor, contribution_id=contribution.pk
        )
        # Let the pokes of the proposal settle before the vote.
        expect(page.get_by_test_id("dashboard-updated")).to_have_text(
            re.compile(r"mis à jour à \d\d:\d\d:\d\d"), timeout=5_000
        )
        before = int(dashboard.get_attribute("data-cursor") or "0")

        scene.vote(s, contribution)  # the second approver's ballot closes the vote and accepts
        committed = time.monotonic()
        expect(produced).to_have_text(euros("500,00"), timeout=1_000)
        elapsed = time.monotonic() - committed
        assert elapsed < 1.0, f"the dashboard took {elapsed:.2f} s"
        contribution.refresh_from_db()
        assert contribution.state == "accepted"
        assert int(dashboard.get_attribute("data-cursor") or "0") > before
        expect(page.get_by_test_id("by-kind")).to_contain_text("500,00")
        expect(page.get_by_test_id("dashboard-updated")).to_have_attribute("aria-live", "polite")
    finally:
        context.close()


def test_an_anonymous_visitor_explores_and_downloads(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    s = scene.build(make_user, make_commons, slug="atelier-ouvert")
    scene.accept(s, title="Machine à coudre", proposed_price_cents=25_000)
    steward = make_user(name="Paula Privée")
    make_commons(steward, slug="atelier-cache", name="Atelier caché", visibility="private")

    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{app_url}/")
        page.get_by_role("link", name="Explorer", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Explorer les communs")
        page.get_by_label("Rechercher un commun").fill("atelier")
        page.get_by_role("button", name="Rechercher").click()
        expect(page.get_by_test_id("explore-count")).to_have_text("1 commun")
        expect(page.get_by_text("Atelier caché")).to_have_count(0)
        expect(
            page.get_by_role("link", name="Données ouvertes et dictionnaire des données")
        ).to_be_visible()

        page.get_by_role("link", name="Atelier-Ouvert", exact=True).click()
        expect(page).to_have_url(f"{app_url}/explore/{s.slug}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Atelier-Ouvert")
        expect(page.get_by_test_id("public-contributions")).to_contain_text("Machine à coudre")
        expect(page.get_by_test_id("public-contributions")).to_contain_text(euros("250,00"))

        link = page.get_by_role("link", name="Télécharger les données (ODbL)")
        href = link.get_attribute("href")
        assert href == f"/api/v1/public/datapackage.zip?commons={s.slug}"
        response = page.request.get(f"{app_url}{href}")
        assert response.status == 200
        assert response.headers["content-type"] == "application/zip"
        assert response.body()[:2] == b"PK"
    finally:
        context.close()


def test_a_dashboard_shows_an_objective_move_when_a_measurement_is_verified(
    browser: Browser,
    asgi_url: str,
    world,  # noqa: F811 - the fixture imported above
) -> None:
    objective = scene_impact.adopted(world)
    measurement = scene_impact.declare(world, objective, value="30")
    context = browser.new_context(viewport={"width": 360, "height": 780})
    try:
        page = context.new_page()
        page.goto(f"{asgi_url}/explore/{world.slug}/dashboard")
        expect(page.get_by_test_id("dashboard")).to_have_attribute(
            "data-cursor", re.compile(r"^\d+$"), timeout=10_000
        )
        progress = page.get_by_test_id("dashboard-objectives")
        # Only verified values count in public: the declared 30 ha is not there yet.
        expect(progress.get_by_test_id("verified-total")).to_have_text("0 ha")

        impact_services.measurement_verify(
            user=world.verifier2, measurement_id=measurement.pk, comment="Relevés contrôlés."
        )
        expect(progress.get_by_test_id("verified-total")).to_have_text("30 ha", timeout=3_000)
        expect(progress.get_by_test_id("progress-percent")).to_contain_text("25")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
