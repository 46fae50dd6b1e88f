"""The SEP contract: its content against the charter and members, versions, acceptance."""

from __future__ import annotations

import datetime as dt
import io

import pypdf
import pytest

from federage.agents import selectors as agent_selectors
from federage.commons import services as commons_services
from federage.core import clock
from federage.governance import domain as governance_domain
from federage.legal import domain, selectors, services
from federage.legal.models import ContractAcceptance, ContractVersion
from federage.legal.tests.conftest import T0, amend

pytestmark = pytest.mark.django_db


def agent_of(user) -> int:
    return agent_selectors.self_agent(user=user).pk


def text_of(contract: dict) -> str:
    return "\n".join(
        [section["title"] for section in contract["sections"]]
        + [p for section in contract["sections"] for p in section["paragraphs"]]
    )


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    # Justified lines break anywhere: compare without line breaks and hyphenation.
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_founding_writes_version_1_and_each_join_the_next(scene):
    versions = ContractVersion.objects.filter(commons=scene.commons).order_by("number")
    # Founded (the steward alone), four invited members, then the association.
    assert [v.reason for v in versions] == ["founded"] + ["member_joined"] * 5
    first = versions[0]
    assert first.sha256 == domain.text_sha256(first.canonical_text)
    assert [c["section"] for c in first.changes] == list(domain.SECTION_ORDER)
    assert first.template_version == domain.TEMPLATE_VERSION


def test_the_contract_names_every_party_contribution_and_rule(scene, api_client):
    contract = api_client(scene.steward).get(f"/legal/{scene.slug}/contract").json()
    text = text_of(contract)
    for user in (scene.steward, scene.approver1, scene.approver2, scene.contributor, scene.other):
        assert user.display_name in text
    assert "Atelier Couture, association, SIREN 900 100 017" in text
    assert (
        "Camille Contributor : en numéraire 1\u202f000,00\u00a0€ ; total 1\u202f000,00\u00a0€."
        in text
    )
    assert "« Apport de départ », apport en numéraire, valeur validée 1\u202f000,00\u00a0€" in text
    assert "Camille Contributor : 100 parts." in text
    # Every sentence of the charter in words (governance.domain.summary_fr) is in the contract.
    parameters = governance_domain.default_parameters()
    for line in governance_domain.summary_fr(parameters):
        assert line in text, line
    # Non-negotiable rights, no public offer, the 1861 rule as the app applies it.
    assert "droits d'associé non négociables (art. 1841" in text
    assert "aucune offre au public" in text
    assert "Par dérogation à l'article 1861" in text
    assert "le cessionnaire doit d'abord être admis" in text
    assert "gérant" in text and "Stéphane Steward" in contract["sections"][10]["paragraphs"][0]
    assert "ODbL-1.0" in text
    assert contract["version"]["number"] == 6
    assert contract["my_agents"] == [
        {
            "agent_id": agent_of(scene.steward),
            "name": "Stéphane Steward",
            "accepted_version": None,
            "can_accept": True,
        }
    ]
    assert {m["agent_id"] for m in contract["members"]} == {
        agent_of(u)
        for u in (scene.steward, scene.approver1, scene.approver2, scene.contributor, scene.other)
    } | {scene.organisation.pk}
    assert not any(m["up_to_date"] for m in contract["members"])


def test_english_rendering_states_the_same_rules(scene, api_client):
    contract = api_client(scene.steward).get(f"/legal/{scene.slug}/contract?lang=en").json()
    text = text_of(contract)
    assert contract["lang"] == "en"
    assert "non-negotiable partnership rights" in text
    assert "Camille Contributor: in cash €1,000.00; total €1,000.00." in text
    assert "Every transfer of titles pays a tax of 1 % of the price." in text
    assert "By derogation from article 1861" in text


def test_the_transfer_rule_follows_the_charter_the_transfer_check_reads(scene):
    free = {**governance_domain.default_parameters(), "titles.transfer_members_only": False}
    facts = selectors.contract_facts(commons=scene.commons)
    facts["charter"]["parameters"] = free
    transfers = next(s for s in domain.contract_sections(facts, "fr") if s["key"] == "transfers")
    assert "à toute personne ou structure, associée ou non" in transfers["paragraphs"][0]


