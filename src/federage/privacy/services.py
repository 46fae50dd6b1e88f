"""Erasure of a person (GDPR art. 17), pseudonymising them without breaking a book.

What the hash chains cover: a ledger entry's hash covers its journal, numbers, dates, label,
piece, lines (account number, amounts, line label) and its authorisation (source type and id,
decision id, charter version); a decision's hash covers the proposal (title, payload, author
agent id), the rules, the tally and a digest of (voter agent id, choice, weight). None of them
covers a person's name: people are in the chains by their agent id, a stable pseudonymous id.
So erasure rewrites names on the user and agent rows only; no hash, entry or balance changes,
and `federage verify` stays clean. Free text a member typed (a contribution title naming
someone) is content of the books, not an identity field; it is not rewritten.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from federage.accounts import services as accounts_services
from federage.agents import selectors as agent_selectors
from federage.agents import services as agent_services
from federage.commons import selectors as commons_selectors
from federage.commons import services as commons_services
from federage.contributions import selectors as contributions_selectors
from federage.core.errors import ApplicationError
from federage.core.events import event_record
from federage.core.transactions import write
from federage.governance import services as governance_services
from federage.ledger import receivables
from federage.titles import selectors as titles_selectors


def pseudonym_for(user_id: int) -> str:
    """'Personne effacée 3f9a1c': stable for one user on one instance, unguessable from the
    id without the instance's secret (rotating FEDERAGE_SECRET_KEY renames erased persons)."""
    key = hashlib.sha256(b"federage.privacy.erased:" + settings.SECRET_KEY.encode()).digest()
    ref = hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:6]
    return f"Personne effacée {ref}"


@write
def account_erase(*, user, password: str) -> str:
    """Erases `user` after checking their password again; returns their pseudonym.

    Refused, having written nothing, while they hold titles (`erasure_titles_held`: transfer
    them or have them redeemed first, since a holder must be reachable) or have an open
    obligation (`erasure_obligations_open`: a transfer proposed, a redemption requested, a
    contribution under way, cash not paid yet or a due — a levy, a transfer tax — not paid),
    or while they are the last steward of a commons (`erasure_last_steward`: hand the role
    to another member first). Invitations sent to their address forget it.
    """
    accounts_services.password_confirm(user=user, password=password)
    agents = list(agent_selectors.agents_of_user(user=user))
    agent_ids = [agent.pk for agent in agents]
    if titles_selectors.units_held_by(agent_ids=agent_ids) > 0:
        raise ApplicationError("erasure_titles_held")
    if titles_selectors.obligations_open_count(
        agent_ids=agent_ids
    ) or contributions_selectors.contributions_open_count(agent_ids=agent_ids):
        raise ApplicationError("erasure_obligations_open")
    if receivables.dues_unpaid_count(agent_ids=agent_ids):
        raise ApplicationError("erasure_obligations_open")
    if commons_selectors.commons_left_without_steward(agent_ids=agent_ids):
        raise ApplicationError("erasure_last_steward")
    pseudonym = pseudonym_for(user.pk)
    names = {user.display_name}
    names.update(
        agent.display_name for agent in agents if agent.kind == "person" and agent.display_name
    )
    agent_services.agents_pseudonymise(user=user, pseudonym=pseudonym)
    for name in sorted(names, key=len, reverse=True):
        governance_services.notifications_redact(name=name, pseudonym=pseudonym)
    commons_services.invitations_forget_address(email=user.email)
    accounts_services.user_erase(user=user, pseudonym=pseudonym)
    event_record(
        type="account.erased", commons_id=None, actor_user_id=user.pk, data={"user_id": user.pk}
    )
    return pseudonym
