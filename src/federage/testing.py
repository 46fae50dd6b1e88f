"""Test helpers shared by every test module: a JSON API client, the fixtures' password, browser steps."""

from __future__ import annotations

import importlib
import uuid

from django.test import Client, TestCase

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - a test fixture


def post_pair(commons, key: str, day, debit: str, credit: str, cents: int, journal: str = "OD"):
    """Books one two-line entry (`cents` from `credit` to `debit`) on `day`, keyed by `key`."""
    from federage.core.money import Money
    from federage.ledger import services as ledger_services
    from federage.ledger.domain import LineInput

    return ledger_services.entry_post(
        commons_id=commons.pk,
        journal=journal,
        entry_date=day,
        label=key,
        piece_ref=key.upper(),
        lines=[LineInput(debit, debit=Money(cents)), LineInput(credit, credit=Money(cents))],
        idempotency_key=f"test:{key}",
        authorised_by={"source_type": "manual"},
        actor_user_id=None,
    )


class ApiClient:
    """A Django test client speaking JSON to /api/v1/, with the CSRF token the SPA would send."""

    def __init__(self, user=None) -> None:
        self.client = Client(enforce_csrf_checks=True)
        if user is not None:
            self.client.force_login(user)
        self.client.get("/api/v1/auth/csrf")

    def _headers(self, key: str | None, language: str) -> dict:
        # Read at every request: logging in rotates the token, as the SPA must handle too.
        csrf = self.client.cookies["csrftoken"].value
        headers = {"HTTP_X_CSRFTOKEN": csrf, "HTTP_ACCEPT_LANGUAGE": language}
        if key:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        return headers

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params)

    # Each request runs what it deferred to commit (emails, pokes), as a committed request would;
    # pytest-django's `db` tests never commit, so without this those callbacks would never run.

    def send(self, method: str, path: str, body=None, key: str | None = None, language="fr"):
        call = getattr(self.client, method)
        with TestCase.captureOnCommitCallbacks(execute=True):
            return call(
                f"/api/v1{path}",
                data=body if body is not None else {},
                content_type="application/json",
                **self._headers(key, language),
            )

    def post(self, path: str, body=None, **kwargs):
        return self.send("post", path, body, **kwargs)

    def patch(self, path: str, body=None, **kwargs):
        return self.send("patch", path, body, **kwargs)

    def put(self, path: str, body=None, **kwargs):
        return self.send("put", path, body, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.send("delete", path, None, **kwargs)

    def command(self, type: str, payload: dict, command_id: str | None = None, language="fr"):
        body = {"id": command_id or str(uuid.uuid4()), "type": type, "payload": payload}
        return self.post("/commands", body, language=language)


def browser_log_in(browser, base: str, user, path: str):
    """A new browser context logged in as `user` through the log-in screen, landed on `path`.

    Returns the Playwright page; playwright is imported here, for browser tests only.
    """
    from playwright.sync_api import expect

    page = browser.new_context().new_page()
    page.goto(f"{base}/login?next={path}")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text(f"Connecté·e : {user.display_name}")).to_be_visible()
    expect(page).to_have_url(f"{base}{path}")
    return page


def record_labour(page, title: str, hours: str, unit_price: str = "20") -> None:
    """Fills and saves the new-contribution form: `hours` of labour at `unit_price` € an hour."""
    page.get_by_label("industrie").check()
    page.get_by_label("Titre", exact=True).fill(title)
    page.get_by_label("Quantité", exact=True).fill(hours)
    page.get_by_label("Unité", exact=True).fill("heures")
    page.get_by_label("Prix unitaire (€)").fill(unit_price)
    page.get_by_role("button", name="Vérifier").click()
    page.get_by_role("button", name="Enregistrer l’apport").click()


class StatementCounter:
    """Counts the SQL statements a block runs (issue 12's ceilings count statements, not time).

        with StatementCounter() as counted:
            ledger_services.entry_post(...)
        assert counted.count <= 6, counted.listing()

    pytest-django runs each test in a transaction, so the outermost atomic block of what is
    counted is a SAVEPOINT … RELEASE pair where production runs BEGIN … COMMIT, which Django's
    query log does not record on PostgreSQL: that one pair is left out. Every other statement
    counts, inner savepoints included (each is a round trip).
    """

    def __enter__(self) -> StatementCounter:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self._context = CaptureQueriesContext(connection)
        self._context.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._context.__exit__(*exc)

    @property
    def statements(self) -> list[str]:
        sqls = [query["sql"] for query in self._context.captured_queries]
        if len(sqls) >= 2 and sqls[0].startswith("SAVEPOINT") and sqls[-1].startswith("RELEASE"):
            sqls = sqls[1:-1]
        return sqls

    @property
    def count(self) -> int:
        return len(self.statements)

    def listing(self) -> str:
        return "\n".join(f"{i:3} {sql[:160]}" for i, sql in enumerate(self.statements, 1))


# Rows the migrations seed: a test in real transactions ends with a flush that deletes them.
SEEDING_MIGRATIONS = (
    "federage.impact.migrations.0002_taxonomy_terms",
    "federage.impact.migrations.0003_indicator_catalogue",
)


def seeded_rows_restore() -> None:
    """Puts back what the migrations seeded (each seed is idempotent), after a flush."""
    from django.apps import apps

    for name in SEEDING_MIGRATIONS:
        importlib.import_module(name).seed(apps, None)
