"""Demo of the legal vehicle: contract acceptances and a title certificate, via the services.

Every demo commons has its contract from its founding on (version 1, then one version per
member who joined and per charter amendment, written by the reactions). In the textile
workshop, whose charter was amended, some partners accept the version in force and the others
show as not having accepted it; one holder gets a certificate of their titles.
"""

from __future__ import annotations

from federage.accounts import selectors as account_selectors
from federage.agents import selectors as agent_selectors
from federage.commons import selectors as commons_selectors
from federage.core.errors import ApplicationError
from federage.legal import selectors, services

ATELIER = "atelier-textile-circulaire"


def _user(email: str):
    return account_selectors.user_by_email(email=email)


def demo_load_legal(domain_name: str = "demo.federage.fr") -> None:
    """Called at the end of demo_load(), once the books and titles are written."""
    camille = _user(f"camille.martin@{domain_name}")
    aicha = _user(f"aicha.benali@{domain_name}")
    ines = _user(f"ines.moreau@{domain_name}")
    commons = commons_selectors.commons_get_visible(user=camille, slug=ATELIER)
    current = selectors.version_latest(commons_id=commons.pk)
    # Camille (for herself and for the association she represents) and Aïcha accept; Inès
    # and the development agency have not yet.
    fil = next(
        agent
        for agent in agent_selectors.agents_of_user(user=camille)
        if agent.kind == "association"
    )
    for user, agent_id in ((camille, None), (camille, fil.pk), (aicha, None)):
        services.contract_accept(
            user=user,
            commons_slug=ATELIER,
            version_number=current.number,
            sha256=current.sha256,
            agent_id=agent_id,
        )
    # The first of these holders with titles gets a certificate.
    for user, agent_id in ((ines, None), (aicha, None), (camille, fil.pk), (camille, None)):
        try:
            services.certificate_issue(user=user, commons_slug=ATELIER, agent_id=agent_id)
        except ApplicationError as error:
            if error.code != "no_titles_held":
                raise
            continue
        break
