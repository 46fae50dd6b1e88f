"""The taxonomy and where commons act: the versioned vocabulary of themes, the classification of
commons and resources with its terms, and each commons' location by its official commune code.

The vocabulary has a version number: the highest `added_in` or `retired_in` of its terms (1 as
shipped). Each change made by the instance's staff (a term added, a term retired) makes the next
version, so a reader holding version n can ask what changed since. Terms are never deleted: a
retired term stays in the classifications and the open data that point at it, but nothing new
may use it (`term_unknown`, like a code that never existed).
"""

from __future__ import annotations

from django.db.models import Max, Q

from federage.commons import selectors as commons_selectors
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.transactions import write
from federage.impact import territories
from federage.impact.models import CommonsTerm, Location, ResourceTerm, Term
from federage.resources import selectors as resource_selectors

STEWARD = ("steward",)
MAX_TERMS = 12


# --- Reads ----------------------------------------------------------------------------------


def vocabulary_version() -> int:
    found = Term.objects.aggregate(added=Max("added_in"), retired=Max("retired_in"))
    return max(found["added"] or 1, found["retired"] or 1)


def term_row(term: Term, parent_code: str | None = None) -> dict:
    return {
        "id": term.pk,
        "code": term.code,
        "parent": parent_code
        if parent_code is not None
        else (term.parent.code if term.parent_id else None),
        "fr": term.label_fr,
        "en": term.label_en,
        "origin": term.origin,
        "added_in": term.added_in,
        "retired_in": term.retired_in,
    }


def terms_all(*, include_retired: bool = True) -> list[dict]:
    """Every term, themes before their sub-terms, in code order."""
    terms = Term.objects.select_related("parent").order_by("code")
    if not include_retired:
        terms = terms.filter(retired_in__isnull=True)
    return [term_row(term) for term in terms]


def term_codes_under(code: str) -> list[str]:
    """The term and every term below it (a theme and its sub-terms), retired ones included so
    older classifications are still found; [] if the code is unknown."""
    root = Term.objects.filter(code=code).first()
    if root is None:
        return []
    codes, frontier = [root.code], [root.pk]
    while frontier:
        children = list(Term.objects.filter(parent_id__in=frontier).values_list("pk", "code"))
        frontier = [pk for pk, _ in children]
        codes += [code for _, code in children]
    return codes


def terms_of_commons(*, commons_ids) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = CommonsTerm.objects.filter(commons_id__in=list(commons_ids)).values_list(
        "commons_id", "term__code"
    )
    for commons_id, code in rows.order_by("term__code"):
        found.setdefault(commons_id, []).append(code)
    return found


def terms_of_resource(*, resource_id: int) -> list[str]:
    return list(
        ResourceTerm.objects.filter(resource_id=resource_id)
        .order_by("term__code")
        .values_list("term__code", flat=True)
    )


def location_row(location: Location | None) -> dict | None:
    if location is None:
        return None
    commune = territories.commune(location.commune_code)
    return {
        "commune_code": location.commune_code,
        "commune_name": commune.name if commune else "",
        "departement_code": location.departement_code,
        "departement_name": territories.departement_name(location.departement_code) or "",
        "region_code": location.region_code,
        "region_name": territories.region_name(location.region_code) or "",
        "cog_year": location.cog_year,
    }


def locations_of(*, commons_ids) -> dict[int, dict]:
    return {
        location.commons_id: location_row(location)
        for location in Location.objects.filter(commons_id__in=list(commons_ids))
    }


def classification_of(*, commons) -> dict:
    return {
        "commons_slug": commons.slug,
        "terms": terms_of_commons(commons_ids=[commons.pk]).get(commons.pk, []),
        "location": locations_of(commons_ids=[commons.pk]).get(commons.pk),
    }


def commons_ids_located(*, commune: str = "", departement: str = "", region: str = "") -> Q:
    """A filter on commons ids by where they act, at one scale (see territories.codes_around)."""
    query = Location.objects.all()
    if commune:
        query = query.filter(commune_code__in=territories.codes_around(commune) or ["-"])
    if departement:
        query = query.filter(departement_code=departement.upper())
    if region:
        query = query.filter(region_code=region)
    return query.values("commons_id")


def commons_ids_with_terms(codes: list[str]):
    return CommonsTerm.objects.filter(term__code__in=codes).values("commons_id")


# --- Writes ---------------------------------------------------------------------------------


def _terms_in_force(codes, field_name: str = "terms") -> list[Term]:
    if not isinstance(codes, (list, tuple)):
        raise ApplicationError.on_field(field_name, "invalid_value")
    wanted = list(dict.fromkeys(codes))
    if len(wanted) > MAX_TERMS:
        raise ApplicationError.on_field(field_name, "out_of_range")
    if any(not isinstance(code, str) or len(code) > 60 for code in wanted):
        raise ApplicationError.on_field(field_name, "term_unknown")
    terms = {
        term.code: term for term in Term.objects.filter(code__in=wanted, retired_in__isnull=True)
    }
    missing = [code for code in wanted if code not in terms]
    if missing:
        raise ApplicationError.on_field(field_name, "term_unknown", ", ".join(missing)[:200])
    return [terms[code] for code in wanted]


