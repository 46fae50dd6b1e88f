"""Commons through the API: creation, visibility, the tree, invitations, roles and leaving."""

import datetime as dt
import re

import pytest
from django.core import mail

from federage.commons.models import Commons, Invitation, Membership
from federage.core import clock


def create(client, slug="jardin-partage", **fields):
    return client.post("/commons", {"slug": slug, "name": "Jardin partagé", **fields})


def test_creator_becomes_steward_and_sees_the_commons(make_user, api_client):
    client = api_client(make_user())
    response = create(client, purpose="Cultiver ensemble", visibility="public")
    assert response.status_code == 201, response.json()
    assert response.json()["my_roles"] == ["steward"]
    assert response.json()["member_count"] == 1
    listed = client.get("/commons").json()
    assert [(item["slug"], item["member_count"]) for item in listed] == [("jardin-partage", 1)]


@pytest.mark.parametrize(
    ("slug", "code", "status"),
    [("A B", "invalid_slug", 422), ("ab", "invalid_slug", 422), ("-abc", "invalid_slug", 422)],
)
def test_bad_slugs_are_refused(make_user, api_client, slug, code, status):
    response = create(api_client(make_user()), slug=slug)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert Commons.objects.count() == 0


def test_slug_taken(make_user, api_client):
    client = api_client(make_user())
    assert create(client).status_code == 201
    response = create(api_client(make_user()))
    assert (response.status_code, response.json()["code"]) == (409, "slug_taken")
    assert Commons.objects.count() == 1


def test_private_and_draft_commons_are_invisible_to_others(make_user, make_commons, api_client):
    steward = make_user()
    make_commons(steward, slug="prive", visibility="private")
    make_commons(steward, slug="brouillon", visibility="draft")
    make_commons(steward, slug="ouvert", visibility="public")
    stranger = api_client(make_user())
    assert [item["slug"] for item in stranger.get("/commons").json()] == ["ouvert"]
    for slug in ("prive", "brouillon", "inconnu"):
        response = stranger.get(f"/commons/{slug}")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert api_client().get("/public/commons/prive").status_code == 404
    assert api_client().get("/public/commons/ouvert").status_code == 200


def test_public_page_hides_natural_persons_without_consent(make_user, make_commons, api_client):
    steward = make_user(name="Secret Person")
    make_commons(steward, slug="ouvert", visibility="public")
    page = api_client().get("/public/commons/ouvert").json()
    assert page["member_count"] == 1
    assert "Secret Person" not in str(page)


def test_a_public_sub_commons_does_not_reveal_a_parent_hidden_from_the_reader(
    make_user, make_commons, api_client
):
    """Issue 14: `parent_slug` and `ancestors` named a private or draft parent to strangers."""
    steward = make_user()
    make_commons(steward, slug="racine", visibility="public")
    make_commons(steward, slug="cercle-prive", visibility="private", parent_slug="racine")
    make_commons(steward, slug="atelier-ouvert", visibility="public", parent_slug="cercle-prive")
    stranger = api_client(make_user())
    listed = {item["slug"]: item for item in stranger.get("/commons").json()}
    assert "cercle-prive" not in listed
    assert listed["atelier-ouvert"]["parent_slug"] is None
    detail = stranger.get("/commons/atelier-ouvert").json()
    assert (detail["parent_slug"], detail["ancestors"]) == (None, []), "nor what is above it"
    assert "cercle-prive" not in str(detail) and "racine" not in str(detail)
    # Its members see the whole line.
    mine = api_client(steward).get("/commons/atelier-ouvert").json()
    assert mine["parent_slug"] == "cercle-prive"
    assert [item["slug"] for item in mine["ancestors"]] == ["racine", "cercle-prive"]


def test_only_stewards_edit(make_user, make_commons, api_client):
    steward, member = make_user(), make_user()
    commons = make_commons(steward, members={member: ["contributor"]})
    refused = api_client(member).patch(f"/commons/{commons.slug}", {"name": "Pris"})
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    done = api_client(steward).patch(f"/commons/{commons.slug}", {"name": "Nouveau nom"})
    assert done.status_code == 200
    assert done.json()["name"] == "Nouveau nom"


