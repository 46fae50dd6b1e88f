"""Client of the public French company directory (API Recherche d'entreprises) that pre-fills organisations."""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, replace

import httpx
from django.conf import settings

from federage import __version__
from federage.agents import domain
from federage.core import clock
from federage.core.errors import ApplicationError

# The directory allows 7 requests per second per address (research note §3): this process keeps
# under it by itself, so that the directory's own 429 stays the exception.
MAX_REQUESTS_PER_SECOND = 7
# A company's directory record changes rarely; a few minutes spare the directory the repeats of
# one form (look up, then register), and keep "closed since" fresh enough.
CACHE_SECONDS = 300
CACHE_SIZE = 1000
NAME_RESULTS = 10
# A Retry-After we obey is bounded: a missing or absurd one reads as 1 s, a huge one as 1 h.
RETRY_AFTER_MIN_SECONDS, RETRY_AFTER_MAX_SECONDS = 1, 3600

ADDRESS_MAX_LENGTH = 300
NAME_MAX_LENGTH = 160
TOWN_MAX_LENGTH = 100


@dataclass(frozen=True)
class DirectoryEntry:
    """One company as the directory describes it, in the shape of our organisation fields."""

    siren: str
    siret: str  # the head office's (siège)
    name: str
    legal_form: str  # INSEE legal category, 4 digits ("5710")
    legal_form_label: str  # its French label for the common codes, else ""
    address: str
    postcode: str
    commune_code: str  # INSEE code of the town (the directory's `commune`)
    town: str  # the town's name (the directory's `libelle_commune`)
    activity_code: str  # NAF ("53.10Z")
    state: str  # domain.DIRECTORY_ACTIVE or domain.DIRECTORY_CLOSED
    closed_on: dt.date | None
    looked_up_at: dt.datetime

    @property
    def closed(self) -> bool:
        return self.state == domain.DIRECTORY_CLOSED


@dataclass(frozen=True)
class DirectoryAnswer:
    query_kind: str  # domain.SIREN_QUERY, SIRET_QUERY or NAME_QUERY
    query: str
    entries: list[DirectoryEntry]
    total_results: int
    from_cache: bool


class RequestBudget:
    """At most `per_second` requests in any second, and none while the directory asked us to wait.

    `take()` answers 0 when a request may go now (and counts it), else the seconds to wait: the
    caller is told, nobody sleeps inside a web request."""

    def __init__(self, per_second: int, monotonic: Callable[[], float]) -> None:
        self.per_second = per_second
        self.monotonic = monotonic
        self.sent: deque[float] = deque()
        self.blocked_until = 0.0
        self.lock = threading.Lock()

    def take(self) -> float:
        with self.lock:
            now = self.monotonic()
            if now < self.blocked_until:
                return self.blocked_until - now
            while self.sent and now - self.sent[0] >= 1.0:
                self.sent.popleft()
            if len(self.sent) >= self.per_second:
                return 1.0 - (now - self.sent[0])
            self.sent.append(now)
            return 0.0

    def block(self, seconds: int) -> None:
        with self.lock:
            self.blocked_until = max(self.blocked_until, self.monotonic() + seconds)


def retry_after_seconds(header: str | None, now: dt.datetime) -> int:
    """Retry-After in whole seconds, rounded up: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    seconds: float = RETRY_AFTER_MIN_SECONDS
    value = (header or "").strip()
    if value.isdigit():
        seconds = int(value)
    elif value:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            moment = None
        if moment is not None and moment.tzinfo is not None:
            seconds = (moment - now).total_seconds()
    return min(RETRY_AFTER_MAX_SECONDS, max(RETRY_AFTER_MIN_SECONDS, math.ceil(seconds)))


def _rate_limited(seconds: float) -> ApplicationError:
    wait = min(RETRY_AFTER_MAX_SECONDS, max(RETRY_AFTER_MIN_SECONDS, math.ceil(seconds)))
    return ApplicationError("directory_rate_limited", extra={"retry_after": wait})


def _malformed(detail: str) -> ApplicationError:
    return ApplicationError("directory_malformed", detail=detail)


def _text(value: object, limit: int) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _valid_or_empty(normalise: Callable[[str], str], value: object) -> str:
    """A field the directory filled oddly is left empty for the user to type, not a failure."""
    if not isinstance(value, str):
        return ""
    try:
        return normalise(value)
    except ApplicationError:
        return ""


def _street(address: str, postcode: str, town: str) -> str:
    """The directory's one-line address ends with the postcode and town we keep apart."""
    tail = f" {postcode} {town}".upper()
    if postcode and town and address.upper().endswith(tail):
        return address[: -len(tail)].strip()
    return address


