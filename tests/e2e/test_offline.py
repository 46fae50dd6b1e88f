"""A day offline in real browsers: queue a contribution and a vote, reload offline, sync once; late ballots and overdrafts refused."""

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import Browser, Page, expect

from federage.contributions.models import Contribution
from federage.contributions.tests.scene import accept, agent_of, build
from federage.core import clock
from federage.governance import services as governance_services
from federage.governance.models import Ballot
from federage.live import stream
from federage.testing import PASSWORD, ApiClient, browser_log_in, record_labour
from federage.titles.models import Holding, Transfer

pytestmark = pytest.mark.browser


def controlled_by_the_service_worker(page: Page) -> None:
    """Offline reloads are served by the service worker once it controls the page."""
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def charter_vote(scene):
    return governance_services.proposal_open(
        user=scene.steward,
        commons_id=scene.commons.pk,
        kind="amend_charter",
        title="Porter la taxe à 2 %",
        payload={"changes": {"transfer_tax_bp": 200}},
    )


@dataclass
class Sent:
    commands: list[dict] = field(default_factory=list)
    batches: int = 0


def sent_commands(page: Page) -> Sent:
    """Records the commands the outbox posts, to replay them afterwards."""
    sent = Sent()

    def on_request(request) -> None:
        if request.method == "POST" and re.search(r"/api/v1/commands(/batch)?$", request.url):
            body = json.loads(request.post_data or "{}")
            # A flush of several queued commands goes as one batch.
            if "commands" in body:
                sent.batches += 1
            sent.commands.extend(body.get("commands", [body]))

    page.on("request", on_request)
    return sent