def test_sub_commons_tree_refuses_cycles(make_user, make_commons, api_client):
    steward = make_user()
    parent = make_commons(steward, slug="parent")
    client = api_client(steward)
    child = create(client, slug="enfant", parent_slug="parent").json()
    assert child["ancestors"] == [{"slug": "parent", "name": parent.name}]
    assert client.get("/commons/parent").json()["children"] == [
        {"slug": "enfant", "name": "Jardin partagé"}
    ]
    cycle = client.patch("/commons/parent", {"parent_slug": "enfant"})
    assert (cycle.status_code, cycle.json()["code"]) == (422, "invalid_parent")
    stranger = api_client(make_user())
    foreign = create(stranger, slug="intrus", parent_slug="parent")
    assert foreign.json()["code"] == "invalid_parent"


def test_invitation_round_trip_by_email(make_user, make_commons, api_client):
    steward = make_user()
    commons = make_commons(steward)
    invited = api_client(steward).post(
        f"/commons/{commons.slug}/invitations",
        {"email": "newcomer@example.org", "roles": ["approver", "contributor"]},
    )
    assert invited.status_code == 201, invited.json()
    assert invited.json()["roles"] == ["contributor", "approver"]
    token = re.search(r"/invitations/(\S+)", mail.outbox[-1].body).group(1)
    anonymous = api_client().get(f"/invitations/{token}").json()
    assert anonymous["commons"]["slug"] == commons.slug
    newcomer = api_client(make_user("newcomer@example.org"))
    accepted = newcomer.post(f"/invitations/{token}/accept", {})
    assert accepted.status_code == 200, accepted.json()
    members = newcomer.get(f"/commons/{commons.slug}/members").json()
    assert sorted(tuple(item["roles"]) for item in members) == [
        ("contributor", "approver"),
        ("steward",),
    ]
    again = newcomer.post(f"/invitations/{token}/accept", {})
    assert again.json()["code"] == "invitation_not_pending"


def test_an_invitation_is_bound_to_its_address(make_user, make_commons, api_client):
    """Issue 14: a steward invitation sent to one address was accepted by another account."""
    steward = make_user()
    commons = make_commons(steward, visibility="private")
    path = f"/commons/{commons.slug}/invitations"
    sent = api_client(steward).post(path, {"email": "Nina@Example.org", "roles": ["steward"]})
    token = sent.json()["link"].rsplit("/", 1)[1]
    intruder = make_user("intruder@example.org")
    refused = api_client(intruder).post(f"/invitations/{token}/accept", {})
    assert (refused.status_code, refused.json()["code"]) == (403, "invitation_other_address")
    assert refused.json()["message"].startswith("Cette invitation a été envoyée")
    assert Membership.objects.filter(commons=commons).count() == 1
    assert Invitation.objects.get(pk=sent.json()["id"]).status == Invitation.PENDING
    # The invited address, written otherwise, accepts; following the mailed link confirms it.
    nina = make_user("nina@example.ORG")
    assert nina.email_verified_at is None
    accepted = api_client(nina).post(f"/invitations/{token}/accept", {})
    assert accepted.status_code == 200, accepted.json()
    nina.refresh_from_db()
    assert nina.email_verified_at is not None


def test_a_steward_may_let_anyone_with_the_link_join(make_user, make_commons, api_client):
    steward = make_user()
    commons = make_commons(steward)
    path = f"/commons/{commons.slug}/invitations"
    before = len(mail.outbox)
    sent = api_client(steward).post(path, {"roles": ["observer"], "anyone_with_link": True})
    assert sent.status_code == 201, sent.json()
    assert (sent.json()["email"], sent.json()["anyone_with_link"]) == ("", True)
    assert len(mail.outbox) == before, "no address, no mail: the steward shares the link"
    token = sent.json()["link"].rsplit("/", 1)[1]
    assert api_client().get(f"/invitations/{token}").json()["anyone_with_link"] is True
    accepted = api_client(make_user()).post(f"/invitations/{token}/accept", {})
    assert accepted.status_code == 200, accepted.json()
    no_address = api_client(steward).post(path, {"roles": ["observer"]})
    assert no_address.json()["fields"]["email"]["code"] == "invalid_email", "else it needs one"


