"""The legal vehicle's time-driven work: the worker's sweep writes any contract version a
commons is missing (one from before this app, or a change a lost write missed). Idempotent."""

from __future__ import annotations


def sweep() -> dict[str, int]:
    from federage.legal import services

    return {"contract_versions_written": services.contract_versions_catch_up()}
