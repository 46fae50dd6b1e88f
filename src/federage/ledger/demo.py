"""Demo books: a closed previous year with its à-nouveaux and the current year to date, per commons.

Everything goes through `entry_post` and `period_close`, with the clock set to each entry's
day so that validation dates look like a real year of bookkeeping, and entries recorded in the
order of their dates. Amounts are fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from federage.commons import selectors as commons_selectors
from federage.commons import services as commons_services
from federage.core import clock
from federage.core.money import Money
from federage.ledger import selectors, services
from federage.ledger.domain import LineInput

# Per commons: a size factor for its amounts.
SIZES = {
    "atelier-textile-circulaire": 3,
    "fonds-sols-vivants": 5,
    "sols-vivants-parcelles-gers": 2,
    "carto-libre": 2,
    "cercle-des-financeurs": 4,
}


def _manager_steward(commons) -> None:
    """Makes the first member organisation with a SIREN a steward (the SEP's manager), so the
    FEC can be filed under its SIREN; the commons itself has none."""
    members = list(commons_selectors.active_members(commons=commons))
    for membership in members:
        roles = commons_selectors.membership_roles(membership)
        if "steward" in roles and membership.agent.siren:
            return
    for membership in members:
        if membership.agent.siren and membership.agent.kind != "person":
            commons_services.membership_set_roles(
                user=commons.created_by,
                slug=commons.slug,
                membership_id=membership.pk,
                roles=[*commons_selectors.membership_roles(membership), "steward"],
            )
            return


def _year(rng: random.Random, year: int, size: int, agency_grant: bool = True) -> list[tuple]:
    """(day, journal, label, piece, [(account, debit cents, credit cents)]) for one year."""
    out: list[tuple] = []
    first = year == clock.today().year - 1
    if first:
        # Start-up cash is a bank loan, not capital: capital (101x) only ever comes from
        # contributions validated and issued as titles (the contributions demo), so the unit
        # value of titles stays the commons' net worth per title.
        loan = size * 450_000
        out.append(
            (
                dt.date(year, 1, 8),
                "BQ",
                "Prêt de démarrage de la Banque Coopérative des Terroirs",
                f"PRET-{year}",
                [("512", loan, 0), ("164", 0, loan)],
            )
        )
    if agency_grant:
        grant = size * 250_000
        out.append(
            (
                dt.date(year, 6, 20),
                "FI",
                "Subvention de l'Agence de Développement Solidaire",
                f"SUB-{year}",
                [("512", grant, 0), ("741", 0, grant)],
            )
        )
    out.append(
        (
            dt.date(year, 2, 1),
            "AC",
            "Assurance multirisque annuelle",
            f"ASS-{year}",
            [("616", size * 18_000, 0), ("512", 0, size * 18_000)],
        )
    )
    for month in range(1, 13):
        rent = size * 45_000
        out.append(
            (
                dt.date(year, month, 5),
                "AC",
                f"Loyer du local – {month:02d}/{year}",
                f"LOY-{year}-{month:02d}",
                [("613", rent, 0), ("512", 0, rent)],
            )
        )
        supplies = size * rng.randrange(8_000, 30_000, 100)
        out.append(
            (
                dt.date(year, month, 12),
                "AC",
                f"Fournitures – facture {month:02d}/{year}",
                f"FA-{year}-{month:02d}",
                [("606", supplies, 0), ("401", 0, supplies)],
            )
        )
        out.append(
            (
                dt.date(year, month, 26),
                "BQ",
                f"Règlement fournisseur {month:02d}/{year}",
                f"VIRF-{year}-{month:02d}",
                [("401", supplies, 0), ("512", 0, supplies)],
            )
        )
        levy = size * rng.randrange(30_000, 90_000, 100)
        out.append(
            (
                dt.date(year, month, 20),
                "VE",
                f"Redevances d'usage – {month:02d}/{year}",
                f"RED-{year}-{month:02d}",
                [("411", levy, 0), ("706", 0, levy)],
            )
        )
        out.append(
            (
                dt.date(year, month, 28),
                "BQ",
                f"Encaissement des redevances {month:02d}/{year}",
                f"ENC-{year}-{month:02d}",
                [("512", levy, 0), ("411", 0, levy)],
            )
        )
        out.append(
            (
                dt.date(year, month, 28),
                "BQ",
                "Frais de tenue de compte",
                f"BQ-{year}-{month:02d}",
                [("627", 1_200, 0), ("512", 0, 1_200)],
            )
        )
    return sorted(out, key=lambda item: item[0])


Step = tuple[dt.datetime, Callable[[], object]]


def _entry_step(commons, day, journal, label, piece, lines, user_id) -> Step:
    def post() -> None:
        services.entry_post(
            commons_id=commons.pk,
            journal=journal,
            entry_date=day,
            label=label,
            piece_ref=piece,
            lines=[
                LineInput(
                    number, Money(debit) if debit else None, Money(credit) if credit else None
                )
                for number, debit, credit in lines
            ],
            idempotency_key=f"demo:{piece}",
            authorised_by={"source_type": "demo", "source_id": piece},
            actor_user_id=user_id,
        )

    # Booked at the end of its day, or now for today's entries when the day is not over.
    at = dt.datetime.combine(day, dt.time(17, 0), tzinfo=clock.BOOKS_TIME_ZONE)
    return min(at, clock.now()), post


@dataclass
class DemoBooks:
    """The demo's bookkeeping waiting for its moment, per commons, oldest first.

    Entries are recorded in the order of their dates, interleaved with the other demos'
    steps (contributions, transfers) through `catch_up`: an issuance is priced on the entries
    recorded before it, so recording a year of entries after the contributions would price
    them all on empty books.
    """

    steps: dict[str, list[Step]] = field(default_factory=dict)

    def add(self, slug: str, at: dt.datetime, step: Callable[[], object]) -> None:
        """Lines up one more step (a general meeting's decision, say) at its moment."""
        steps = self.steps.setdefault(slug, [])
        steps.append((at, step))
        steps.sort(key=lambda item: item[0])

    def catch_up(self, slug: str, moment: dt.datetime) -> None:
        """Runs the commons' steps due before `moment`, each at its own time."""
        pending = self.steps.get(slug, [])
        while pending and pending[0][0] < moment:
            at, step = pending.pop(0)
            with clock.frozen(at):
                step()

    def finish(self) -> None:
        """Runs every step left, up to now."""
        now = clock.now()
        for slug in list(self.steps):
            self.catch_up(slug, now + dt.timedelta(microseconds=1))


# The commons whose recent levies come from declared uses of their resources (resources/demo.py,
# over the last LEVIED_DAYS): their hand-written levy lines stop there, or they would count twice.
LEVIED_BY_USES = frozenset({"atelier-textile-circulaire", "fonds-sols-vivants"})
LEVIED_DAYS = 90
# The commons the agency finances through the funding app (funding/demo.py): this year's grant
# and loan are booked there, with their votes, tranches and schedule, never hand-written here.
# Last year's grant came before the commons used Federage's financings: it stays a plain entry
# (without it the fund's net worth is negative when its members' contributions are validated).
FINANCED_THROUGH_FUNDING = frozenset({"fonds-sols-vivants"})


def _levied_by_uses(slug: str, item: tuple, today: dt.date) -> bool:
    day, _journal, _label, piece, _lines = item
    return (
        slug in LEVIED_BY_USES
        and piece.startswith(("RED-", "ENC-"))
        and day > today - dt.timedelta(days=LEVIED_DAYS)
    )


def ledger_demo_prepare(slugs: Iterable[str]) -> DemoBooks:
    """Opens each demo commons' books on the previous year and lines up that year's entries,
    its closing, and the current year's entries to date, for `DemoBooks.catch_up`."""
    now = clock.now()
    today = clock.today()
    books = DemoBooks()
    for slug in slugs:
        commons = commons_selectors.commons_all_with_member_counts().filter(slug=slug).first()
        if commons is None:
            continue
        _manager_steward(commons)
        rng = random.Random(slug)  # reproducible demo amounts
        size = SIZES.get(slug, 1)
        book = services.book_open(commons_id=commons.pk)
        last_year = today.year - 1
        previous = next(
            (p for p in selectors.periods_of(book=book) if p.start.year == last_year), None
        )
        if previous is None:
            previous = services.period_open(
                commons_id=commons.pk,
                start=dt.date(last_year, 1, 1),
                end=dt.date(last_year, 12, 31),
                actor_user_id=commons.created_by_id,
            )
        user_id = commons.created_by_id
        steps = [_entry_step(commons, *item, user_id) for item in _year(rng, last_year, size)]
        # The year is closed in January, or now when the demo is loaded earlier than that.
        closing = min(dt.datetime(today.year, 1, 20, 10, tzinfo=clock.BOOKS_TIME_ZONE), now)

        close = partial(
            services.period_close,
            commons_id=commons.pk,
            period_id=previous.pk,
            actor_user_id=user_id,
        )
        steps.append((closing, close))
        steps += [
            _entry_step(commons, *item, user_id)
            for item in _year(rng, today.year, size, slug not in FINANCED_THROUGH_FUNDING)
            if item[0] <= today and not _levied_by_uses(slug, item, today)
        ]
        books.steps[slug] = sorted(steps, key=lambda step: step[0])
    return books


def ledger_demo_load(slugs: Iterable[str]) -> None:
    """Posts a closed previous year and the current year to date in each demo commons."""
    ledger_demo_prepare(slugs).finish()