def test_a_charter_amendment_writes_a_version_whose_changes_are_exactly_it(scene, api_client):
    amend(scene, {"transfer_tax_bp": 250}, T0 + dt.timedelta(days=3))
    versions = api_client(scene.steward).get(f"/legal/{scene.slug}/contract/versions").json()
    last = versions[-1]
    assert (last["number"], last["reason"], last["charter_number"]) == (7, "charter_amended", 2)
    [change] = last["changes"]
    assert change["section"] == "transfers"
    before = set(change["before"]) - set(change["after"])
    after = set(change["after"]) - set(change["before"])
    assert before == {"Chaque cession de titres paie une taxe de 1\u00a0% du prix."}
    assert after == {"Chaque cession de titres paie une taxe de 2,5\u00a0% du prix."}
    english = api_client(scene.steward).get(f"/legal/{scene.slug}/contract/versions?lang=en").json()
    assert [c["section"] for c in english[-1]["changes"]] == ["transfers"]


def test_the_sweep_writes_nothing_when_nothing_changed_and_catches_up_otherwise(scene):
    assert services.contract_versions_catch_up() == 0
    ContractVersion.objects.filter(commons=scene.commons, number=6).delete()
    assert services.contract_versions_catch_up() == 1
    assert services.contract_versions_catch_up() == 0
    assert selectors.version_latest(commons_id=scene.commons.pk).reason == "catch_up"


def test_leaving_writes_a_version(scene):
    with clock.frozen(T0 + dt.timedelta(days=4)):
        commons_services.membership_leave(user=scene.approver2, slug=scene.slug)
    latest = selectors.version_latest(commons_id=scene.commons.pk)
    assert latest.reason == "member_left"
    [change] = latest.changes
    assert change["section"] == "parties"
    assert any("Arthur Approver" in line for line in change["before"])
    assert not any("Arthur Approver" in line for line in change["after"])


def _accept(client, slug, **body):
    return client.post(f"/legal/{slug}/contract/accept", body)


def test_members_accept_the_version_in_force(scene, api_client):
    client = api_client(scene.other)
    contract = client.get(f"/legal/{scene.slug}/contract").json()
    number, digest = contract["version"]["number"], contract["version"]["sha256"]
    with clock.frozen(T0 + dt.timedelta(days=5)):
        accepted = _accept(
            client,
            scene.slug,
            version_number=number,
            sha256=digest,
            agent_id=scene.organisation.pk,
        )
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    mine = {row["agent_id"]: row for row in body["my_agents"]}
    assert mine[scene.organisation.pk]["accepted_version"] == number
    assert mine[scene.organisation.pk]["can_accept"] is False
    assert mine[agent_of(scene.other)]["can_accept"] is True
    row = ContractAcceptance.objects.get(agent=scene.organisation)
    assert (row.user_id, row.sha256, row.accepted_at) == (
        scene.other.pk,
        digest,
        T0 + dt.timedelta(days=5),
    )
    members = {m["agent_id"]: m for m in body["members"]}
    assert members[scene.organisation.pk]["up_to_date"] is True
    assert members[agent_of(scene.steward)]["accepted_version"] is None
    # An amendment makes it outdated: shown as such, and the old version can no longer be accepted.
    amend(scene, {"transfer_tax_bp": 250}, T0 + dt.timedelta(days=6))
    after = client.get(f"/legal/{scene.slug}/contract").json()
    members = {m["agent_id"]: m for m in after["members"]}
    assert members[scene.organisation.pk] == {
        "agent_id": scene.organisation.pk,
        "agent_name": "Atelier Couture",
        "accepted_version": number,
        "accepted_at": "2026-03-07T09:00:00Z",
        "up_to_date": False,
    }


