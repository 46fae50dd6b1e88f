"""The walk through every screen of the SPA, shared by the screens test and `make screens`."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "frontend" / "src" / "App.svelte"
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"

# The demo commons the walk goes through: public, with books, proposals, contributions and titles.
SLUG = "atelier-textile-circulaire"
MEMBER_EMAIL = "camille.martin@demo.federage.fr"  # its steward, as a demo visitor logs in
INVITED_EMAIL = "nouvelle.venue@demo.federage.fr"
REPORTS = ("income-statement", "trial-balance", "general-ledger", "journal", "capital-kinds")

# Widths: axe-core at a phone's 390 px and a laptop's 1280 px; no sideways scrolling down to 360 px.
PHONE, SMALL_PHONE, LAPTOP = 390, 360, 1280
HEIGHT = 800

# English words that have leaked into French screens before (issue 13): whole words, any case.
# A French screen never needs them; names and user content in the demo are French.
KNOWN_LEAKS = (
    "passed",
    "rejected",
    "accepted",
    "pending",
    "financial",
    "human",
    "natural",
    "loading",
    "submit",
    "cancel",
    "save",
    "delete",
    "draft",
    "expired",
    "withdrawn",
    "closed",
    "error",
    "unknown",
    "in_review",
    "to_allocate",
    "not_a_member",
)


@dataclass(frozen=True)
class Stop:
    """One screen of the walk: the router pattern it stands for and the path opened."""

    pattern: str
    path: str

    @property
    def name(self) -> str:
        """A file name: the path, with a secret token shown by its pattern's name."""
        shown = self.pattern if ":token" in self.pattern else self.path
        return re.sub(r"[^a-z0-9]+", "-", shown.lower()).strip("-") or "home"


@dataclass
class Findings:
    """What one walk found, screen by screen; empty lists mean a clean walk."""

    violations: list[str] = field(default_factory=list)
    sideways: dict[str, list[str]] = field(default_factory=dict)  # path -> who@width that scroll
    leaks: list[tuple[str, str, str]] = field(default_factory=list)  # (path, word, "who: context")
    unsettled: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # "who path" -> time spent there

    def report(
        self, known_sideways: dict[str, str], known_leaks: dict[tuple[str, str], str]
    ) -> str:
        """Everything the walk found that it should not have, section by section."""
        sections = {
            "screens that never finished loading": self.unsettled,
            "axe-core, serious or critical": self.violations,
            "pages that scroll sideways": [
                f"{path}: {', '.join(where)}"
                for path, where in self.sideways.items()
                if path not in known_sideways
            ],
            "no longer scroll sideways (drop them from KNOWN_SIDEWAYS)": [
                path for path in known_sideways if path not in self.sideways
            ],
            "English words on French screens": [
                f"{path}: «{word}» {where}"
                for path, word, where in self.leaks
                if (path, word) not in known_leaks
            ],
            "no longer leak (drop them from KNOWN_LEAKS_PENDING)": [
                f"{path}: «{word}»"
                for path, word in known_leaks
                if not any((p, w) == (path, word) for p, w, _ in self.leaks)
            ],
        }
        return "\n".join(
            f"{title}:\n  " + "\n  ".join(lines) for title, lines in sections.items() if lines
        )


def app_patterns() -> list[str]:
    """The router's patterns, read from App.svelte, so a new screen cannot be left off the walk."""
    return re.findall(r"\[\s*'(/[^']*)'\s*,\s*[A-Z]\w*\s*\]", APP.read_text())


