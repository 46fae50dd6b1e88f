"""Reads for privacy: everything the instance holds about one person (GDPR art. 15 and 20).

The privacy app sits at the top of the layers (beside opendata): it asks each app below for
what it holds about the person through that app's selectors, never its models.
"""

from __future__ import annotations

from typing import Any

from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.contributions import selectors as contributions_selectors
from federage.core import clock
from federage.governance import selectors as governance_selectors
from federage.titles import selectors as titles_selectors

EXPORT_FORMAT = "federage.personal-data/1"


def personal_data(*, user) -> dict[str, Any]:
    """One JSON document of everything about `user`: account, agents, memberships,
    contributions, ballots, comments, titles, transfers, redemptions, notifications, consents.
    API tokens appear by name and prefix only (their hashes are not the person's data)."""
    agents = list(agent_selectors.agents_of_user(user=user))
    agent_ids = [agent.pk for agent in agents]
    governance = governance_selectors.personal_data(user=user, agent_ids=agent_ids)
    titles = titles_selectors.personal_data(agent_ids=agent_ids)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": clock.now().isoformat(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "email_verified_at": (
                user.email_verified_at.isoformat() if user.email_verified_at else None
            ),
            "api_tokens": [
                {
                    "name": token.name,
                    "prefix": token.prefix,
                    "created_at": token.created_at.isoformat(),
                    "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
                }
                for token in user.api_tokens.order_by("id")
            ],
        },
        "agents": [
            {
                "id": agent.pk,
                "kind": agent.kind,
                "display_name": agent.display_name,
                "description": agent.description,
                "website": agent.website,
                "siren": agent.siren,
            }
            for agent in agents
        ],
        "consents": [
            {"agent_id": agent.pk, "public_name": agent.public_name_consent} for agent in agents
        ],
        "memberships": commons_selectors.memberships_of_agents(agent_ids=agent_ids),
        "contributions": contributions_selectors.contributions_of_agents(agent_ids=agent_ids),
        "ballots": governance["ballots"],
        "comments": governance["comments"],
        "notifications": governance["notifications"],
        "titles": titles["holdings"],
        "issuances": titles["issuances"],
        "transfers": titles["transfers"],
        "redemptions": titles["redemptions"],
    }
