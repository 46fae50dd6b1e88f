"""A young commons governs itself: every member votes, the author included, below the threshold."""

from __future__ import annotations

import pytest

from federage.agents import selectors as agent_selectors
from federage.core.errors import ApplicationError
from federage.governance import domain, selectors, services
from federage.governance.models import Ballot, Decision, Proposal
from federage.governance.tests.conftest import set_rules


def amend(user, commons, changes=None, **kwargs):
    return services.proposal_open(
        user=user,
        commons_id=commons.pk,
        kind="amend_charter",
        title="Lower the transfer tax",
        payload={"changes": changes or {"transfer_tax_bp": 50}},
        **kwargs,
    )


def vote(user, proposal, choice="for", **kwargs):
    return services.ballot_cast(user=user, proposal_id=proposal.pk, choice=choice, **kwargs)


def refused(code, call, *args, **kwargs):
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


def me(user) -> int:
    return agent_selectors.self_agent(user=user).pk


def test_rule_is_a_pure_function_of_charter_kind_and_members():
    parameters = domain.default_parameters()
    assert parameters["decisions.young_commons_members"] == 2
    assert domain.electorate_rule(parameters, "amend_charter", 1) == "young_commons"
    assert domain.electorate_rule(parameters, "free_motion", 1) == "young_commons"
    assert domain.electorate_rule(parameters, "free_motion", 2) == "standard"
    three = {**parameters, domain.YOUNG_COMMONS_PARAMETER: 3}
    assert domain.electorate_rule(three, "amend_charter", 2) == "young_commons"
    assert domain.electorate_rule(three, "amend_charter", 3) == "standard"
    # A contributor never votes on their own contribution, young commons or not.
    assert domain.electorate_rule(parameters, "validate_contribution", 1) == "standard"
    assert (
        domain.electorate_rule(
            {**parameters, domain.YOUNG_COMMONS_PARAMETER: 0}, "amend_charter", 1
        )
        == "standard"
    )
    # A charter written before the parameter existed reads its default.
    older = {k: v for k, v in parameters.items() if k != domain.YOUNG_COMMONS_PARAMETER}
    assert domain.electorate_rule(older, "amend_charter", 1) == "young_commons"
    snapshot = domain.policy_snapshot(
        {**parameters, "decisions.voters": "title_holders", "decisions.weighting": "titles"},
        "amend_charter",
        1,
    )
    assert snapshot["voters"] == "members" and snapshot["weighting"] == "per_member"
    assert snapshot["electorate_rule"] == "young_commons"
    assert (snapshot["young_commons_members"], snapshot["members_at_opening"]) == (2, 1)
    assert domain.author_votes(snapshot)
    assert (
        domain.policy_snapshot(parameters, "amend_charter", 2)
        == domain.policy_for(parameters, "amend_charter").as_dict()
    )
    assert not domain.author_votes(domain.policy_for(parameters, "amend_charter").as_dict())
    assert any("moins de 2 membres" in line for line in domain.summary_fr(parameters))


def test_one_member_commons_amends_its_charter(make_user, make_commons, frozen_clock):
    founder = make_user(name="Founder")
    commons = make_commons(founder)
    preview = services.electorate_preview(user=founder, commons_id=commons.pk, kind="amend_charter")
    assert (preview["rule"], preview["author_votes"], preview["count"]) == (
        "young_commons",
        True,
        1,
    )
    assert [voter["id"] for voter in preview["voters"]] == [me(founder)]
    proposal = amend(founder, commons)
    assert proposal.policy["electorate_rule"] == "young_commons"
    assert proposal.policy["members_at_opening"] == 1
    assert selectors.electorate(proposal) == {me(founder): 1}
    view = selectors.voter_view(user=founder, proposal=proposal)
    assert view["can_vote"] and [agent["id"] for agent in view["agents"]] == [me(founder)]
    vote(founder, proposal, "for")
    proposal.refresh_from_db()
    assert proposal.status == "passed" and proposal.outcome["early"] is True
    charter = selectors.charter_current(commons_id=commons.pk)
    assert (charter.number, charter.parameters["transfer_tax_bp"]) == (2, 50)
    # The decision log says which rule decided, in its hashed content.
    decision = Decision.objects.get(proposal=proposal)
    assert decision.content["policy"]["electorate_rule"] == "young_commons"
    assert selectors.decision_log_verify(commons.pk) == []


def test_two_member_commons_under_the_default_each_decides_the_others(
    make_user, make_commons, frozen_clock
):
    founder, other = make_user(name="Founder"), make_user(name="Other")
    commons = make_commons(founder, members={other: ["contributor"]})
    proposal = amend(founder, commons)
    assert "electorate_rule" not in proposal.policy
    assert selectors.electorate(proposal) == {me(other): 1}
    refused("own_item", vote, founder, proposal)
    vote(other, proposal, "for")
    proposal.refresh_from_db()
    assert proposal.status == "passed"