def entry_from_result(result: object, looked_up_at: dt.datetime) -> DirectoryEntry:
    """Maps one result of GET /search; a result without a SIREN or a name is malformed."""
    if not isinstance(result, dict):
        raise _malformed("result is not an object")
    siren = result.get("siren")
    if not (isinstance(siren, str) and len(siren) == 9 and siren.isdigit()):
        raise _malformed("result without a nine-digit siren")
    name = _text(result.get("nom_complet"), NAME_MAX_LENGTH) or _text(
        result.get("nom_raison_sociale"), NAME_MAX_LENGTH
    )
    if not name:
        raise _malformed("result without a name")
    siege = result.get("siege") or {}
    if not isinstance(siege, dict):
        raise _malformed("siege is not an object")
    siret = siege.get("siret")
    if not (isinstance(siret, str) and siret.startswith(siren) and domain.is_valid_siret(siret)):
        siret = ""  # absent, or one our own form would refuse: left for the user to type
    postcode = _valid_or_empty(domain.normalise_postcode, siege.get("code_postal"))
    town = _text(siege.get("libelle_commune"), TOWN_MAX_LENGTH)
    address = _street(_text(siege.get("adresse"), ADDRESS_MAX_LENGTH), postcode, town)
    legal_form = _valid_or_empty(domain.normalise_legal_form, result.get("nature_juridique"))
    state = result.get("etat_administratif")
    if state not in ("A", "C"):
        raise _malformed("etat_administratif is neither A nor C")
    closed_on = None
    if state == "C" and isinstance(result.get("date_fermeture"), str):
        try:
            closed_on = dt.date.fromisoformat(result["date_fermeture"][:10])
        except ValueError:
            closed_on = None
    return DirectoryEntry(
        siren=siren,
        siret=siret,
        name=name,
        legal_form=legal_form,
        legal_form_label=domain.legal_form_label(legal_form),
        address=address,
        postcode=postcode,
        commune_code=_valid_or_empty(domain.normalise_commune_code, siege.get("commune")),
        town=town,
        activity_code=_valid_or_empty(
            domain.normalise_activity_code, result.get("activite_principale")
        ),
        state=domain.DIRECTORY_CLOSED if state == "C" else domain.DIRECTORY_ACTIVE,
        closed_on=closed_on,
        looked_up_at=looked_up_at,
    )


class DirectoryClient:
    """GET {base_url}/search?q=… through httpx, with a request budget and a short cache by SIREN."""

    def __init__(
        self,
        base_url: str,
        timeout: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        per_second: int = MAX_REQUESTS_PER_SECOND,
        cache_seconds: float = CACHE_SECONDS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.monotonic = monotonic
        self.cache_seconds = cache_seconds
        self.budget = RequestBudget(per_second, monotonic)
        self.cache: OrderedDict[str, tuple[float, DirectoryEntry]] = OrderedDict()
        self.cache_lock = threading.Lock()
        self.http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout),
            headers={
                "User-Agent": f"Federage/{__version__} (+{settings.SITE_URL}; commons registry)",
                "Accept": "application/json",
            },
            follow_redirects=False,
        )

    def close(self) -> None:
        self.http.close()

    def search(self, raw_query: str | None) -> DirectoryAnswer:
        """Looks up a SIREN, a SIRET or a name; raises ApplicationError with a directory_* code
        (or siren_invalid, before any request) when it cannot answer."""
        kind, query = domain.directory_query(raw_query)
        if kind != domain.NAME_QUERY:
            cached = self._cached(query[:9])
            if cached is not None:
                return DirectoryAnswer(kind, query, [cached], 1, from_cache=True)
        params = {"q": query}
        if kind == domain.NAME_QUERY:
            params["per_page"] = str(NAME_RESULTS)
        body = self._get(params)
        looked_up_at = clock.now()
        results = body.get("results")
        total = body.get("total_results")
        if not isinstance(results, list) or not isinstance(total, int) or isinstance(total, bool):
            raise _malformed("results is not a list, or total_results not an integer")
        entries = [entry_from_result(result, looked_up_at) for result in results]
        if kind != domain.NAME_QUERY:
            # A number lookup is exact: what comes back must be that company.
            entries = [entry for entry in entries if entry.siren == query[:9]]
        if not entries:
            raise ApplicationError("directory_not_found")
        for entry in entries:
            self._remember(entry)
        return DirectoryAnswer(kind, query, entries, max(total, len(entries)), from_cache=False)

    def _get(self, params: dict[str, str]) -> dict:
        wait = self.budget.take()
        if wait > 0:
            raise _rate_limited(wait)
        try:
            response = self.http.get("/search", params=params)
        except httpx.TimeoutException:
            raise ApplicationError("directory_timeout") from None
        except httpx.HTTPError:
            raise ApplicationError("directory_unreachable") from None
        if response.status_code == 429:
            seconds = retry_after_seconds(response.headers.get("Retry-After"), clock.now())
            self.budget.block(seconds)
            raise ApplicationError("directory_rate_limited", extra={"retry_after": seconds})
        if response.status_code == 404:
            raise ApplicationError("directory_not_found")
        if response.status_code >= 500:
            raise ApplicationError("directory_unreachable")
        if response.status_code != 200:
            # We only send queries the directory accepts: any other answer is not the API we know.
            raise _malformed(f"HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise _malformed("not JSON") from None
        if not isinstance(body, dict):
            raise _malformed("not a JSON object")
        return body

    def _cached(self, siren: str) -> DirectoryEntry | None:
        with self.cache_lock:
            found = self.cache.get(siren)
            if found is None:
                return None
            stored_at, entry = found
            if self.monotonic() - stored_at >= self.cache_seconds:
                del self.cache[siren]
                return None
            return entry

    def _remember(self, entry: DirectoryEntry) -> None:
        with self.cache_lock:
            self.cache[entry.siren] = (self.monotonic(), replace(entry))
            self.cache.move_to_end(entry.siren)
            while len(self.cache) > CACHE_SIZE:
                self.cache.popitem(last=False)


_client: DirectoryClient | None = None
_client_lock = threading.Lock()


def directory_client() -> DirectoryClient:
    """The process's client (one budget, one cache), rebuilt when the settings change."""
    global _client
    with _client_lock:
        wanted = (settings.DIRECTORY_URL.rstrip("/"), settings.DIRECTORY_TIMEOUT_SECONDS)
        if _client is None or (_client.base_url, _client.timeout) != wanted:
            if _client is not None:
                _client.close()
            _client = DirectoryClient(*wanted)
        return _client


def directory_search(raw_query: str | None) -> DirectoryAnswer:
    return directory_client().search(raw_query)
