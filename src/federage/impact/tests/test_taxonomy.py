"""The taxonomy: the seeded vocabulary, its versions, and stewards classifying and locating."""

from __future__ import annotations

import datetime as dt

import pytest

from federage.core import clock
from federage.core.errors import ApplicationError
from federage.impact import taxonomy
from federage.impact.models import CommonsTerm, Location, ResourceTerm, Term
from federage.resources import services as resource_services

NOW = dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.UTC)
THEMES = {
    "alimentation",
    "energie",
    "mobilite",
    "production-circulaire",
    "biodiversite",
    "eau",
    "habitat",
    "communs-numeriques",
    "sante",
    "culture",
    "solidarites",
    "climat",
}


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def steward(make_user):
    return make_user(name="Sophie Steward")


@pytest.fixture
def member(make_user):
    return make_user(name="Marc Membre")


@pytest.fixture
def commons(make_commons, steward, member):
    return make_commons(steward, slug="fonds-sols", members={member: ["contributor"]})


@pytest.fixture
def staff(make_user):
    user = make_user(name="Admin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def state(commons) -> tuple:
    location = Location.objects.filter(commons=commons).values_list("commune_code").first()
    codes = sorted(CommonsTerm.objects.filter(commons=commons).values_list("term__code", flat=True))
    return codes, location


def test_the_seeded_vocabulary(db):
    themes = Term.objects.filter(parent__isnull=True)
    assert set(themes.values_list("code", flat=True)) == THEMES
    for theme in themes:
        children = list(Term.objects.filter(parent=theme))
        assert 3 <= len(children) <= 5, theme.code
        for child in children:
            assert child.code.startswith(theme.code + ".")
            assert child.label_fr and child.label_en
    assert Term.objects.filter(code="alimentation.agroecologie").exists()
    assert Term.objects.filter(code="climat.sequestration").exists()
    assert set(Term.objects.values_list("origin", flat=True)) == {"federage"}
    assert set(Term.objects.values_list("added_in", flat=True)) == {1}
    assert taxonomy.vocabulary_version() == 1


def test_a_steward_classifies_and_locates_the_commons(commons, steward):
    taxonomy.commons_classify(
        user=steward,
        commons_slug=commons.slug,
        terms=["alimentation.agroecologie", "climat.sequestration", "biodiversite"],
        commune_code="32013",
    )
    location = Location.objects.get(commons=commons)
    assert (location.commune_code, location.departement_code, location.region_code) == (
        "32013",
        "32",
        "76",
    )
    assert location.cog_year == 2026
    found = taxonomy.classification_of(commons=commons)
    assert found["terms"] == ["alimentation.agroecologie", "biodiversite", "climat.sequestration"]
    assert found["location"]["commune_name"] == "Auch"
    assert found["location"]["departement_name"] == "Gers"
    assert found["location"]["region_name"] == "Occitanie"
    # The list replaces the old one; no commune_code leaves the location as it is; "" removes it.
    taxonomy.commons_classify(user=steward, commons_slug=commons.slug, terms=["biodiversite"])
    assert state(commons) == (["biodiversite"], ("32013",))
    taxonomy.commons_classify(
        user=steward, commons_slug=commons.slug, terms=["biodiversite"], commune_code=""
    )
    assert state(commons) == (["biodiversite"], None)


def test_an_old_commune_code_is_stored_as_todays(commons, steward):
    taxonomy.commons_classify(
        user=steward, commons_slug=commons.slug, terms=[], commune_code="01340"
    )
    assert Location.objects.get(commons=commons).commune_code == "01015"


@pytest.mark.parametrize(
    ("terms", "commune_code", "code", "field"),
    [
        (["alimentation", "inexistant"], "32013", "term_unknown", "terms"),
        (["alimentation"], "99999", "commune_unknown", "commune_code"),
        (["alimentation"], "97501", "commune_unknown", "commune_code"),
        ([f"t{i}" for i in range(13)], "32013", "out_of_range", "terms"),
    ],
)
def test_refusals_write_nothing(commons, steward, terms, commune_code, code, field):
    taxonomy.commons_classify(
        user=steward, commons_slug=commons.slug, terms=["eau"], commune_code="59512"
    )
    before = state(commons)
    with pytest.raises(ApplicationError) as refused:
        taxonomy.commons_classify(
            user=steward, commons_slug=commons.slug, terms=terms, commune_code=commune_code
        )
    assert refused.value.code == code
    assert refused.value.fields[field].code == code
    assert state(commons) == before


def test_only_a_steward_classifies(commons, member, make_user):
    for user in (member, make_user()):
        with pytest.raises(ApplicationError) as refused:
            taxonomy.commons_classify(
                user=user, commons_slug=commons.slug, terms=["eau"], commune_code="32013"
            )
        assert refused.value.code == "permission_denied"
    assert state(commons) == ([], None)


def test_staff_add_and_retire_terms_in_new_versions(commons, steward, staff, member):
    added = taxonomy.term_add(
        user=staff,
        code="permaculture",
        label_fr="Permaculture",
        label_en="Permaculture",
        parent="alimentation",
    )
    assert (added.code, added.origin, added.added_in) == (
        "alimentation.permaculture",
        "instance",
        2,
    )
    assert taxonomy.vocabulary_version() == 2
    taxonomy.commons_classify(
        user=steward, commons_slug=commons.slug, terms=["alimentation.permaculture"]
    )
    with pytest.raises(ApplicationError) as refused:
        taxonomy.term_add(user=staff, code="alimentation.permaculture", label_fr="x", label_en="x")
    assert refused.value.code in {"term_code_taken", "required"}
    with pytest.raises(ApplicationError) as refused:
        taxonomy.term_add(
            user=staff, code="permaculture", label_fr="x", label_en="x", parent="alimentation"
        )
    assert refused.value.code == "term_code_taken"
    with pytest.raises(ApplicationError) as refused:
        taxonomy.term_add(user=member, code="nouveau", label_fr="Nouveau", label_en="New")
    assert refused.value.code == "permission_denied"
    retired = taxonomy.term_retire(user=staff, code="alimentation")
    assert retired.retired_in == 3
    assert Term.objects.get(code="alimentation.permaculture").retired_in == 3
    assert taxonomy.vocabulary_version() == 3
    # Still there for what pointed at it, never for anything new.
    assert state(commons)[0] == ["alimentation.permaculture"]
    with pytest.raises(ApplicationError) as refused:
        taxonomy.commons_classify(user=steward, commons_slug=commons.slug, terms=["alimentation"])
    assert refused.value.code == "term_unknown"
    with pytest.raises(ApplicationError) as refused:
        taxonomy.term_retire(user=staff, code="alimentation")
    assert refused.value.code == "term_unknown"
    rows = {row["code"]: row for row in taxonomy.terms_all()}
    assert rows["alimentation"]["retired_in"] == 3
    assert rows["alimentation.permaculture"]["parent"] == "alimentation"


def test_a_steward_classifies_a_resource(commons, steward, member):
    resource = resource_services.resource_register(
        user=steward,
        commons_slug=commons.slug,
        key="parcelle",
        name="Parcelle",
        kind="land",
        unit="day",
    )
    taxonomy.resource_classify(
        user=steward, resource_id=resource.pk, terms=["biodiversite.sols-vivants"]
    )
    assert taxonomy.terms_of_resource(resource_id=resource.pk) == ["biodiversite.sols-vivants"]
    with pytest.raises(ApplicationError) as refused:
        taxonomy.resource_classify(user=steward, resource_id=resource.pk, terms=["nope"])
    assert refused.value.code == "term_unknown"
    with pytest.raises(ApplicationError) as refused:
        taxonomy.resource_classify(user=member, resource_id=resource.pk, terms=["eau"])
    assert refused.value.code == "permission_denied"
    assert ResourceTerm.objects.filter(resource_id=resource.pk).count() == 1


def test_over_http(commons, steward, member, api_client):
    public = api_client()
    response = public.get("/public/taxonomy")
    assert response.status_code == 200
    assert response.json()["version"] == 1
    codes = {term["code"] for term in response.json()["terms"]}
    assert codes >= THEMES
    path = f"/impact/commons/{commons.slug}/classification"
    refused = api_client(steward).post(path, {"terms": ["eau"], "commune_code": "00000"})
    assert refused.status_code == 422
    assert refused.json()["fields"]["commune_code"]["code"] == "commune_unknown"
    refused = api_client(member).post(path, {"terms": ["eau"], "commune_code": "59512"})
    assert refused.status_code == 403
    assert state(commons) == ([], None)
    done = api_client(steward).post(path, {"terms": ["eau.qualite"], "commune_code": "59512"})
    assert done.status_code == 200, done.json()
    assert done.json()["location"]["commune_name"] == "Roubaix"
    assert public.get(f"/public/commons/{commons.slug}/classification").json()["terms"] == [
        "eau.qualite"
    ]
    by_command = api_client(steward).command(
        "commons.classify", {"commons_slug": commons.slug, "terms": ["climat"]}
    )
    assert by_command.status_code == 200, by_command.json()
    assert state(commons) == (["climat"], ("59512",))
    territories = public.get("/public/territories", q="roubaix").json()
    assert territories[0]["code"] == "59512"
