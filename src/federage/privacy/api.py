"""HTTP API of privacy, beside the account's routes: /auth/me/export and /auth/me/erase."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest, JsonResponse
from ninja import Router

from federage.core import clock
from federage.core.http import AUTH
from federage.core.schemas import with_errors
from federage.privacy import selectors, services
from federage.privacy.schemas import ErasureIn, ErasureOut

router = Router(tags=["privacy"], auth=AUTH)


@router.get("/me/export", response=with_errors({200: dict}))
def export(request: HttpRequest):
    """Everything about me, as one JSON file to download (GDPR art. 15 and 20)."""
    answer = JsonResponse(selectors.personal_data(user=request.auth))
    answer["Content-Disposition"] = (
        f'attachment; filename="federage-mes-donnees-{clock.today():%Y%m%d}.json"'
    )
    answer["Cache-Control"] = "no-store"
    return answer


@router.post("/me/erase", response=with_errors({200: ErasureOut}))
def erase(request: HttpRequest, data: ErasureIn):
    """Erases my account after my password (GDPR art. 17): see privacy.services.

    A route rather than an outbox command, like log-in: the password must not wait in a
    device's queue nor be fingerprinted into an idempotency record."""
    pseudonym = services.account_erase(user=request.auth, password=data.password)
    logout(request)
    return {"erased": True, "pseudonym": pseudonym}
