"""Where each file of a report goes: one stem per report, a suffix per format, a language tag when needed.

A report in its programme's own language keeps the fixed layout (``partners/<id>.html``); in the
other language it goes beside it as ``partners/<id>.<lang>.html``, so rendering a programme in a
second language never overwrites the first. Word, XLSX and PDF files share their HTML's stem.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

FORMATS = ("html", "docx", "xlsx", "pdf")  # capeval's order: the report itself first


def language_path(path: str, language: str, programme_language: str) -> str:
    """``partners/P1.html`` for a report in the programme's language, ``partners/P1.en.html`` in another."""
    if language == programme_language:
        return path
    html = PurePosixPath(path)
    return str(html.with_name(f"{html.stem}.{language}{html.suffix}"))


def format_path(html_path: str, fmt: str) -> str:
    """The path of a report's ``fmt`` file beside its HTML (``partners/P1.en.html`` -> ``partners/P1.en.docx``)."""
    html = PurePosixPath(html_path)
    return str(html.with_name(f"{html.stem}.{fmt}"))


def report_files(html_path: str, formats: Iterable[str], language: str) -> list[dict[str, str]]:
    """The manifest's list of a report's files: path, format and language of each, HTML first."""
    chosen = set(formats) | {"html"}
    return [
        {"path": format_path(html_path, fmt), "format": fmt, "language": language} for fmt in FORMATS if fmt in chosen
    ]