def _commons_for_steward(user, slug: str):
    commons = commons_selectors.commons_get_visible(user=user, slug=slug)
    commons_selectors.require_role(user=user, commons=commons, any_of=STEWARD)
    return commons


@write
def commons_classify(*, user, commons_slug: str, terms: list[str], commune_code: str | None = None):
    """A steward sets the commons' terms (the whole list replaces the old one) and, when given,
    where it acts (a commune code of the COG, an old code being read as today's commune; "" takes
    the location away). One transaction: an unknown term or commune writes nothing."""
    commons = _commons_for_steward(user, commons_slug)
    chosen = _terms_in_force(terms)
    commune = None
    if commune_code:
        commune = territories.commune_require(commune_code)
    CommonsTerm.objects.filter(commons=commons).exclude(term__in=chosen).delete()
    existing = set(CommonsTerm.objects.filter(commons=commons).values_list("term_id", flat=True))
    CommonsTerm.objects.bulk_create(
        [CommonsTerm(commons=commons, term=term) for term in chosen if term.pk not in existing]
    )
    if commune is not None:
        Location.objects.update_or_create(
            commons=commons,
            defaults={
                "commune_code": commune.code,
                "departement_code": commune.departement,
                "region_code": commune.region,
                "cog_year": territories.COG_YEAR,
            },
        )
    elif commune_code == "":
        Location.objects.filter(commons=commons).delete()
    event_record(
        type="commons.classified",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={
            "terms": [term.code for term in chosen],
            "commune_code": commune.code if commune else None,
        },
    )
    return commons


@write
def resource_classify(*, user, resource_id: int, terms: list[str]):
    """A steward of the resource's commons sets its terms (the whole list replaces the old one)."""
    commons_slug = resource_selectors.resource_row(resource_id=resource_id)["commons_slug"]
    commons = _commons_for_steward(user, commons_slug)
    resource = resource_selectors.resource_of(commons=commons, resource_id=resource_id)
    chosen = _terms_in_force(terms)
    ResourceTerm.objects.filter(resource_id=resource.pk).exclude(term__in=chosen).delete()
    existing = set(
        ResourceTerm.objects.filter(resource_id=resource.pk).values_list("term_id", flat=True)
    )
    ResourceTerm.objects.bulk_create(
        [
            ResourceTerm(resource_id=resource.pk, term=term)
            for term in chosen
            if term.pk not in existing
        ]
    )
    event_record(
        type="resource.classified",
        commons_id=commons.pk,
        actor_user_id=user.pk,
        data={"resource_id": resource.pk, "terms": [term.code for term in chosen]},
    )
    return resource


def _require_staff(user) -> None:
    if user is None or not user.is_authenticated or not user.is_staff:
        raise ApplicationError("permission_denied")


@write
def term_add(*, user, code: str, label_fr: str, label_en: str, parent: str | None = None) -> Term:
    """The instance's staff adds a term (origin "instance") in the next vocabulary version; a
    sub-term's code is "parent.child"."""
    _require_staff(user)
    parent_term = None
    if parent:
        parent_term = _terms_in_force([parent], "parent")[0]
    code = (code or "").strip().lower()
    if parent_term is not None and not code.startswith(parent_term.code + "."):
        code = f"{parent_term.code}.{code}"
    if not code or len(code) > 60 or not all(ch.isalnum() or ch in "_.-" for ch in code):
        raise ApplicationError.on_field("code", "invalid_value")
    if not code.isascii() or code != code.lower():
        raise ApplicationError.on_field("code", "invalid_value")
    if "." in code and parent_term is None:
        raise ApplicationError.on_field("parent", "required")
    label_fr = " ".join((label_fr or "").split())
    label_en = " ".join((label_en or "").split())
    for name, label in (("label_fr", label_fr), ("label_en", label_en)):
        if not label:
            raise ApplicationError.on_field(name, "required")
        if len(label) > 120:
            raise ApplicationError.on_field(name, "too_long")
    if Term.objects.filter(code=code).exists():
        raise ApplicationError.on_field("code", "term_code_taken")
    term = Term.objects.create(
        code=code,
        parent=parent_term,
        label_fr=label_fr,
        label_en=label_en,
        origin="instance",
        added_in=vocabulary_version() + 1,
    )
    event_record(
        type="taxonomy.term_added", commons_id=None, actor_user_id=user.pk, data={"code": code}
    )
    return term


@write
def term_retire(*, user, code: str) -> Term:
    """The instance's staff retires a term and the terms below it, in the next version."""
    _require_staff(user)
    term = _terms_in_force([code], "code")[0]
    version = vocabulary_version() + 1
    codes = term_codes_under(term.code)
    Term.objects.filter(code__in=codes, retired_in__isnull=True).update(retired_in=version)
    event_record(
        type="taxonomy.term_retired",
        commons_id=None,
        actor_user_id=user.pk,
        data={"codes": codes, "version": version},
    )
    term.refresh_from_db()
    return term
