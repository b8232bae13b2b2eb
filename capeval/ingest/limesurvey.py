"""LimeSurvey CSV exports, with question codes as headers (``id, submitdate, lastpage,
startlanguage, ..., Q1, Q2[SQ001]``) or with question texts (``Response ID, Date submitted,
Last page, Start language, ...`` and their German, Dutch, French and Spanish forms).

A response whose submit date is empty was never completed: it is kept apart and counted,
not imported. A survey structure file (``.lss``) is refused here: it is the form, given
to ``--suggest-mapping`` with ``--form``.
"""

from __future__ import annotations

from pathlib import Path

from capeval.ingest.cells import cell_text
from capeval.ingest.errors import ExportFormatError
from capeval.ingest.formats import ExportFormat, Record
from capeval.ingest.forms import looks_like_lss
from capeval.ingest.sources import Export, read_table

# The response's own columns, as codes and as the header texts of each export language.
RESPONSE_ID = ("id", "response id", "antwort id", "antwoord id", "id de la réponse", "id de respuesta")
SUBMIT_DATE = (
    "submitdate",
    "date submitted",
    "datum abgeschickt",
    "datum verstuurd",
    "date de soumission",
    "fecha de envío",
    "fecha de envio",
)
META = {
    *RESPONSE_ID,
    *SUBMIT_DATE,
    "lastpage", "last page", "letzte seite", "laatste pagina", "dernière page", "última página",
    "startlanguage", "start language", "start-sprache", "startsprache", "starttaal", "langue de départ",
    "idioma inicial",
    "seed", "zufallsstartwert", "semilla",
    "startdate", "date started", "datum gestartet", "startdatum", "date de lancement", "fecha de inicio",
    "datestamp", "date last action", "datum letzte aktivität", "datum laatste actie", "date de la dernière action",
    "fecha de la última acción",
    "refurl", "referrer url", "referrer-url", "verwijzings-url", "url de provenance", "url de referencia",
}  # fmt: skip
PERSONAL = {
    "ipaddr", "ip address", "ip-adresse", "ip-adres", "adresse ip", "dirección ip",
    "token", "access code", "zugangsschlüssel", "toegangscode", "code d'accès", "código de acceso",
    "email", "firstname", "lastname", "first name", "last name",
}  # fmt: skip


def read_limesurvey(path: Path) -> Export:
    """Read a LimeSurvey response export; a survey structure file (.lss) is refused."""
    if path.is_file():
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace")
        if looks_like_lss(head):
            raise ExportFormatError(
                "this is a LimeSurvey survey structure file (.lss), not responses: export the responses as CSV "
                "(Responses → Export → CSV), and give the .lss to --suggest-mapping with --form",
                file=path.name,
            )
    export = read_table(path, "limesurvey")
    lowered = {c.strip().casefold() for c in export.main.columns}
    if not lowered & set(RESPONSE_ID) or not lowered & set(SUBMIT_DATE):
        raise ExportFormatError(
            "not a LimeSurvey response export: expected a response id and a submit date column "
            f"('id, submitdate, …' or 'Response ID, Date submitted, …'); found {', '.join(export.main.columns[:6])}",
            file=path.name,
        )
    return export


def is_incomplete(record: Record) -> bool:
    """True for a response that was started but not submitted (an empty submit date, whatever its header)."""
    for column, value in record.items():
        if column.strip().casefold() in SUBMIT_DATE:
            return not cell_text(value)
    return False


FORMAT = ExportFormat(
    name="limesurvey",
    read=read_limesurvey,
    meta_columns=frozenset(META),
    meta_prefixes=(
        "interviewtime", "grouptime", "timing", "total time", "group time", "question time", "gesamtzeit",
        "gruppenzeit", "fragenzeit", "totale tijd", "groepstijd", "vraagtijd",
    ),
    personal_columns=frozenset(PERSONAL),
    respondent_columns=RESPONSE_ID,
    multi_separator=";",
    is_incomplete=is_incomplete,
    description="LimeSurvey CSV with question codes (id, submitdate, Q1[SQ001]) or question texts (Response ID, …)",
)  # fmt: skip
