"""Live updates: a committed event reaches an open stream within a second, on both databases."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from asgiref.sync import sync_to_async
from django.db import connection, connections, transaction
from django.test import Client

from federage.core import events as core_events
from federage.core.events import event_record
from federage.ledger.testing import ledger_rows_purge
from federage.live import domain, fanout, stream

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def commons(make_commons, make_user):
    commons = make_commons(make_user(name="Gestion"), slug="atelier-vivant")
    yield commons
    ledger_rows_purge()


def commit_event(commons_id: int, rollback: bool = False) -> int:
    """Writes one event in its own thread and connection, as another request would."""
    result: dict = {}

    def write() -> None:
        try:
            with transaction.atomic():
                event = event_record(
                    type="test.changed", commons_id=commons_id, actor_user_id=None, data={}
                )
                result["id"] = event.pk
                if rollback:
                    transaction.set_rollback(True)
        finally:
            connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    return result["id"]


async def next_poke(iterator, timeout: float) -> tuple[int | None, float]:
    """The next `id: N` from the stream (heartbeats skipped), and how long it took."""
    started = time.monotonic()
    deadline = started + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            chunk = await asyncio.wait_for(iterator.__anext__(), remaining)
        except TimeoutError:
            break
        if chunk.startswith("id: "):
            return int(chunk.split("\n", 1)[0][4:]), time.monotonic() - started
    return None, time.monotonic() - started


async def _close(iterator) -> None:
    await iterator.aclose()
    await fanout.listener_stop()
    await sync_to_async(connections.close_all)()


def run_stream(commons_id: int, scenario) -> None:
    async def main() -> None:
        iterator = stream.events(
            commons_id=commons_id, last_event_id=None, heartbeat=0.2, max_seconds=10
        ).__aiter__()
        try:
            assert await iterator.__anext__() == domain.sse_retry()
            await scenario(iterator)
        finally:
            await _close(iterator)

    asyncio.run(main())


def test_committed_event_reaches_the_stream_within_a_second(commons):
    async def scenario(iterator):
        first, _ = await next_poke(iterator, 1.0)
        assert first is not None  # the commons' creation events: the client learns its cursor
        cursor = await sync_to_async(commit_event, thread_sensitive=False)(commons.pk)
        poked, elapsed = await next_poke(iterator, 1.0)
        assert poked == cursor and elapsed < 1.0

    run_stream(commons.pk, scenario)


def test_rolled_back_event_pokes_nobody(commons):
    async def scenario(iterator):
        await next_poke(iterator, 1.0)
        await sync_to_async(commit_event, thread_sensitive=False)(commons.pk, rollback=True)
        poked, _ = await next_poke(iterator, 0.6)
        assert poked is None

    run_stream(commons.pk, scenario)


def test_other_commons_events_do_not_poke(commons, make_commons, make_user):
    other = make_commons(make_user(name="Autre"), slug="autre-atelier")

    async def scenario(iterator):
        await next_poke(iterator, 1.0)
        await sync_to_async(commit_event, thread_sensitive=False)(other.pk)
        poked, _ = await next_poke(iterator, 0.6)
        assert poked is None

    run_stream(commons.pk, scenario)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's")
def test_notify_reaches_another_process_listener(commons, monkeypatch):
    """Without this process's after-commit hook, only pg_notify → LISTEN can deliver."""
    monkeypatch.setattr(core_events, "_after_commit", [])

    async def scenario(iterator):
        await next_poke(iterator, 1.0)
        cursor = await sync_to_async(commit_event, thread_sensitive=False)(commons.pk)
        poked, elapsed = await next_poke(iterator, 1.0)
        assert poked == cursor and elapsed < 1.0

    run_stream(commons.pk, scenario)


def test_last_event_id_resumes_without_a_repeat(commons):
    async def main():
        latest = await sync_to_async(commit_event, thread_sensitive=False)(commons.pk)
        iterator = stream.events(
            commons_id=commons.pk, last_event_id=latest, heartbeat=0.2, max_seconds=2
        ).__aiter__()
        try:
            await iterator.__anext__()
            poked, _ = await next_poke(iterator, 0.5)
            assert poked is None  # up to date: nothing to pull
        finally:
            await _close(iterator)
        iterator = stream.events(
            commons_id=commons.pk, last_event_id=latest - 1, heartbeat=0.2, max_seconds=2
        ).__aiter__()
        try:
            await iterator.__anext__()
            poked, _ = await next_poke(iterator, 0.5)
            assert poked == latest  # missed one while away: told at once
        finally:
            await _close(iterator)

    asyncio.run(main())


def test_changes_since_a_cursor(commons, make_commons, make_user):
    private = make_commons(make_user(name="Privé"), slug="cercle-prive", visibility="private")
    client = Client()
    start = client.get("/api/v1/live/changes", {"commons": commons.slug}).json()["cursor"]
    mine = commit_event(commons.pk)
    hidden = commit_event(private.pk)
    page = client.get("/api/v1/live/changes", {"commons": commons.slug, "since": start}).json()
    assert [item["id"] for item in page["items"]] == [mine]
    assert page["cursor"] == mine and page["items"][0]["commons_slug"] == commons.slug
    everything = client.get("/api/v1/live/changes", {"since": start}).json()
    assert hidden not in [item["id"] for item in everything["items"]]
    assert "cercle-prive" not in str(everything)
    assert client.get("/api/v1/live/changes", {"commons": "cercle-prive"}).status_code == 404


def test_stream_endpoint_speaks_sse(commons):
    async def main():
        from django.test import AsyncClient

        response = await AsyncClient().get(
            "/api/v1/live/stream", {"commons": commons.slug}, headers={"Last-Event-ID": "0"}
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream"
        iterator = response.streaming_content.__aiter__()
        try:
            assert (await iterator.__anext__()).decode().startswith("retry: ")
            poke = (await iterator.__anext__()).decode()
            assert poke.startswith("id: ") and '"cursor": ' in poke
        finally:
            await iterator.aclose()
            await fanout.listener_stop()
            await sync_to_async(connections.close_all)()

    asyncio.run(main())


def test_under_wsgi_the_stream_polls_and_ends_for_the_browser_to_reconnect(commons, monkeypatch):
    monkeypatch.setattr(stream, "WSGI_POLL_SECONDS", 0.05)
    monkeypatch.setattr(stream, "WSGI_MAX_SECONDS", 1.0)
    first = commit_event(commons.pk)
    response = Client().get(
        "/api/v1/live/stream", {"commons": commons.slug}, headers={"Last-Event-ID": "0"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    chunks = iter(response.streaming_content)
    assert next(chunks).decode() == domain.sse_retry()
    assert next(chunks).decode() == domain.sse_poke(first)
    assert stream.open_polling_streams() == 1
    later = commit_event(commons.pk)
    started = time.monotonic()
    rest = (chunk.decode() for chunk in chunks if chunk.decode() != domain.HEARTBEAT)
    assert next(rest) == domain.sse_poke(later)
    assert time.monotonic() - started < 1.0
    assert list(rest) == []  # it ends by itself; EventSource reconnects with Last-Event-ID
    assert stream.open_polling_streams() == 0
