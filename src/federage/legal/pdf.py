"""PDFs of contracts and certificates through typst, byte-identical for the same input.

User text never enters typst markup: the template reads every string from one JSON document
passed as `sys.inputs.data` and shows it as text, so `#`, `[`, `$`, `*` or `@` in a commons' name
print as themselves and can run nothing (`typst_escape` below is for the one place markup is
written from a value, and is tested). The document date is fixed (the version's or the
certificate's), so compiling twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import segno
import typst

# Page set-up and helpers shared by every PDF (the contract, certificates, funding's dashboard);
# `data` is the JSON document.
PREAMBLE = """
#let data = json(bytes(sys.inputs.data))
#let stamp = data.stamp
#set document(title: data.title, date: datetime(
  year: stamp.at(0), month: stamp.at(1), day: stamp.at(2),
  hour: stamp.at(3), minute: stamp.at(4), second: stamp.at(5)))
#set page(paper: "a4", margin: (x: 2.2cm, y: 2.2cm),
  footer: context [#set text(size: 8pt); #data.footer #h(1fr) #counter(page).display("1 / 1", both: true)])
#set text(lang: data.lang, size: 10.5pt)
#set par(justify: true)
"""

_CONTRACT = (
    PREAMBLE
    + """
#align(center, text(size: 16pt, weight: "bold", data.title))
#align(center, text(size: 9pt, data.subtitle))
#v(0.6em)
#for (number, section) in data.sections.enumerate(start: 1) [
  #block(above: 1.1em, below: 0.6em,
    text(size: 12pt, weight: "bold", str(number) + ". " + section.title))
  #for paragraph in section.paragraphs [
    #paragraph
    #parbreak()
  ]
]
"""
)

_CERTIFICATE = (
    PREAMBLE
    + """
#align(center, text(size: 16pt, weight: "bold", data.title))
#align(center, text(size: 9pt, data.subtitle))
#v(1em)
#table(columns: (auto, 1fr), stroke: 0.4pt + gray, inset: 6pt,
  ..data.rows.map(row => (text(weight: "bold", row.at(0)), row.at(1))).flatten())
#v(0.8em)
#text(weight: "bold", data.entries_title)
#for entry in data.entries [
  - #entry
]
#v(0.8em)
#data.notice
#v(0.8em)
#grid(columns: (3.6cm, 1fr), gutter: 12pt,
  image(bytes(data.qr), format: "svg", width: 3.4cm),
  [#data.verify_label \\ #text(size: 9pt, data.verify_url) \\ #v(0.4em) #text(size: 8pt, data.code_label)])
"""
)


def stamp(moment: dt.datetime) -> list[int]:
    utc = moment.astimezone(dt.UTC)
    return [utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second]


def compile_pdf(template: str, data: Mapping[str, Any]) -> bytes:
    return typst.compile(
        template.encode(), format="pdf", sys_inputs={"data": json.dumps(data, ensure_ascii=False)}
    )


def sha256(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


def contract_pdf(
    *,
    title: str,
    sections: Sequence[Mapping[str, Any]],
    lang: str,
    number: int,
    text_sha256: str,
    created_at: dt.datetime,
) -> bytes:
    """The contract as PDF; the footer carries the version and the hash of its canonical text."""
    if lang == "fr":
        subtitle = f"Version {number} du {created_at:%d/%m/%Y} — empreinte SHA-256 {text_sha256}"
        footer = f"Version {number} · SHA-256 {text_sha256[:16]}…"
    else:
        subtitle = f"Version {number} of {created_at:%Y-%m-%d} — SHA-256 {text_sha256}"
        footer = f"Version {number} · SHA-256 {text_sha256[:16]}…"
    data = {
        "title": title,
        "subtitle": subtitle,
        "footer": footer,
        "lang": lang,
        "stamp": stamp(created_at),
        "sections": [
            {"title": section["title"], "paragraphs": list(section["paragraphs"])}
            for section in sections
        ],
    }
    return compile_pdf(_CONTRACT, data)


def qr_svg(url: str) -> str:
    """The QR code of `url` as SVG (segno; medium error correction)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", xmldecl=False, border=2)
    return buffer.getvalue().decode()


def certificate_pdf(
    *,
    rows: Sequence[tuple[str, str]],
    entries: Sequence[str],
    lang: str,
    verify_url: str,
    issued_at: dt.datetime,
) -> bytes:
    fr = lang == "fr"
    data = {
        "title": "Attestation de parts d'intérêt" if fr else "Certificate of partnership rights",
        "subtitle": (
            "Droits d'associé non négociables d'une société en participation (art. 1841 et 1871 "
            "du Code civil), inscrits au registre des parts du commun."
            if fr
            else "Non-negotiable partnership rights in a société en participation (art. 1841 and "
            "1871 of the French Civil Code), entered in the commons' register of rights."
        ),
        "footer": "Federage",
        "lang": lang,
        "stamp": stamp(issued_at),
        "rows": [list(row) for row in rows],
        "entries_title": (
            "Écritures du registre à l'origine de ces parts"
            if fr
            else "Register entries behind these rights"
        ),
        "entries": list(entries) or ["—"],
        "notice": (
            "Cette attestation décrit les parts détenues à la date indiquée. Elle est révoquée "
            "dès que la détention change après cette date ; la page de vérification le dit."
            if fr
            else "This certificate describes the rights held at the date shown. It is revoked "
            "as soon as the holding changes after that date; the verification page says so."
        ),
        "verify_label": "Vérifier cette attestation :" if fr else "Verify this certificate:",
        "verify_url": verify_url,
        "code_label": (
            "Le code de vérification figure dans l'adresse."
            if fr
            else "The verification code is part of the address."
        ),
        "qr": qr_svg(verify_url),
    }
    return compile_pdf(_CERTIFICATE, data)
