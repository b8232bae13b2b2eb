"""The other formats of a run's reports: Word and XLSX beside each HTML (in parallel), then PDF by print.

A file is (re)written when it is missing or older than its HTML, so an unchanged report is not
exported again and a re-rendered one never keeps a stale Word file; the returned records are what
the manifest lists for each report (only files as new as their HTML).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from pathlib import Path

from capeval.export.paths import report_files
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
    kind = "programme" if report.kind == "internal" else report.kind  # the internal report's data is the programme's
    write_exports(html, wanted, store=Store(store), kind=kind, unit_id=report.unit)
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

        pages = [folder / r.path for r in reports]
        print_reports([p for p in pages if out_of_date(p.with_suffix(".pdf"), p)])
    return {(r.kind, r.unit, r.language): current_files(folder, r) for r in reports}


def current_files(folder: Path, report: Rendered) -> list[dict[str, str]]:
    """The files of ``report`` on disk that are as new as its HTML: what the manifest lists."""
    html = folder / report.path
    records = report_files(report.path, ("html", *EXPORTS, "pdf"), report.language)
    return [r for r in records if r["format"] == "html" or not out_of_date(folder / r["path"], html)]
