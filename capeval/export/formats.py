"""The other formats of a run's reports: Word and XLSX beside each HTML (in parallel), then PDF by print.

A file is (re)written when it is missing or older than its HTML, so an unchanged report is not
exported again. Each file written takes its HTML's modification time (the HTML it was made from,
however long the export took or whatever the clocks say), so "as new as its HTML" is exact. A file
of a format the run does not ask for is kept while it is as new as its HTML and deleted once its HTML
is newer: nothing beside a report shows other numbers than the report. The returned records are what
the manifest lists for each report: its HTML and every other file as new as it, asked for or kept.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from pathlib import Path

from capeval.export.paths import FORMATS, report_files
from capeval.jobs import ReportKind

EXPORTS = ("docx", "xlsx")  # written here; html is the report itself, pdf is printed by capeval.pdf


@dataclass(frozen=True)
class Rendered:
    """One rendered report: its unit, its HTML (relative to the programme's report folder) and language."""

    kind: ReportKind
    unit: str
    path: str
    language: str


def out_of_date(target: Path, html: Path) -> bool:
    """Whether ``target`` must be (re)written: missing, or older than the HTML it is made from."""
    return not target.is_file() or target.stat().st_mtime_ns < html.stat().st_mtime_ns


def stamp(target: Path, made_from: int) -> None:
    """Give ``target`` the modification time (ns) of the HTML it was made from: current until that HTML changes."""
    os.utime(target, ns=(target.stat().st_atime_ns, made_from))


def stale_exports(folder: Path, report: Rendered, formats: tuple[str, ...]) -> tuple[str, ...]:
    """The Word/XLSX formats of ``formats`` that ``report`` lacks or has older than its HTML."""
    html = folder / report.path
    return tuple(f for f in formats if f in EXPORTS and out_of_date(html.with_suffix(f".{f}"), html))


def export_report(folder: str, report: Rendered, formats: tuple[str, ...], store: str) -> list[str]:
    """Write the Word/XLSX files of ``report`` that are out of date; return the formats written.

    Runs in a worker process: it opens the store itself and imports what it needs.
    """
    from capeval.export import write_exports
    from capeval.store import Store

    html = Path(folder) / report.path
    wanted = stale_exports(Path(folder), report, formats)
    if not wanted:
        return []
    made_from = html.stat().st_mtime_ns  # before reading it: a page re-rendered meanwhile leaves these stale
    kind = "programme" if report.kind == "internal" else report.kind  # the internal report's data is the programme's
    for target in write_exports(html, wanted, store=Store(store), kind=kind, unit_id=report.unit):
        stamp(target, made_from)
    return list(wanted)


def write_formats(
    folder: Path,
    reports: Sequence[Rendered],
    formats: tuple[str, ...],
    *,
    store: Path,
    pool: Executor | None = None,
) -> dict[tuple[str, str, str], list[dict[str, str]]]:
    """Write the formats asked for of every report in ``reports`` (on ``pool`` when given), print the
    PDFs, and return each report's current files by (kind, unit, language)."""
    exports = [r for r in reports if stale_exports(folder, r, formats)]
    if exports:
        if pool is None:
            for report in exports:
                export_report(str(folder), report, formats, str(store))
        else:
            with pool:
                futures = [pool.submit(export_report, str(folder), r, formats, str(store)) for r in exports]
                for future in as_completed(futures):
                    future.result()  # an export that failed raises here, with its own words
    if "pdf" in formats:
        from capeval.pdf import print_reports

        pages = {p: p.stat().st_mtime_ns for p in (folder / r.path for r in reports)}
        for pdf in print_reports([p for p in pages if out_of_date(p.with_suffix(".pdf"), p)]):
            stamp(pdf, pages[pdf.with_suffix(".html")])
    for report in reports:
        remove_stale(folder, report, formats)
    return {(r.kind, r.unit, r.language): current_files(folder, r) for r in reports}


def remove_stale(folder: Path, report: Rendered, formats: tuple[str, ...]) -> list[Path]:
    """Delete the Word, XLSX and PDF files of ``report`` not asked for and older than its HTML; return them."""
    html = folder / report.path
    stale = [html.with_suffix(f".{f}") for f in FORMATS if f != "html" and f not in formats]
    gone = [p for p in stale if p.is_file() and out_of_date(p, html)]
    for path in gone:
        path.unlink()
    return gone


def current_files(folder: Path, report: Rendered) -> list[dict[str, str]]:
    """The files of ``report`` on disk that are as new as its HTML: what the manifest lists."""
    html = folder / report.path
    records = report_files(report.path, ("html", *EXPORTS, "pdf"), report.language)
    return [r for r in records if r["format"] == "html" or not out_of_date(folder / r["path"], html)]
