"""A public commons with books, decisions and titles beside a private and a draft one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from federage.agents import selectors as agent_selectors
from federage.contributions.tests import scene as contribution_scene
from federage.opendata import cache, middleware

# What must never appear in public: the private and draft commons, and a person who did not
# consent to be named.
SECRET_NAME = "Zoé Discrète"
SECRET_EMAIL = "zoe.discrete@example.org"
CONSENTING_NAME = "Octave Ouvert"


@dataclass
class World:
    public: Any
    private: Any
    draft: Any
    secret_user: Any
    consenting_user: Any

    @property
    def forbidden(self) -> list[str]:
        return [
            "secret-private",
            "Fonds Confidentiel",
            "Apport très confidentiel",
            "brouillon-draft",
            "Atelier Brouillon",
            "Apport en brouillon",
            SECRET_NAME,
            SECRET_EMAIL,
            "zoe.discrete",
        ]


@pytest.fixture(autouse=True)
def _fresh_rate_limit_and_cache():
    # Rolled-back tests reuse ids, so a report cached by (commons id, cursor) could outlive one.
    middleware.LIMITER._hits.clear()
    cache.clear()
    yield
    middleware.LIMITER._hits.clear()
    cache.clear()


def _commons_with_books(
    make_user, make_commons, *, slug, name, visibility, title, contributor, others=()
):
    steward = make_user(name=f"Gestion {slug}")
    approver1 = make_user(name=f"Valideur un {slug}")
    approver2 = make_user(name=f"Valideur deux {slug}")
    commons = make_commons(
        steward,
        slug=slug,
        name=name,
        visibility=visibility,
        category="textile",
        location="Lyon",
        members={
            approver1: ["approver"],
            approver2: ["approver"],
            contributor: ["contributor"],
            **{other: ["contributor"] for other in others},
        },
    )
    scene = contribution_scene.Scene(commons, steward, approver1, approver2, contributor, steward)
    contribution_scene.accept(scene, title=title, proposed_price_cents=987_654)
    contribution_scene.accept(
        scene, kind="labour", title=f"{title} (travail)", proposed_price_cents=12_300
    )
    return commons


@pytest.fixture
def world(make_user, make_commons) -> World:
    secret_user = make_user(email=SECRET_EMAIL, name=SECRET_NAME)
    consenting_user = make_user(name=CONSENTING_NAME)
    agent = agent_selectors.self_agent(user=consenting_user)
    agent.public_name_consent = True
    agent.save(update_fields=["public_name_consent"])
    public = _commons_with_books(
        make_user,
        make_commons,
        slug="atelier-ouvert",
        name="Atelier Ouvert",
        visibility="public",
        title="Machine à coudre",
        contributor=secret_user,
        others=(consenting_user,),
    )
    private = _commons_with_books(
        make_user,
        make_commons,
        slug="secret-private",
        name="Fonds Confidentiel",
        visibility="private",
        title="Apport très confidentiel",
        contributor=make_user(name="Membre du privé"),
    )
    draft = _commons_with_books(
        make_user,
        make_commons,
        slug="brouillon-draft",
        name="Atelier Brouillon",
        visibility="draft",
        title="Apport en brouillon",
        contributor=make_user(name="Membre du brouillon"),
    )
    return World(public, private, draft, secret_user, consenting_user)
