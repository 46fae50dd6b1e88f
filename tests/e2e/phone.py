"""What the browser tests on a phone share: signing in, the sideways-scroll check, screenshots, votes."""

import contextlib
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from federage.core.errors import ApplicationError
from federage.governance import selectors as governance_selectors
from federage.governance import services as governance_services

PHONE = {"width": 360, "height": 780}
# Screenshots for a person to look at after a run; `var/` is the project's own scratch directory.
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screens"

# The elements that stick out to the right, to say which one makes a page scroll sideways.
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
  .slice(-5).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def log_in(browser: Browser, app_url: str, email: str, password: str, path: str) -> Page:
    """A phone-sized context signed in as `email`, landed on `path`."""
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{app_url}/login?next={path}")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{app_url}{path}")
    return page


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (page.url, page.evaluate(WIDE))


def shot(page: Page, folder: str, name: str, *parts: str) -> None:
    """The whole page, and each named part (a test id) on its own, into var/screens/<folder>/."""
    where = SHOTS / folder
    where.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(where / f"{name}.png"), full_page=True)
    for part in parts:
        page.get_by_test_id(part).first.screenshot(path=str(where / f"{name}-{part}.png"))


def vote_through(proposal_id: int, voters, agents_of=None) -> str:
    """Each voter votes for (in each of their agents' names when `agents_of` gives them) until the
    vote is decided; a voter outside the electorate, or the author where the charter excludes
    them, is refused and passes. Returns the proposal's status."""
    for user in voters:
        for agent_id in [None, *(agents_of(user) if agents_of else [])]:
            if governance_selectors.proposal_get(proposal_id=proposal_id).status != "open":
                return governance_selectors.proposal_get(proposal_id=proposal_id).status
            with contextlib.suppress(ApplicationError):
                governance_services.ballot_cast(
                    user=user, proposal_id=proposal_id, choice="for", agent_id=agent_id
                )
    return governance_selectors.proposal_get(proposal_id=proposal_id).status
