"""A local stand-in for the Recherche d'entreprises API: recorded answers served over real HTTP.

The answers follow the API's published schema (search-api `app/doc/open-api.yml`, research note
anchors-network-legal §3): `{results, total_results, page, per_page, total_pages}`, each result
with `siren`, `nom_complet`, `nom_raison_sociale`, `nature_juridique`, `activite_principale`,
`etat_administratif` ("A"/"C"), `date_fermeture`, and a `siege` whose `commune` is the INSEE
code and `libelle_commune` the town's name. The real API cannot be reached from CI.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def _siege(siret, adresse, code_postal, commune, libelle_commune, etat="A"):
    return {
        "siret": siret,
        "activite_principale": None,
        "adresse": adresse,
        "code_postal": code_postal,
        "commune": commune,
        "libelle_commune": libelle_commune,
        "est_siege": True,
        "etat_administratif": etat,
        "date_creation": "1991-01-01",
        "latitude": "48.8",
        "longitude": "2.3",
    }


LA_POSTE = {
    "siren": "356000000",
    "nom_complet": "LA POSTE",
    "nom_raison_sociale": "LA POSTE",
    "sigle": None,
    "nombre_etablissements": 9000,
    "nombre_etablissements_ouverts": 8000,
    "nature_juridique": "5510",
    "activite_principale": "53.10Z",
    "categorie_entreprise": "GE",
    "date_creation": "1991-01-01",
    "date_fermeture": None,
    "etat_administratif": "A",
    "siege": _siege(
        "35600000000048", "9 RUE DU COLONEL PIERRE AVIA 75015 PARIS", "75015", "75115", "PARIS"
    ),
    "dirigeants": [],
    "matching_etablissements": [],
    "complements": {"est_ess": False},
}

CLOSED_WORKSHOP = {
    "siren": "812345676",
    "nom_complet": "ATELIER TEXTILE PARTAGE",
    "nom_raison_sociale": "ATELIER TEXTILE PARTAGE",
    "sigle": None,
    "nombre_etablissements": 1,
    "nombre_etablissements_ouverts": 0,
    "nature_juridique": "5710",
    "activite_principale": "13.92Z",
    "categorie_entreprise": "PME",
    "date_creation": "2015-06-01",
    "date_fermeture": "2023-06-30",
    "etat_administratif": "C",
    "siege": _siege(
        "81234567600017", "4 RUE DES TISSERANDS 69004 LYON", "69004", "69384", "LYON", "F"
    ),
    "dirigeants": [],
    "matching_etablissements": [],
    "complements": {"est_ess": True},
}

SOIL_COOPERATIVE = {
    "siren": "812345684",
    "nom_complet": "COOPERATIVE DES SOLS VIVANTS (CSV)",
    "nom_raison_sociale": "COOPERATIVE DES SOLS VIVANTS",
    "sigle": "CSV",
    "nombre_etablissements": 2,
    "nombre_etablissements_ouverts": 2,
    "nature_juridique": "5458",
    "activite_principale": "01.61Z",
    "categorie_entreprise": "PME",
    "date_creation": "2016-03-15",
    "date_fermeture": None,
    "etat_administratif": "A",
    "siege": _siege("81234568400011", "ROUTE DU MARCHE 20000 AJACCIO", "20000", "2A004", "AJACCIO"),
    "dirigeants": [],
    "matching_etablissements": [],
    "complements": {"est_ess": True},
}


def page(*results, total=None) -> dict:
    return {
        "results": list(results),
        "total_results": len(results) if total is None else total,
        "page": 1,
        "per_page": 10,
        "total_pages": 1 if results else 0,
    }


@dataclass
class Answer:
    status: int = 200
    body: bytes | dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


def recorded_answers() -> dict[str, Answer]:
    """q → answer. A number lookup is keyed by its SIREN or SIRET as the client sends it."""
    return {
        "356000000": Answer(body=page(LA_POSTE)),
        "35600000049837": Answer(body=page(LA_POSTE)),
        "812345676": Answer(body=page(CLOSED_WORKSHOP)),
        "812345684": Answer(body=page(SOIL_COOPERATIVE)),
        "cooperative": Answer(body=page(SOIL_COOPERATIVE, CLOSED_WORKSHOP, total=2)),
        # A valid SIREN the directory does not know (or not diffusible): an empty page.
        "732829320": Answer(body=page()),
    }


class FakeDirectory:
    """Serves `answers` on 127.0.0.1 in a thread; unknown queries get an empty page. Counts and
    keeps every request (path and query) so a test can check none was made."""

    def __init__(self, answers: dict[str, Answer] | None = None) -> None:
        self.answers = recorded_answers() if answers is None else answers
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                fake.requests.append(
                    {"path": url.path, "query": query, "user_agent": self.headers["User-Agent"]}
                )
                answer = (
                    fake.answers.get(query.get("q", ""), Answer(body=page()))
                    if url.path == "/search"
                    else Answer(status=404, body={"erreur": "not found"})
                )
                if answer.delay:
                    time.sleep(answer.delay)
                body = answer.body
                raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeDirectory:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
