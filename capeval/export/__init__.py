"""Word and spreadsheet files of rendered reports, written beside their HTML.

Both are built from the rendered page (:mod:`capeval.export.page`), so they say what the HTML
says, suppression included; the workbook adds the unit's appendix tables from the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from capeval.errors import ParameterError
from capeval.export.paths import FORMATS

if TYPE_CHECKING:
    from capeval.export.page import ReportPage
    from capeval.store import Store
    from capeval.units import UnitKind

# the formats this module writes; html is the report itself, pdf is printed by capeval.pdf
EXPORTED = ("docx", "xlsx")


def chosen_formats(formats: Iterable[str] | None, *, pdf: bool = False) -> tuple[str, ...]:
    """The formats a run writes, in capeval's order: html always, ``pdf`` (``--pdf``) adds pdf.

    ParameterError names an unknown format and the known ones (the run's options check them first).
    """
    given = [str(f).strip().lower() for f in formats or ()]
    unknown = [f for f in given if f not in FORMATS]
    if unknown:
        raise ParameterError(
            f"unknown format(s): {', '.join(unknown)} (expected a comma-separated list of: {', '.join(FORMATS)}, "
            "e.g. --formats html,docx,xlsx)",
            column="--formats",
        )
    chosen = {"html", *given, *(["pdf"] if pdf else [])}
    return tuple(f for f in FORMATS if f in chosen)


def write_exports(html: Path, formats: tuple[str, ...], *, store: Store, kind: UnitKind, unit_id: str) -> list[Path]:
    """Write the .docx and/or .xlsx of the report page ``html`` beside it (as ``formats`` asks); return them."""
    from capeval.export.page import read_report
    from capeval.files import write_atomic

    wanted = [f for f in EXPORTED if f in formats]
    if not wanted:
        return []
    page = read_report(html.read_text(encoding="utf-8"))
    written = []
    for fmt in wanted:
        target = html.with_suffix(f".{fmt}")
        write_atomic(target, _docx(page) if fmt == "docx" else _xlsx(page, store, kind, unit_id))
        written.append(target)
    return written


def _docx(page: ReportPage) -> bytes:
    from capeval.export.word import report_docx

    return report_docx(page)


def _xlsx(page: ReportPage, store: Store, kind: UnitKind, unit_id: str) -> bytes:
    from capeval.export.appendix import activity_reach, item_wording, programme_codebook
    from capeval.export.workbook import report_workbook

    lang = page.language
    members = None if kind == "programme" else store.member_partners(kind, unit_id)
    activities = store.table("activities", members)
    responses = store.table("responses", members)
    return report_workbook(
        page,
        items=item_wording(store.table("items"), lang),
        codebook=programme_codebook(store.config, lang),
        activities=activity_reach(activities, responses, lang),
    )
