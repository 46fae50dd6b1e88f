"""On PostgreSQL every committed event is announced on NOTIFY_CHANNEL, in notify_payload's format."""

import psycopg
import pytest
from django.db import connection, transaction

from federage.core import events

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's"),
]


def test_a_committed_event_is_notified_and_a_rolled_back_one_is_not(make_commons, make_user):
    commons = make_commons(make_user())
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as listener:
        listener.execute(f"LISTEN {events.NOTIFY_CHANNEL}")
        with transaction.atomic():
            undone = events.event_record(type="t", commons_id=None, actor_user_id=None, data={})
            transaction.set_rollback(True)
        with transaction.atomic():
            first = events.event_record(
                type="t", commons_id=commons.pk, actor_user_id=None, data={}
            )
            second = events.event_record(type="t", commons_id=None, actor_user_id=None, data={})
        received = [item.payload for item in listener.notifies(timeout=1.0, stop_after=2)]
    assert received == [
        events.notify_payload(first.pk, commons.pk),
        events.notify_payload(second.pk, None),
    ]
    assert events.notify_payload(undone.pk, None) not in received