def demo_stops() -> list[Stop]:
    """One path per route of the SPA on the loaded demo (the logout screen last), and a missing page."""
    from django.db.models import Q

    from federage.accounts import services as account_services
    from federage.accounts.models import User
    from federage.commons import services as commons_services
    from federage.commons.models import Commons
    from federage.contributions.models import Contribution
    from federage.federation.models import Exchange, Federation
    from federage.funding.models import Financing
    from federage.governance.models import Proposal
    from federage.impact.models import Objective
    from federage.ledger.models import Entry
    from federage.legal.models import Certificate
    from federage.resources.models import Resource

    commons = Commons.objects.get(slug=SLUG)
    member = User.objects.get(email=MEMBER_EMAIL)
    proposal = Proposal.objects.filter(commons=commons).order_by("-pk").first()
    entry = Entry.objects.filter(book__commons=commons).order_by("sequence").first()
    contribution = Contribution.objects.filter(commons=commons).order_by("pk").first()
    resource = Resource.objects.filter(commons=commons).order_by("pk").first()
    certificate = Certificate.objects.order_by("pk").first()
    objective = Objective.objects.filter(commons=commons).order_by("pk").first()
    exchange = (
        Exchange.objects.filter(Q(commons_a_id=commons.pk) | Q(commons_b_id=commons.pk))
        .order_by("pk")
        .first()
    )
    federation = Federation.objects.order_by("pk").first()
    # The soil fund's grant: the workshop's steward is no member there, so its screen says
    # "not found" to them (the funder's and members' view is walked by tests/e2e/test_financing).
    financing = Financing.objects.order_by("pk").first()
    _, invitation = commons_services.invitation_create(
        user=member, slug=SLUG, email=INVITED_EMAIL, roles=["contributor"]
    )

    def local(link: str) -> str:
        return "/" + link.split("/", 3)[3]

    s = f"/c/{SLUG}"
    stops = [
        Stop("/", "/"),
        Stop("/signup", "/signup"),
        Stop("/login", "/login"),
        Stop("/confirm-email/:token", local(account_services.email_confirmation_link(member))),
        Stop("/password-reset", "/password-reset"),
        Stop("/password-reset/:token", local(account_services.password_reset_link(member))),
        Stop("/agents", "/agents"),
        Stop("/commons/new", "/commons/new"),
        Stop("/c/:slug", s),
        Stop("/c/:slug/edit", f"{s}/edit"),
        Stop("/c/:slug/members", f"{s}/members"),
        Stop("/c/:slug/charter", f"{s}/charter"),
        Stop("/c/:slug/contract", f"{s}/contract"),
        Stop("/c/:slug/proposals", f"{s}/proposals"),
        Stop("/c/:slug/proposals/new", f"{s}/proposals/new"),
        Stop("/c/:slug/proposals/:id", f"{s}/proposals/{proposal.pk}"),
        Stop("/c/:slug/decisions", f"{s}/decisions"),
        Stop("/c/:slug/books", f"{s}/books"),
        Stop("/c/:slug/books/entries/:id", f"{s}/books/entries/{entry.pk}"),
        *(Stop("/c/:slug/books/:report", f"{s}/books/{report}") for report in REPORTS),
        Stop("/proposals/:id", f"/proposals/{proposal.pk}"),
        Stop("/c/:slug/contributions", f"{s}/contributions"),
        Stop("/c/:slug/contributions/new", f"{s}/contributions/new"),
        Stop("/contributions/:id", f"/contributions/{contribution.pk}"),
        Stop("/c/:slug/titles", f"{s}/titles"),
        Stop("/c/:slug/resources", f"{s}/resources"),
        Stop("/c/:slug/resources/:id", f"{s}/resources/{resource.pk if resource else 1}"),
        Stop("/c/:slug/dues", f"{s}/dues"),
        Stop("/c/:slug/objectives", f"{s}/objectives"),
        Stop("/c/:slug/objectives/:id", f"{s}/objectives/{objective.pk}"),
        Stop("/c/:slug/exchanges", f"{s}/exchanges"),
        Stop("/c/:slug/exchanges/:id", f"{s}/exchanges/{exchange.pk}"),
        Stop("/federations/:slug", f"/federations/{federation.slug}"),
        Stop("/c/:slug/financings", f"{s}/financings"),
        Stop("/c/:slug/financings/new", f"{s}/financings/new"),
        Stop("/financings/:id", f"/financings/{financing.pk}"),
        Stop("/financings", "/financings"),
        Stop("/portfolio", "/portfolio"),
        Stop("/notifications", "/notifications"),
        Stop("/invitations/:token", local(invitation)),
        Stop("/settings/tokens", "/settings/tokens"),
        Stop("/sync", "/sync"),
        Stop("/explore", "/explore"),
        Stop("/explore/dashboard", "/explore/dashboard"),
        Stop("/explore/:slug", f"/explore/{SLUG}"),
        Stop("/explore/:slug/dashboard", f"/explore/{SLUG}/dashboard"),
        Stop("/explore/:slug/funder", f"/explore/{SLUG}/funder"),
        Stop("/explore/network", "/explore/network"),
        Stop("/explore/federations/:slug", f"/explore/federations/{federation.slug}"),
        Stop("/open-data", "/open-data"),
        Stop("/privacy", "/privacy"),
        Stop("/verify", "/verify"),
        Stop("/verify/:code", f"/verify/{certificate.code if certificate else 'x' * 32}"),
        Stop("*", "/nulle-part"),
        Stop("/logout", "/logout"),
    ]
    return stops