def test_invitation_refusals(make_user, make_commons, api_client):
    steward, member = make_user(), make_user()
    commons = make_commons(steward, members={member: ["contributor"]})
    path = f"/commons/{commons.slug}/invitations"
    client = api_client(steward)
    bad_role = client.post(path, {"email": "x@example.org", "roles": ["king"]})
    assert bad_role.json()["code"] == "invalid_role"
    no_role = client.post(path, {"email": "x@example.org", "roles": []})
    assert no_role.json()["code"] == "roles_required"
    by_member = api_client(member).post(path, {"email": "x@example.org", "roles": ["observer"]})
    assert by_member.status_code == 403
    assert client.post(path, {"email": "x@example.org", "roles": ["observer"]}).status_code == 201
    twice = client.post(path, {"email": "x@example.org", "roles": ["observer"]})
    assert twice.json()["code"] == "already_invited"
    assert Invitation.objects.filter(email="x@example.org").count() == 1
    assert api_client(member).get(path).status_code == 403


def test_expired_and_revoked_invitations_cannot_be_accepted(make_user, make_commons, api_client):
    steward = make_user()
    commons = make_commons(steward)
    client = api_client(steward)
    path = f"/commons/{commons.slug}/invitations"
    first = client.post(path, {"email": "late@example.org", "roles": ["observer"]}).json()
    late = api_client(make_user("late@example.org"))
    later = clock.now() + dt.timedelta(days=15)
    with clock.frozen(later):
        expired = late.post(f"/invitations/{first['link'].rsplit('/', 1)[1]}/accept", {})
    assert (expired.status_code, expired.json()["code"]) == (410, "invitation_expired")
    second = client.post(path, {"email": "other@example.org", "roles": ["observer"]}).json()
    assert client.delete(f"{path}/{second['id']}").json()["status"] == "revoked"
    revoked = api_client(make_user("other@example.org")).post(
        f"/invitations/{second['link'].rsplit('/', 1)[1]}/accept", {}
    )
    assert revoked.json()["code"] == "invitation_not_pending"
    assert Membership.objects.filter(commons=commons).count() == 1
    unknown = late.post("/invitations/not-a-token/accept", {})
    assert unknown.json()["code"] == "invalid_token"


def test_roles_change_and_the_last_steward_stays(make_user, make_commons, api_client):
    steward, member = make_user(), make_user()
    commons = make_commons(steward, members={member: ["contributor"]})
    client = api_client(steward)
    members = {
        item["agent"]["display_name"]: item
        for item in client.get(f"/commons/{commons.slug}/members").json()
    }
    own = members[steward.display_name]["id"]
    other = members[member.display_name]["id"]
    demote = client.put(f"/commons/{commons.slug}/members/{own}/roles", {"roles": ["observer"]})
    assert (demote.status_code, demote.json()["code"]) == (409, "last_steward")
    leave = client.post(f"/commons/{commons.slug}/leave", {})
    assert leave.json()["code"] == "last_steward"
    promote = client.put(
        f"/commons/{commons.slug}/members/{other}/roles", {"roles": ["steward", "approver"]}
    )
    assert promote.json()["roles"] == ["steward", "approver"]
    assert client.post(f"/commons/{commons.slug}/leave", {}).status_code == 200
    assert client.get(f"/commons/{commons.slug}").json()["my_roles"] == []
    not_member = client.post(f"/commons/{commons.slug}/leave", {})
    assert not_member.json()["code"] == "not_a_member"


def test_commons_console_listing(make_user, make_commons, capsys):
    from django.core.management import call_command

    make_commons(make_user(), slug="ecole", name="École", visibility="private")
    call_command("commons")
    assert capsys.readouterr().out == "ecole\tÉcole\tprivate\t1\n"
