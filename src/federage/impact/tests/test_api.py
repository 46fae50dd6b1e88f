"""Impact over HTTP: propose an objective, vote it through, declare with evidence, verify,
dispute, a footprint, and the public figures (verified only); refusals write nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from federage.impact.models import Measurement, Objective
from federage.impact.tests import scene_impact
from federage.impact.tests.scene_impact import vote

pytestmark = pytest.mark.django_db

# The scene's fixtures, used by name.
frozen, world = scene_impact.frozen, scene_impact.world

OBJECTIVE = {
    "title": "Tonnes de CO2e évitées",
    "indicator_code": "ghg_avoided",
    "baseline": "0",
    "target": "500",
    "starts_on": "2026-01-01",
    "target_date": "2030-12-31",
    "method": "Label bas-carbone, méthode « Grandes cultures »",
    "method_reference": "LBC Grandes cultures v1.0",
    "terms": ["climat"],
}


def upload(client, measurement_id, name, content):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.client.post(
            f"/api/v1/impact/measurements/{measurement_id}/evidence",
            {"file": SimpleUploadedFile(name, content)},
            HTTP_X_CSRFTOKEN=client.client.cookies["csrftoken"].value,
        )


def test_the_chain_over_http(world, api_client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    steward = api_client(world.steward)
    camille = api_client(world.contributor)
    vera = api_client(world.verifier)
    public = api_client()

    catalogue = public.get("/impact/indicators")
    assert catalogue.status_code == 401  # the catalogue is for signed-in users
    catalogue = camille.get("/impact/indicators")
    assert catalogue.status_code == 200
    assert "ghg_avoided" in {row["code"] for row in catalogue.json()}
    assert camille.get("/impact/emission-factors").status_code == 200

    proposed = steward.post(f"/impact/commons/{world.slug}/objectives", OBJECTIVE)
    assert proposed.status_code == 201, proposed.json()
    body = proposed.json()
    assert body["status"] == "proposed"
    assert vote(world, body["pending_proposal_id"]) == "passed"
    objective_id = body["id"]

    declared = camille.post(
        f"/impact/objectives/{objective_id}/measurements",
        {
            "value": "42.5",
            "unit": "tCO2e",
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "method": "Suivi LBC",
        },
    )
    assert declared.status_code == 201, declared.json()
    measurement_id = declared.json()["id"]
    uploaded = upload(camille, measurement_id, "rapport.csv", b"champ;tco2e\nA;42.5\n")
    assert uploaded.status_code == 201, uploaded.json()

    # Public figures before verification: nothing counts.
    listed = public.get(f"/public/commons/{world.slug}/objectives")
    assert listed.status_code == 200
    assert listed.json()[0]["verified_total"] == "0.000"
    assert public.get(f"/public/commons/{world.slug}/measurements").json() == []

    own = api_client(world.verifier).post(
        f"/impact/objectives/{objective_id}/measurements",
        {"value": "1", "unit": "tCO2e", "period_start": "2026-01-01", "period_end": "2026-02-01"},
    )
    refused = vera.post(f"/impact/measurements/{own.json()['id']}/verify", {"comment": ""})
    assert refused.status_code == 403
    assert refused.json()["code"] == "verifier_is_declarer"

    verified = vera.post(f"/impact/measurements/{measurement_id}/verify", {"comment": "Conforme"})
    assert verified.status_code == 200, verified.json()
    assert verified.json()["status"] == "verified"

    listed = public.get(f"/public/commons/{world.slug}/objectives").json()
    assert listed[0]["verified_total"] == "42.500"
    assert listed[0]["progress_bp"] == 850
    shown = public.get(f"/public/commons/{world.slug}/measurements").json()
    assert [row["id"] for row in shown] == [measurement_id]
    assert shown[0]["declared_by_name"] == ""
    evidence_id = shown[0]["evidence"][0]["id"]
    download = api_client(world.outsider).get(
        f"/impact/measurements/{measurement_id}/evidence/{evidence_id}"
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"champ;tco2e\nA;42.5\n"

    detail = camille.get(f"/impact/objectives/{objective_id}").json()
    assert {row["status"] for row in detail["measurements"]} == {"verified", "declared"}

    change = steward.post(f"/impact/objectives/{objective_id}/changes", {"target": "600"})
    assert change.status_code == 201, change.json()
    assert change.json()["target"] == "500.000"
    assert change.json()["pending_proposal_id"] != body["pending_proposal_id"]


def test_refusals_over_http_write_nothing(world, api_client):
    steward = api_client(world.steward)
    camille = api_client(world.contributor)
    before = Objective.objects.count()
    refused = steward.post(
        f"/impact/commons/{world.slug}/objectives", {**OBJECTIVE, "terms": ["inconnu"]}
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "term_unknown"
    assert Objective.objects.count() == before

    proposed = steward.post(f"/impact/commons/{world.slug}/objectives", OBJECTIVE).json()
    assert vote(world, proposed["pending_proposal_id"]) == "passed"
    mismatch = camille.post(
        f"/impact/objectives/{proposed['id']}/measurements",
        {"value": "1", "unit": "t", "period_start": "2026-01-01", "period_end": "2026-02-01"},
    )
    assert mismatch.status_code == 422
    assert mismatch.json()["code"] == "measurement_unit_mismatch"
    early = camille.command(
        "measurement.declare",
        {
            "objective_id": proposed["id"],
            "value": "1",
            "unit": "tCO2e",
            "period_start": "2025-06-01",
            "period_end": "2026-02-01",
        },
    )
    assert early.json()["code"] == "measurement_period_before_objective"
    assert Measurement.objects.count() == 0
    # No route edits an objective directly.
    assert steward.patch(f"/impact/objectives/{proposed['id']}", {"target": "1"}).status_code == 405


def test_private_commons_objectives_are_hidden(world, api_client, make_user, make_commons):
    owner = make_user(name="Privé")
    make_commons(owner, slug="prive", visibility="private")
    assert api_client().get("/public/commons/prive/objectives").status_code == 404
    assert api_client(world.outsider).get("/impact/commons/prive/objectives").status_code == 404