def test_refusals_write_nothing(scene, api_client, make_user):
    client = api_client(scene.contributor)
    contract = client.get(f"/legal/{scene.slug}/contract").json()
    number, digest = contract["version"]["number"], contract["version"]["sha256"]
    cases = [
        ({"version_number": number - 1, "sha256": digest}, 409, "contract_outdated"),
        ({"version_number": number, "sha256": "0" * 64}, 409, "contract_hash_mismatch"),
        ({"version_number": number + 1, "sha256": digest}, 404, "not_found"),
        (
            {"version_number": number, "sha256": digest, "agent_id": scene.organisation.pk},
            403,
            "permission_denied",
        ),
    ]
    for body, status, code in cases:
        response = _accept(client, scene.slug, **body)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    stranger = api_client(make_user())
    response = _accept(stranger, scene.slug, version_number=number, sha256=digest)
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert not ContractAcceptance.objects.exists()
    english = _accept(client, scene.slug, version_number=number - 1, sha256=digest, lang="en")
    assert _accept(client, scene.slug, version_number=number, sha256=digest).status_code == 200
    again = _accept(client, scene.slug, version_number=number, sha256=digest)
    assert again.json()["code"] == "contract_already_accepted"
    assert ContractAcceptance.objects.count() == 1
    assert (
        "no longer in force"
        in client.send(
            "post",
            f"/legal/{scene.slug}/contract/accept",
            {"version_number": number - 1, "sha256": digest},
            language="en",
        ).json()["message"]
    )
    assert english.json()["code"] == "contract_outdated"


def test_private_contract_is_for_members_only(make_user, make_commons, api_client):
    steward = make_user(name="Sofia Steward")
    commons = make_commons(steward, visibility="private")
    assert api_client(steward).get(f"/legal/{commons.slug}/contract").status_code == 200
    for client in (api_client(make_user()), api_client()):
        for path in ("/contract", "/contract/versions", "/contract/versions/1", "/contract.pdf"):
            response = client.get(f"/legal/{commons.slug}{path}")
            assert (response.status_code, response.json()["code"]) == (404, "not_found"), path


def test_public_contract_hides_persons_from_outsiders(scene, api_client):
    outsider = api_client().get(f"/legal/{scene.slug}/contract").json()
    text = text_of(outsider)
    assert outsider["redacted"] is True
    assert "Camille Contributor" not in text
    assert "Associé 1" in text
    # Organisations are named with their SIREN.
    assert "Atelier Couture, association, SIREN 900 100 017" in text
    assert outsider["my_agents"] == []
    names = {m["agent_name"] for m in outsider["members"]}
    assert names == {"", "Atelier Couture"}


def test_contract_pdf_opens_and_says_the_contract(scene, api_client):
    client = api_client(scene.steward)
    contract = client.get(f"/legal/{scene.slug}/contract").json()
    response = client.get(f"/legal/{scene.slug}/contract.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Contrat de société en participation" in text
    assert contract["version"]["sha256"] in text
    assert "Atelier Couture" in text and "Camille Contributor" in text
    assert "Par dérogation à l'article 1861" in text
    again = client.get(f"/legal/{scene.slug}/contract.pdf")
    assert again.content == response.content
    english = client.get(f"/legal/{scene.slug}/contract.pdf", version=1, lang="en")
    assert "Contract of société en participation" in pdf_text(english.content)
    assert client.get(f"/legal/{scene.slug}/contract.pdf", version=99).status_code == 404


def test_a_get_writes_nothing(scene, api_client):
    count = ContractVersion.objects.count()
    api_client().get(f"/legal/{scene.slug}/contract")
    api_client(scene.steward).get(f"/legal/{scene.slug}/contract/versions")
    assert ContractVersion.objects.count() == count


def test_open_data_licence_is_the_one_opendata_publishes():
    from federage.opendata import domain as opendata_domain

    assert (
        opendata_domain.LICENSE["name"],
        opendata_domain.LICENSE["title"],
    ) == domain.OPEN_DATA_LICENCE


def test_clock_is_used_for_versions(scene):
    assert selectors.version_latest(commons_id=scene.commons.pk).created_at == (
        T0 + dt.timedelta(days=2)
    )
    assert clock.now() != T0
