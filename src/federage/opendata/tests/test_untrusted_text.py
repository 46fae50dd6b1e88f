"""Stored text that predates the control-character check cannot break a public feed (issue 14)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.db import connection
from django.test import Client

from federage.commons.models import Commons
from federage.core import clock
from federage.core.money import Money
from federage.ledger import services as ledger_services
from federage.ledger.domain import LineInput


def test_the_feed_strips_control_characters_it_finds(world):
    # Entries are immutable: one is booked by the service, which HTTP no longer reaches with
    # such a label, as rows written before the check may hold one.
    ledger_services.entry_post(
        commons_id=world.public.pk,
        journal="OD",
        entry_date=clock.today(),
        label="Don\x07 reçu\x1b[0m",
        piece_ref="",
        piece_date=None,
        lines=[LineInput("512", debit=Money(5_000)), LineInput("758", credit=Money(5_000))],
        idempotency_key="test:cloche",
        authorised_by={"source_type": "manual"},
        actor_user_id=None,
    )
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Commons._meta.db_table)
        cursor.execute(
            f"UPDATE {table} SET name = %s, purpose = %s WHERE id = %s",  # noqa: S608
            ["Atelier\x0b ouvert", "Coudre\x01 ensemble", world.public.pk],
        )
    response = Client().get(f"/api/v1/public/commons/{world.public.slug}/feed.atom")
    assert response.status_code == 200
    text = response.content.decode()
    ET.fromstring(response.content)  # noqa: S314 - our own output: well-formed XML 1.0
    assert "Don reçu[0m" in text
    assert "Atelier ouvert" in text
    assert not any(char in text for char in "\x01\x07\x0b\x1b")
