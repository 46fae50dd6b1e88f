"""Contributions through the services: the whole chain to titles, counter-offers and refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from federage.contributions import services
from federage.contributions.models import Contribution, Revision
from federage.contributions.tests.scene import accept, agent_of, build, propose, vote
from federage.core import clock
from federage.core.errors import ApplicationError
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services
from federage.ledger.models import Entry
from federage.titles import selectors as titles_selectors
from federage.titles.models import Holding, Issuance, NavPoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(make_user, make_commons):
    return build(make_user, make_commons)


def lines_of(entry_id: int) -> list[tuple[str, int, int]]:
    entry = Entry.objects.get(pk=entry_id)
    return sorted(
        (line.account.number, line.debit_cents, line.credit_cents) for line in entry.lines.all()
    )


def refused(code: str, call, *args, **kwargs) -> None:
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value


def test_cash_contribution_is_booked_issued_called_and_paid(scene):
    contribution = accept(scene, quantity=Decimal("10"), unit_price_cents=5000)
    assert contribution.state == "accepted"
    # Booked per DESIGN §3, authorised by the decision and the charter version.
    assert lines_of(contribution.entry_id) == [("1013", 0, 50_000), ("4562", 50_000, 0)]
    entry = Entry.objects.get(pk=contribution.entry_id)
    decision = governance_selectors.decisions_of(commons_id=scene.commons.pk).get()
    assert (entry.decision_id, entry.journal) == (decision.pk, "AP")
    assert entry.charter_version_id == contribution.charter_version_id is not None
    assert contribution.decision_id == decision.pk
    # Issued at the charter's initial value (10 €) before any issuance: 500 € → 50 units.
    issuance = Issuance.objects.get(pk=contribution.issuance_id)
    assert (issuance.units, issuance.entry_id, issuance.decision_id) == (
        Decimal("50.0000"),
        entry.pk,
        decision.pk,
    )
    holding = Holding.objects.get(agent_id=agent_of(scene.contributor))
    assert holding.units == Decimal("50.0000")
    point = NavPoint.objects.get()
    assert (point.net_assets_cents, point.unit_value_cents) == (50_000, Decimal("1000"))
    # What the decision authorised is in the hashed decision content.
    assert decision.content["authorised"]["issuance_id"] == issuance.pk
    # Cash is then called and paid: D 512 / C 4562.
    services.contribution_call(user=scene.steward, contribution_id=contribution.pk)
    paid = services.contribution_pay(user=scene.steward, contribution_id=contribution.pk)
    assert paid.state == "paid"
    assert lines_of(paid.payment_entry_id) == [("4562", 0, 50_000), ("512", 50_000, 0)]
    assert [revision.action for revision in paid.revisions.order_by("number")] == [
        "create",
        "submit",
        "open_vote",
        "accept",
        "call",
        "pay",
    ]


def test_later_contributions_are_issued_at_nav_and_labour_has_its_own_journal(scene):
    accept(scene, proposed_price_cents=50_000)
    in_kind = accept(
        scene,
        user=scene.other,
        kind="in_kind",
        title="Surjeteuse industrielle",
        proposed_price_cents=30_000,
        resource_account="2154",
    )
    assert lines_of(in_kind.entry_id) == [("1014", 0, 30_000), ("2154", 30_000, 0)]
    assert Issuance.objects.get(pk=in_kind.issuance_id).units == Decimal("30.0000")
    labour = accept(
        scene,
        kind="labour",
        title="Patronage",
        quantity=Decimal("35"),
        unit="h",
        unit_price_cents=4500,
        proposed_price_cents=157_500,
    )
    entry = Entry.objects.get(pk=labour.entry_id)
    assert entry.journal == "AI"
    assert lines_of(entry.pk) == [("1015", 0, 157_500), ("208", 157_500, 0)]
    assert Issuance.objects.get(pk=labour.issuance_id).units == Decimal("157.5000")
    table = titles_selectors.cap_table(commons_id=scene.commons.pk)
    assert table["outstanding"] == Decimal("237.5000")
    assert table["net_assets_cents"] == 237_500
    assert sum(row["value_cents"] for row in table["holders"]) == 237_500


def test_counter_offer_accepted_restarts_the_vote_at_the_new_price(scene):
    contribution = propose(scene, proposed_price_cents=80_000, kind="in_kind", title="Machine")
    contribution = services.contribution_submit(
        user=scene.contributor, contribution_id=contribution.pk
    )
    first_proposal = contribution.proposal_id
    refused(
        "comment_required",
        services.contribution_counter,
        user=scene.approver1,
        contribution_id=contribution.pk,
        price_cents=60_000,
        comment=" ",
    )
    refused(
        "permission_denied",
        services.contribution_counter,
        user=scene.other,
        contribution_id=contribution.pk,
        price_cents=60_000,
        comment="Trop cher",
    )
    countered = services.contribution_counter(
        user=scene.approver1,
        contribution_id=contribution.pk,
        price_cents=60_000,
        comment="Prix du marché de l'occasion",
    )
    assert (countered.state, countered.counter_price_cents) == ("countered", 60_000)
    restarted = services.contribution_accept_counter(
        user=scene.contributor, contribution_id=contribution.pk, comment="D'accord"
    )
    assert restarted.state == "in_review"
    assert restarted.proposed_price_cents == 60_000
    assert restarted.proposal_id != first_proposal
    assert governance_selectors.proposal_get(proposal_id=first_proposal).status == "withdrawn"
    vote(scene, restarted)
    restarted.refresh_from_db()
    assert restarted.state == "accepted"
    assert Issuance.objects.get(pk=restarted.issuance_id).price_cents == 60_000


def test_rejected_contribution_books_and_issues_nothing(scene):
    contribution = propose(scene)
    contribution = services.contribution_submit(
        user=scene.contributor, contribution_id=contribution.pk
    )
    vote(scene, contribution, choice="against")
    contribution.refresh_from_db()
    assert contribution.state == "rejected"
    assert (contribution.entry_id, contribution.issuance_id) == (None, None)
    assert not Issuance.objects.exists()
    assert not Entry.objects.filter(source_type="contribution").exists()


def test_withdraw_closes_the_vote(scene):
    contribution = propose(scene)
    contribution = services.contribution_submit(
        user=scene.contributor, contribution_id=contribution.pk
    )
    withdrawn = services.contribution_withdraw(
        user=scene.contributor, contribution_id=contribution.pk, comment="Finalement non"
    )
    assert withdrawn.state == "withdrawn"
    proposal = governance_selectors.proposal_get(proposal_id=contribution.proposal_id)
    assert proposal.status == "withdrawn"


def test_nobody_votes_on_their_own_contribution_nor_its_co_authors(scene):
    contribution = propose(scene, co_author_agent_ids=[agent_of(scene.approver1)])
    contribution = services.contribution_submit(
        user=scene.contributor, contribution_id=contribution.pk
    )
    for user in (scene.contributor, scene.approver1):
        refused(
            "own_item",
            governance_services.ballot_cast,
            user=user,
            proposal_id=contribution.proposal_id,
            choice="for",
        )
    refused(
        "own_item",
        services.contribution_counter,
        user=scene.approver1,
        contribution_id=contribution.pk,
        price_cents=1000,
        comment="Moins",
    )


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"proposed_price_cents": 0}, "amount_not_positive"),
        ({"proposed_price_cents": -100}, "amount_not_positive"),
        (
            {"quantity": Decimal("35"), "unit_price_cents": 4500, "proposed_price_cents": 150_000},
            "price_mismatch",
        ),
        ({"quantity": Decimal("35"), "proposed_price_cents": 150_000}, "required"),
        ({"kind": "gift"}, "invalid_value"),
        ({"kind": "in_kind", "resource_account": "512"}, "invalid_value"),
        ({"kind": "in_kind", "resource_account": "31"}, "account_number_too_short"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(scene, fields, code):
    refused(code, propose, scene, **fields)
    assert not Contribution.objects.exists()
    assert not Revision.objects.exists()


def test_explained_price_gap_is_accepted(scene):
    contribution = propose(
        scene,
        kind="labour",
        quantity=Decimal("35"),
        unit_price_cents=4500,
        proposed_price_cents=150_000,
        price_explanation="Remise solidaire de 75 €",
    )
    assert contribution.proposed_price_cents == 150_000


def test_edits_need_a_comment_and_are_kept(scene):
    contribution = propose(scene)
    refused(
        "comment_required",
        services.contribution_update,
        user=scene.contributor,
        contribution_id=contribution.pk,
        comment="",
        proposed_price_cents=40_000,
    )
    updated = services.contribution_update(
        user=scene.contributor,
        contribution_id=contribution.pk,
        comment="Devis révisé",
        proposed_price_cents=40_000,
        delivery_date=dt.date(2026, 12, 1),
    )
    revision = updated.revisions.order_by("-number").first()
    assert revision.comment == "Devis révisé"
    assert revision.changes["proposed_price_cents"] == [50_000, 40_000]
    refused(
        "permission_denied",
        services.contribution_update,
        user=scene.other,
        contribution_id=contribution.pk,
        comment="Pirate",
        title="Autre",
    )
    services.contribution_submit(user=scene.contributor, contribution_id=contribution.pk)
    refused(
        "invalid_transition",
        services.contribution_update,
        user=scene.contributor,
        contribution_id=contribution.pk,
        comment="Trop tard",
        title="Autre",
    )


def test_only_members_contribute(scene, make_user):
    refused("permission_denied", propose, scene, user=make_user())


def test_needs_show_what_answers_them(scene):
    need = services.need_create(
        user=scene.steward,
        commons_slug=scene.slug,
        kind="in_kind",
        title="Une brodeuse numérique",
        target_cents=200_000,
    )
    refused(
        "permission_denied",
        services.need_create,
        user=scene.contributor,
        commons_slug=scene.slug,
        kind="cash",
        title="x",
        target_cents=1,
    )
    accept(scene, kind="in_kind", title="Brodeuse", proposed_price_cents=120_000, need_id=need.pk)
    from federage.contributions import selectors

    [row] = selectors.needs_of(user=scene.contributor, slug=scene.slug)
    assert (row["target_cents"], row["validated_cents"]) == (200_000, 120_000)


def test_the_vote_closes_at_its_deadline_and_accepts(scene):
    contribution = propose(scene)
    contribution = services.contribution_submit(
        user=scene.contributor, contribution_id=contribution.pk
    )
    governance_services.ballot_cast(
        user=scene.approver1, proposal_id=contribution.proposal_id, choice="for"
    )
    later = clock.now() + dt.timedelta(days=8)
    with clock.frozen(later):
        governance_services.proposals_close_due(commons_id=scene.commons.pk)
    contribution.refresh_from_db()
    assert contribution.state == "accepted"


def test_an_expired_vote_rejects_the_contribution(scene):
    contribution = propose(scene)
    contribution = services.contribution_submit(
        user=scene.contributor, contribution_id=contribution.pk
    )
    with clock.frozen(clock.now() + dt.timedelta(days=8)):
        governance_services.proposals_close_due(commons_id=scene.commons.pk)
    contribution.refresh_from_db()
    assert contribution.state == "rejected"
    assert "expired" in contribution.revisions.order_by("-number").first().comment
    assert not Issuance.objects.exists()


def test_who_may_record_a_contribution_and_for_which_agent(scene, make_user, make_commons):
    from federage.agents import services as agent_services
    from federage.commons import services as commons_services

    def refusal(**fields) -> tuple[str, dict]:
        with pytest.raises(ApplicationError) as caught:
            propose(scene, **fields)
        return caught.value.code, dict(caught.value.fields)

    outsider = make_user(name="Olivier Outsider")
    assert refusal(user=outsider)[0] == "permission_denied"
    make_commons(scene.steward, slug="cercle-prive", visibility="private")
    assert refusal(user=outsider, commons_slug="cercle-prive")[0] == "not_found"
    assert refusal(commons_slug="inconnu")[0] == "not_found"
    assert refusal(agent_id=agent_of(scene.other))[0] == "permission_denied"
    assert refusal(agent_id=10**9)[0] == "not_found"
    company = agent_services.agent_create(
        user=scene.contributor, kind="association", display_name="Les Amis du Fil"
    )
    code, fields = refusal(agent_id=company.pk)
    assert (code, list(fields)) == ("not_a_member", ["agent_id"])
    # Invited at the address of the person who represents it (an invitation is bound to it).
    _, link = commons_services.invitation_create(
        user=scene.steward, slug=scene.slug, email=scene.contributor.email, roles=["contributor"]
    )
    commons_services.invitation_accept(
        user=scene.contributor, token=link.rsplit("/", 1)[1], agent_id=company.pk
    )
    assert propose(scene, agent_id=company.pk).contributor_id == company.pk
    assert propose(scene).contributor_id == agent_of(scene.contributor)
    assert Contribution.objects.count() == 2
