"""The address links in e-mails point to: FEDERAGE_SITE_URL, else where `federage serve` listens."""

from __future__ import annotations

from collections.abc import Mapping

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = "8000"
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

# A wildcard is where a server listens, not an address a link can name: the loopback address of
# the same family is the one name sure to reach it (from its own machine). Links meant for
# anyone else need FEDERAGE_SITE_URL.
WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104 (names, not a bind)


def link_host(host: str) -> str:
    """The host as a URL names it: wildcards made reachable, IPv6 literals in brackets."""
    host = host.strip("[]") or DEFAULT_HOST
    host = WILDCARD_HOSTS.get(host, host)
    return f"[{host}]" if ":" in host else host


def served_url(host: str, port: int | str) -> str:
    """The base URL (no trailing slash) of a server listening on host:port over HTTP."""
    port = str(port)
    return f"http://{link_host(host)}" + ("" if port == "80" else f":{port}")


def site_url(environ: Mapping[str, str]) -> str:
    explicit = environ.get("FEDERAGE_SITE_URL", "").strip()
    if explicit:
        return explicit.rstrip("/")
    return served_url(
        environ.get("FEDERAGE_HOST") or DEFAULT_HOST, environ.get("FEDERAGE_PORT") or DEFAULT_PORT
    )


def default_allowed_hosts(environ: Mapping[str, str]) -> list[str]:
    """Local names, plus the host `federage serve` listens on, so that its own links answer."""
    served = link_host(environ.get("FEDERAGE_HOST") or DEFAULT_HOST)
    return [*LOCAL_HOSTS] if served in LOCAL_HOSTS else [*LOCAL_HOSTS, served]