# Settled: the router has drawn a heading and no "Chargement…" is left on the screen.
_SETTLED = """() => {
  const main = document.querySelector('main');
  if (document.readyState !== 'complete' || !main || !main.querySelector('h1')) return false;
  return !/Chargement|Loading/.test(main.innerText);
}"""

_GO = "path => { history.pushState({}, '', path); dispatchEvent(new PopStateEvent('popstate')); }"

_NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"

_AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                 targets: v.nodes.slice(0, 4).map(n => n.target.join(' ')) }));
}"""

_SCROLLS_SIDEWAYS = "() => document.documentElement.scrollWidth > window.innerWidth"

# The text a reader sees in French: parts marked in another language (the language switch) left out.
_FRENCH_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest('script, style, [hidden], [aria-hidden="true"]')) continue;
    const marked = element.closest('[lang]');
    if (marked && !marked.lang.startsWith('fr')) continue;
    out.push(node.textContent);
  }
  return out.join(' ');
}"""


def settle(page, timeout_ms: float = 8000) -> bool:
    try:
        page.wait_for_function(_SETTLED, timeout=timeout_ms)
    except Exception:
        return False
    page.evaluate(_NEXT_FRAMES)
    return True


def resize(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": HEIGHT})
    page.evaluate(_NEXT_FRAMES)


def axe_serious(page) -> list[dict]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the app's Content-Security-Policy refuses inline scripts.
        page.evaluate(AXE.read_text())
    return page.evaluate(_AXE_RUN)


def leaked_words(page) -> list[tuple[str, str]]:
    """Each known leak on the screen, with the words around it to find where it comes from."""
    text = " ".join(page.evaluate(_FRENCH_TEXT).split())
    found = []
    for word in KNOWN_LEAKS:
        hit = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.I)
        if hit:
            found.append((word, f"in “{text[max(0, hit.start() - 40) : hit.end() + 40]}”"))
    return found


def log_in(page, base: str, email: str, password: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    # Logged in, the front door gives way to the member's own list of commons.
    expect(page.get_by_role("heading", level=1, name="Les communs")).to_be_visible()


def walk(
    page, base: str, who: str, stops: list[Stop], findings: Findings, shots: Path | None = None
) -> None:
    """Opens every stop at 390 px (axe-core), narrows it to 360 px, widens it to 1280 px (axe-core).

    Screens are photographed at 360 px and 1280 px into `shots` when given.
    """
    for number, stop in enumerate(stops):
        started = time.monotonic()
        resize(page, PHONE)
        if number == 0:
            page.goto(f"{base}{stop.path}")
        else:
            # Through the router, as a followed link would: a page load per screen would take
            # most of the walk's time (the app boots, axe-core is injected again).
            page.evaluate(_GO, stop.path)
            page.evaluate(_NEXT_FRAMES)
        where = f"{who} {stop.path}"
        if not settle(page):
            findings.unsettled.append(where)
        for width in (PHONE, SMALL_PHONE, LAPTOP):
            if width != PHONE:
                resize(page, width)
            if width != SMALL_PHONE:
                for v in axe_serious(page):
                    findings.violations.append(
                        f"{where} @{width}px: {v['impact']} {v['id']} ({v['help']}) "
                        f"at {', '.join(v['targets'])}"
                    )
            if width != LAPTOP and page.evaluate(_SCROLLS_SIDEWAYS):
                findings.sideways.setdefault(stop.path, []).append(f"{who} @{width}px")
            if shots is not None and width in (SMALL_PHONE, LAPTOP):
                page.screenshot(path=str(shots / f"{who}-{stop.name}-{width}.png"), full_page=True)
        for word, context in leaked_words(page):
            findings.leaks.append((stop.path, word, f"({who}) {context}"))
        findings.seconds[where] = time.monotonic() - started
