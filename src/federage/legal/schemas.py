"""API shapes of the legal vehicle: the contract, its versions and acceptance, certificates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

Language = Literal["fr", "en"]


class SectionOut(Schema):
    key: str
    title: str
    paragraphs: list[str]


class VersionOut(Schema):
    number: int
    sha256: str
    created_at: dt.datetime
    reason: str
    template_version: str
    charter_number: int


class ContractMemberOut(Schema):
    agent_id: int
    agent_name: str
    accepted_version: int | None
    accepted_at: dt.datetime | None
    up_to_date: bool


class MyAgentOut(Schema):
    agent_id: int
    name: str
    accepted_version: int | None
    can_accept: bool


class ContractOut(Schema):
    commons_slug: str
    lang: Language
    version: VersionOut
    in_force: bool
    current_number: int
    # Natural persons this reader may not see are shown by pseudonym: then the text differs
    # from the canonical one the hash covers.
    redacted: bool
    title: str
    sections: list[SectionOut]
    members: list[ContractMemberOut]
    my_agents: list[MyAgentOut]


class ContractChangeOut(Schema):
    # Not `ChangeOut`: governance has one, and OpenAPI names components by class name.
    section: str
    title: str
    before: list[str]
    after: list[str]


class VersionHistoryOut(VersionOut):
    changes: list[ContractChangeOut]


class ContractAcceptIn(Schema):
    version_number: int = Field(ge=1, le=1_000_000)
    sha256: str = Field(max_length=64)
    agent_id: int | None = None
    lang: Language = "fr"


class ContractAcceptCommand(ContractAcceptIn):
    commons_slug: str = Field(max_length=50)


class CertificateIn(Schema):
    agent_id: int | None = None
    as_of: dt.datetime | None = None
    lang: Language = "fr"


class CertificateCommand(CertificateIn):
    commons_slug: str = Field(max_length=50)


class CertificateEntryOut(Schema):
    entry_id: int
    date: dt.date
    label: str


class CertificateOut(Schema):
    code: str
    verify_url: str
    commons_slug: str
    commons_name: str
    holder_name: str
    class_name: str
    units: str
    value_per_title_cents: Decimal
    value_cents: int
    as_of: dt.datetime
    issued_at: dt.datetime
    entries: list[CertificateEntryOut]
    pdf_sha256: str
    pdf_url: str


class CertificateCheckOut(CertificateOut):
    status: Literal["valid", "revoked"]
    revoked_because: str | None = None
    changed_at: dt.datetime | None = None