def test_two_founders_both_vote_with_a_threshold_of_three(make_user, make_commons, frozen_clock):
    founder, other = make_user(name="Founder"), make_user(name="Other")
    commons = make_commons(founder, members={other: ["contributor"]})
    set_rules(commons, decisions__young_commons_members=3)
    proposal = amend(other, commons)
    assert selectors.electorate(proposal) == {me(founder): 1, me(other): 1}
    vote(other, proposal, "for")  # the author votes too
    proposal.refresh_from_db()
    assert proposal.status == "open"  # an "against" would still tie and reject it
    vote(founder, proposal, "for")
    proposal.refresh_from_db()
    assert proposal.status == "passed"


def test_three_member_commons_keeps_the_usual_rule(make_user, make_commons, frozen_clock):
    founder = make_user(name="Founder")
    others = [make_user(name=f"Member {index}") for index in range(2)]
    commons = make_commons(founder, members={user: ["contributor"] for user in others})
    proposal = amend(founder, commons)
    assert "electorate_rule" not in proposal.policy
    assert set(selectors.electorate(proposal)) == {me(user) for user in others}
    refused("own_item", vote, founder, proposal)
    assert selectors.voter_view(user=founder, proposal=proposal)["reason"] == "own_item"
    preview = services.electorate_preview(user=founder, commons_id=commons.pk, kind="amend_charter")
    assert (preview["rule"], preview["author_votes"], preview["count"]) == ("standard", False, 2)


def test_contributions_keep_their_exclusion_in_a_young_commons(
    make_user, make_commons, frozen_clock
):
    founder = make_user(name="Founder")
    commons = make_commons(founder)
    set_rules(commons, contributions__voters="members")
    proposal = services.proposal_open(
        user=founder,
        commons_id=commons.pk,
        kind="validate_contribution",
        title="A sewing machine",
        subject_type="contribution",
        subject_id=1,
    )
    # Another app's kind still opens (its screens say why nobody votes): no young rule.
    assert "electorate_rule" not in proposal.policy
    assert selectors.electorate(proposal) == {}
    refused("own_item", vote, founder, proposal)


def test_a_proposal_nobody_could_vote_on_is_refused(make_user, make_commons, frozen_clock):
    founder = make_user(name="Founder")
    others = [make_user(name=f"Member {index}") for index in range(2)]
    commons = make_commons(founder, members={user: ["contributor"] for user in others})
    set_rules(commons, decisions__voters="approvers")  # and nobody approves
    preview = services.electorate_preview(user=founder, commons_id=commons.pk, kind="free_motion")
    assert (preview["count"], preview["voters"]) == (0, [])
    count = Proposal.objects.count()
    error = refused("no_electorate", amend, founder, commons)
    assert error.http_status == 409
    assert Proposal.objects.count() == count
    # A draft may be saved; publishing it is refused the same way, and it stays a draft.
    draft = amend(founder, commons, draft=True)
    refused("no_electorate", services.proposal_publish, user=founder, proposal_id=draft.pk)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_rule_can_be_turned_off(make_user, make_commons, frozen_clock):
    founder = make_user(name="Founder")
    commons = make_commons(founder)
    set_rules(commons, decisions__young_commons_members=0)
    refused("no_electorate", amend, founder, commons)


def test_voting_for_an_agent_one_does_not_represent_is_refused_on_its_field(
    make_user, make_commons, frozen_clock
):
    founder, other = make_user(name="Founder"), make_user(name="Other")
    commons = make_commons(founder, members={other: ["contributor"]})
    set_rules(commons, decisions__young_commons_members=3)
    proposal = amend(founder, commons)
    error = refused("permission_denied", vote, founder, proposal, agent_id=me(other))
    assert set(error.fields) == {"agent_id"}
    assert not Ballot.objects.filter(proposal=proposal).exists()


def test_preview_and_refusal_over_http(make_user, make_commons, api_client, frozen_clock):
    founder, outsider = make_user(name="Founder"), make_user(name="Outsider")
    commons = make_commons(founder)
    client = api_client(founder)
    url = f"/commons/{commons.slug}/electorate-preview"
    preview = client.get(f"{url}?kind=amend_charter").json()
    assert preview["rule"] == "young_commons" and preview["count"] == 1
    assert preview["voters"][0]["display_name"] == "Founder"
    assert preview["policy"]["voters"] == "members"
    assert client.get(f"{url}?kind=validate_contribution").json()["code"] == "invalid_kind"
    assert api_client(outsider).get(f"{url}?kind=amend_charter").status_code in (404, 409)
    body = {"kind": "free_motion", "title": "Picnic"}
    opened = client.post(f"/commons/{commons.slug}/proposals", body).json()
    assert opened["policy"]["electorate_rule"] == "young_commons"
    assert opened["my_vote"]["can_vote"] is True
    assert opened["my_vote"]["agents"][0]["kind"] == "person"
    set_rules(commons, decisions__young_commons_members=0)
    response = client.post(f"/commons/{commons.slug}/proposals", body)
    assert response.status_code == 409
    assert response.json()["code"] == "no_electorate"