def test_a_day_offline_syncs_once_and_replays_nothing(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    scene = build(make_user, make_commons)
    proposal = charter_vote(scene)
    camille = browser_log_in(browser, app_url, scene.contributor, "/sync")
    controlled_by_the_service_worker(camille)
    # The read model is on the device: the open vote is listed before the network goes.
    expect(camille.get_by_test_id("model-proposals")).to_contain_text("Porter la taxe à 2 %")
    expect(camille.get_by_test_id("model-commons")).to_contain_text(scene.commons.name)
    camille.get_by_test_id("model-proposals").get_by_role("link").click()
    expect(camille.get_by_role("heading", level=1)).to_have_text("Porter la taxe à 2 %")
    sent = sent_commands(camille)

    camille.context.set_offline(True)
    expect(camille.get_by_test_id("offline-banner")).to_contain_text("Pas de réseau")
    camille.get_by_role("button", name="Pour").click()
    expect(camille.get_by_test_id("ballot-pending")).to_have_text(
        "Vote « Pour » en attente d’envoi"
    )
    expect(camille.get_by_role("link", name="1 opération en attente")).to_be_visible()

    camille.goto(f"{app_url}/c/{scene.slug}/contributions/new")
    record_labour(camille, "Désherbage du verger", hours="4")
    expect(camille.get_by_role("link", name="2 opérations en attente")).to_be_visible()

    # Still offline, the app reopens from the service worker with both operations pending.
    camille.goto(f"{app_url}/sync")
    camille.reload()
    expect(camille.get_by_test_id("offline-banner")).to_contain_text("2 opérations attendent")
    expect(camille.get_by_test_id("pending-list").locator("li")).to_have_count(2)
    expect(camille.get_by_test_id("model-contributions")).to_contain_text(
        "Désherbage du verger en attente"
    )
    expect(camille.get_by_test_id("model-proposals")).to_contain_text(
        "Vote « Pour » en attente d’envoi"
    )
    assert not Contribution.objects.filter(title="Désherbage du verger").exists()

    camille.context.set_offline(False)
    expect(camille.get_by_text("Rien en attente.")).to_be_visible()
    expect(camille.get_by_test_id("model-contributions")).to_contain_text("Désherbage du verger")
    expect(camille.get_by_test_id("model-proposals")).to_contain_text("Mon vote : Pour")
    assert Contribution.objects.filter(title="Désherbage du verger").count() == 1
    assert Ballot.objects.filter(proposal=proposal).count() == 1

    # The same commands again (a device that never heard the answers): nothing new.
    # Requests attempted offline were recorded too: one per id.
    assert sent.batches >= 1, "the two queued commands are flushed as one batch"
    commands = list(
        {command["id"]: command for command in sent.commands if "type" in command}.values()
    )
    assert sorted(command["type"] for command in commands) == ["ballot.cast", "contribution.create"]
    replay = ApiClient(scene.contributor).post("/commands/batch", {"commands": commands})
    assert [item["replayed"] for item in replay.json()["results"]] == [True, True]
    assert Contribution.objects.filter(title="Désherbage du verger").count() == 1
    assert Ballot.objects.filter(proposal=proposal).count() == 1


def test_a_ballot_queued_past_the_deadline_is_refused_vote_closed(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    scene = build(make_user, make_commons)
    proposal = charter_vote(scene)
    camille = browser_log_in(
        browser, app_url, scene.contributor, f"/c/{scene.slug}/proposals/{proposal.pk}"
    )
    expect(camille.get_by_role("heading", level=1)).to_have_text("Porter la taxe à 2 %")
    camille.context.set_offline(True)
    camille.get_by_role("button", name="Contre").click()
    expect(camille.get_by_test_id("ballot-pending")).to_be_visible()

    # The network comes back after the vote closed, by the server's clock (live_server runs here).
    with clock.frozen(proposal.closes_at + dt.timedelta(minutes=1)):
        camille.context.set_offline(False)
        expect(camille.get_by_role("link", name="1 opération refusée")).to_be_visible()
        camille.goto(f"{app_url}/sync")
        refused = camille.get_by_test_id("refused-list").locator("li[data-code='vote_closed']")
        expect(refused).to_contain_text("Le vote est clos : ce vote n’a pas été compté.")
    assert not Ballot.objects.filter(proposal=proposal).exists()


def test_two_devices_overdraw_one_holding_and_exactly_one_transfer_succeeds(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    from federage.titles import services as title_services

    scene = build(make_user, make_commons)
    accept(scene, proposed_price_cents=100_000)  # Camille holds 100 titles
    offers = {
        buyer: title_services.transfer_propose(
            user=scene.contributor,
            commons_slug=scene.slug,
            buyer_agent_id=agent_of(buyer),
            units=Decimal("60"),
            unit_price_cents=1000,
        )
        for buyer in (scene.other, scene.approver1)
    }
    pages = [browser_log_in(browser, app_url, buyer, f"/c/{scene.slug}/titles") for buyer in offers]
    for page in pages:
        expect(page.locator("li.transfer").get_by_role("button", name="Accepter")).to_be_visible()
        page.context.set_offline(True)
        page.locator("li.transfer").get_by_role("button", name="Accepter").click()
        expect(page.get_by_role("link", name="1 opération en attente")).to_be_visible()

    for page in pages:
        page.context.set_offline(False)
        expect(page.get_by_role("link", name="1 opération en attente")).to_have_count(0)
    states = sorted(Transfer.objects.values_list("state", flat=True))
    assert states == ["accepted", "proposed"]
    assert Holding.objects.get(agent_id=agent_of(scene.contributor)).units == Decimal("40")
    loser = next(
        page
        for page, offer in zip(pages, offers.values(), strict=True)
        if Transfer.objects.get(pk=offer.pk).state == "proposed"
    )
    loser.goto(f"{app_url}/sync")
    refused = loser.get_by_test_id("refused-list").locator("li[data-code='insufficient_titles']")
    expect(refused).to_contain_text("Vous ne détenez pas assez de titres.")


def test_the_live_stream_coming_back_makes_the_app_catch_up(
    browser: Browser, app_url: str, make_user, make_commons, monkeypatch
) -> None:
    # Each stream ends after a second here; the browser reopens it (after the server's
    # `retry`), which is what a stream coming back after a network cut looks like.
    monkeypatch.setattr(stream, "WSGI_MAX_SECONDS", 1.0)
    scene = build(make_user, make_commons)
    camille = browser_log_in(browser, app_url, scene.contributor, "/sync")
    requests: list[str] = []
    camille.on("request", lambda request: requests.append(request.url))

    def is_sync_pull(request) -> bool:
        return request.method == "GET" and "/api/v1/sync" in request.url

    def is_stream(request) -> bool:
        return "/api/v1/live/stream" in request.url

    with camille.expect_request(is_sync_pull, timeout=15_000), camille.expect_request(is_stream):
        pass
    streams = [url for url in requests if "/api/v1/live/stream" in url]
    pulls = [index for index, url in enumerate(requests) if "/api/v1/sync" in url]
    assert streams, "a logged-in member's app keeps the live stream open"
    # The pull came with the reopened stream, not from a page load or a login.
    assert pulls[-1] > requests.index(streams[-1])


def test_when_the_server_comes_back_the_queue_goes_and_the_screen_reloads(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    """The browser stays online but the server does not answer (a restart, a broken proxy)."""
    scene = build(make_user, make_commons)
    camille = browser_log_in(
        browser, app_url, scene.contributor, f"/c/{scene.slug}/contributions/new"
    )
    expect(camille.get_by_role("button", name="Vérifier")).to_be_visible()
    camille.route("**/api/**", lambda route: route.abort("connectionrefused"))

    record_labour(camille, "Réparation pendant la panne", hours="3")
    expect(camille.get_by_role("link", name="1 opération en attente")).to_be_visible()
    camille.goto(f"{app_url}/c/{scene.slug}/contributions")
    expect(camille.get_by_text("Le serveur est injoignable")).to_be_visible()

    camille.unroute("**/api/**")
    expect(camille.get_by_role("link", name="1 opération en attente")).to_have_count(0)
    expect(camille.get_by_text("Le serveur est injoignable")).to_have_count(0)
    expect(camille.get_by_role("link", name="Réparation pendant la panne")).to_be_visible()
    assert Contribution.objects.filter(title="Réparation pendant la panne").count() == 1


def test_an_expired_login_keeps_the_queue_until_the_member_logs_in_again(
    browser: Browser, app_url: str, make_user, make_commons
) -> None:
    scene = build(make_user, make_commons)
    proposal = charter_vote(scene)
    page = f"/c/{scene.slug}/proposals/{proposal.pk}"
    camille = browser_log_in(browser, app_url, scene.contributor, page)
    expect(camille.get_by_role("heading", level=1)).to_have_text("Porter la taxe à 2 %")

    camille.context.set_offline(True)
    camille.get_by_role("button", name="Pour").click()
    expect(camille.get_by_test_id("ballot-pending")).to_be_visible()
    Session.objects.all().delete()  # the login expires while the device is offline
    camille.context.set_offline(False)
    expect(
        camille.get_by_text("Connectez-vous pour envoyer les opérations en attente.")
    ).to_be_visible()
    expect(camille.get_by_role("link", name="1 opération en attente")).to_be_visible()
    assert not Ballot.objects.filter(proposal=proposal).exists()

    camille.goto(f"{app_url}/login?next={page}")
    camille.get_by_label("Adresse électronique").fill(scene.contributor.email)
    camille.get_by_label("Mot de passe").fill(PASSWORD)
    camille.get_by_role("button", name="Se connecter").click()
    expect(camille.get_by_role("link", name="1 opération en attente")).to_have_count(0)
    expect(camille.get_by_text("Votre vote actuel : Pour.")).to_be_visible()
    assert Ballot.objects.filter(proposal=proposal).count() == 1
