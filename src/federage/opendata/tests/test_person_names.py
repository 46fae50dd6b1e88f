"""One person-naming rule on every route a name can leave by.

Walks every GET route of the API (member API and public data alike) on two public commons, one
whose charter names consenting persons publicly (`public_data.persons = with_consent`) and one
whose charter names none (`hidden`), as an anonymous visitor and as a signed-up stranger, and
asserts a person's display name appears only where the rule allows it. Members of a commons see
every name; everybody else sees organisations, and a natural person only if they consented AND
the charter allows it.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from decimal import Decimal

import pytest
from django.db.models import Q
from django.test import Client
from tests.e2e.phone import vote_through

from federage.agents import selectors as agent_selectors
from federage.agents import services as agent_services
from federage.api import api
from federage.contributions.tests import scene as contribution_scene
from federage.core import clock
from federage.federation import services as federation_services
from federage.federation.tests.scene import legs as exchange_legs
from federage.funding import services as funding_services
from federage.governance.tests.conftest import set_rules
from federage.impact import services as impact_services
from federage.legal import services as legal_services
from federage.opendata import middleware
from federage.opendata.tests.test_public_api import body_of as raw_body_of
from federage.resources import services as resource_services
from federage.titles import services as title_services

pytestmark = pytest.mark.django_db

# The SSE stream never ends (tested in live/).
STREAMING = {"/api/v1/live/stream"}


def _consent(user) -> None:
    agent = agent_selectors.self_agent(user=user)
    agent.public_name_consent = True
    agent.save(update_fields=["public_name_consent"])


def body_of(response) -> str:
    """The answer as text a name can be searched in: JSON without \\u escapes, XML unescaped."""
    text = raw_body_of(response)
    return (
        text
        if response.get("Content-Type", "").startswith("application/json")
        else (html.unescape(text))
    )


def _commons(make_user, make_commons, policy: str):
    tag = "Ouvert" if policy == "with_consent" else "Caché"
    steward = make_user(name=f"Stéphanie Gérante {tag}")
    approver1 = make_user(name=f"Anatole Valideur {tag}")
    approver2 = make_user(name=f"Bérénice Valideuse {tag}")
    secret = make_user(name=f"Zoé Discrète {tag}")
    consenting = make_user(name=f"Octave Consentant {tag}")
    _consent(consenting)
    commons = make_commons(
        steward,
        slug=f"commun-{policy.replace('_', '-')}",
        visibility="public",
        members={
            approver1: ["approver"],
            approver2: ["approver"],
            secret: ["contributor"],
            consenting: ["contributor"],
        },
    )
    set_rules(commons, public_data__persons=policy)
    scene = contribution_scene.Scene(commons, steward, approver1, approver2, secret, consenting)
    contribution_scene.accept(
        scene, user=secret, title="Métier à tisser", proposed_price_cents=90_000
    )
    contribution_scene.accept(
        scene, user=consenting, title="Fil de lin", proposed_price_cents=30_000
    )
    transfer = title_services.transfer_propose(
        user=secret,
        commons_slug=commons.slug,
        buyer_agent_id=contribution_scene.agent_of(consenting),
        units=Decimal("5"),
        unit_price_cents=1000,
    )
    title_services.transfer_accept(user=consenting, transfer_id=transfer.pk)
    # A resource the secret person uses (a due in their name), and a certificate of their titles.
    loom = resource_services.resource_register(
        user=steward,
        commons_slug=commons.slug,
        key="metier",
        name="Métier",
        kind="equipment",
        unit="hour",
    )
    resource_services.usage_declare(
        user=secret,
        commons_slug=commons.slug,
        resource_id=loom.pk,
        quantity=Decimal("3"),
        period_start=clock.today(),
        commercial=True,
        sale_amount_cents=10_000,
    )
    legal_services.certificate_issue(user=secret, commons_slug=commons.slug)
    # An adopted objective with a measurement the secret person declared, with its evidence.
    objective = impact_services.objective_propose(
        user=steward,
        commons_slug=commons.slug,
        title="Hectares",
        indicator_code="area_regenerated",
        baseline="0",
        target="10",
        starts_on=dt.date(2026, 1, 1),
        target_date=dt.date(2027, 1, 1),
    )
    vote_through(objective.proposal_id, (steward, approver1, approver2, secret, consenting))
    measurement = impact_services.measurement_declare(
        user=secret,
        objective_id=objective.pk,
        value="2",
        unit="ha",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
    )
    evidence = b"%PDF-1.4\n% releve\n" + b"0" * 200
    impact_services.measurement_evidence_add(
        user=secret,
        measurement_id=measurement.pk,
        name="releve.pdf",
        size=len(evidence),
        stream=io.BytesIO(evidence),
    )
    # A grant an outside person offers for the association they represent.
    patron = make_user(name=f"Félix Mécène {tag}")
    association = agent_services.agent_create(
        user=patron, kind="association", display_name=f"Association mécène {tag}"
    )
    funding_services.financing_offer(
        user=patron,
        agent_id=association.pk,
        commons_slug=commons.slug,
        kind="grant_operating",
        title="Subvention de fonctionnement",
        amount_cents=100_000,
    )
    persons = {
        user.display_name: user is consenting
        for user in (steward, approver1, approver2, secret, consenting)
    }
    # The patron is no member: their name is hidden from everybody outside their association.
    persons[patron.display_name] = False
    return commons, persons, steward


def _ids(commons) -> dict[str, list]:
    """Values for each path parameter the routes of this commons take."""
    from federage.commons.models import Membership
    from federage.contributions.models import Contribution
    from federage.federation.models import Exchange
    from federage.funding.models import Financing
    from federage.governance.models import Decision, Proposal
    from federage.impact.models import Measurement, MeasurementEvidence, Objective
    from federage.ledger.models import Entry
    from federage.legal.models import Certificate, ContractVersion
    from federage.resources.models import Resource
    from federage.titles.models import Transfer

    return {
        "slug": [commons.slug],
        "proposal_id": list(
            Proposal.objects.filter(commons_id=commons.pk).values_list("pk", flat=True)
        ),
        "decision_id": list(
            Decision.objects.filter(commons_id=commons.pk).values_list("pk", flat=True)
        ),
        "contribution_id": list(
            Contribution.objects.filter(commons_id=commons.pk).values_list("pk", flat=True)
        ),
        "entry_id": list(
            Entry.objects.filter(commons_id=commons.pk).values_list("pk", flat=True)[:3]
        ),
        "transfer_id": list(
            Transfer.objects.filter(commons_id=commons.pk).values_list("pk", flat=True)
        ),
        "agent_id": list(
            Membership.objects.filter(commons=commons).values_list("agent_id", flat=True)
        ),
        "account_number": ["1013", "4562", "512"],
        "resource_id": list(
            Resource.objects.filter(commons_id=commons.pk).values_list("pk", flat=True)
        ),
        "number": list(
            ContractVersion.objects.filter(commons_id=commons.pk).values_list("number", flat=True)
        ),
        "code": list(
            Certificate.objects.filter(commons_id=commons.pk).values_list("code", flat=True)
        ),
        "objective_id": list(
            Objective.objects.filter(commons_id=commons.pk).values_list("pk", flat=True)
        ),
        "measurement_id": list(
            Measurement.objects.filter(objective__commons_id=commons.pk).values_list(
                "pk", flat=True
            )
        ),
        "file_id": list(
            MeasurementEvidence.objects.filter(
                measurement__objective__commons_id=commons.pk
            ).values_list("pk", flat=True)
        ),
        "financing_id": list(
            Financing.objects.filter(commons_id=commons.pk).values_list("pk", flat=True)
        ),
        "exchange_id": list(
            Exchange.objects.filter(
                Q(commons_a_id=commons.pk) | Q(commons_b_id=commons.pk)
            ).values_list("pk", flat=True)
        ),
    }


def _urls(path: str, ids: dict[str, list]) -> list[str]:
    urls = [path]
    for name in re.findall(r"\{([^}]+)\}", path):
        values = ids.get(name)
        if not values:
            return []
        urls = [url.replace(f"{{{name}}}", str(value)) for url in urls for value in values]
    return urls


def _get_paths() -> list[str]:
    paths = api.get_openapi_schema(path_prefix="/api/v1")["paths"]
    return sorted(path for path, ops in paths.items() if "get" in ops and path not in STREAMING)


@pytest.fixture
def two_commons(make_user, make_commons, monkeypatch):
    monkeypatch.setattr(middleware.LIMITER, "limit", 0)
    both = [_commons(make_user, make_commons, policy) for policy in ("with_consent", "hidden")]
    # An exchange the first proposes to the second: its legs name no one.
    (first, _, first_steward), (second, _, _) = both
    federation_services.exchange_propose(
        user=first_steward,
        commons_slug=first.slug,
        other_slug=second.slug,
        terms="Heures de métier contre fil",
        legs=exchange_legs(),
    )
    return both


def test_no_route_names_a_person_the_rule_hides(two_commons, make_user):
    stranger = make_user(name="Sam Inconnu")
    signed_in = Client()
    signed_in.force_login(stranger)
    readers = {"anonymous": Client(), "stranger": signed_in}
    paths = _get_paths()
    answered: dict[str, set[str]] = {"anonymous": set(), "stranger": set()}
    unfilled = set()
    shown_anywhere = set()
    leaks = []
    for commons, persons, _ in two_commons:
        hidden_policy = commons.slug.endswith("hidden")
        may_show = {name for name, consented in persons.items() if consented and not hidden_policy}
        must_hide = set(persons) - may_show
        ids = _ids(commons)
        for path in paths:
            urls = _urls(path, ids)
            if not urls:
                unfilled.add(path)
                continue
            for url in urls:
                queries = [{}] if "{slug}" in path else [{}, {"commons": commons.slug}]
                for reader, client in readers.items():
                    for query in queries:
                        response = client.get(url, query)
                        assert response.status_code < 500, (reader, url, response.content[:300])
                        if response.status_code != 200:
                            continue
                        answered[reader].add(path)
                        text = body_of(response)
                        leaks += [(reader, url, name) for name in must_hide if name in text]
                        shown_anywhere |= {name for name in may_show if name in text}
    assert not leaks, "\n".join(" ".join(leak) for leak in sorted(set(leaks)))
    # The walk read the routes that carry names, as both readers where they are open to them.
    for path in (
        "/api/v1/public/commons/{slug}/members",
        "/api/v1/public/commons/{slug}/cap-table",
        "/api/v1/public/commons/{slug}/contributions",
        "/api/v1/public/commons/{slug}/decisions",
        "/api/v1/commons/{slug}/proposals",
        "/api/v1/proposals/{proposal_id}",
        "/api/v1/commons/{slug}/charter",
    ):
        assert path in answered["anonymous"] and path in answered["stranger"], path
    for path in ("/api/v1/commons/{slug}/members", "/api/v1/titles/{slug}/cap-table"):
        assert path in answered["stranger"], path
    # Routes with parameters the walk cannot fill are few and known (tokens, evidence files).
    assert all(re.search(r"\{(token|evidence_id)\}", path) for path in unfilled), unfilled
    # Where the charter allows it, a consenting person is named.
    assert "Octave Consentant Ouvert" in shown_anywhere


def test_members_see_every_name_in_the_member_api(two_commons):
    for commons, _persons, steward in two_commons:
        client = Client()
        client.force_login(steward)
        for path in (
            f"/api/v1/commons/{commons.slug}/members",
            f"/api/v1/titles/{commons.slug}/cap-table",
        ):
            text = body_of(client.get(path))
            assert "Zoé Discrète" in text, path


def test_a_stranger_sees_the_public_rule_on_the_members_list(two_commons, make_user):
    client = Client()
    client.force_login(make_user(name="Sam Inconnu"))
    for commons, persons, _ in two_commons:
        members = client.get(f"/api/v1/commons/{commons.slug}/members").json()
        names = {member["agent"]["display_name"] for member in members}
        assert len(members) == len(persons) - 1  # the patron is not a member
        if commons.slug.endswith("hidden"):
            assert names == {""}
        else:
            assert names == {"", "Octave Consentant Ouvert"}
