"""A report's data appendix as an XLSX workbook (openpyxl): what an analyst pastes into own charts.

One sheet per table of the report, as the report shows it (a suppressed cell stays "–"; numbers
become numbers, percentages fractions formatted as %), then the wording of the items, the
programme's codebook and the reach per activity. A first sheet lists every sheet and what it holds.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from capeval.export.page import ReportPage, Table
from capeval.i18n import t

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SHEET_NAME_LENGTH = 31  # Excel's limit
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\']")
_SPACE = "[ \u00a0\u2009\u202f]"  # grouping: space, no-break space, thin space, narrow no-break space
_MINUS = str.maketrans({"\u2212": "-"})
_NUMBER = {
    "nl": re.compile(rf"^[+-]?\d{{1,3}}(?:(?:{_SPACE}|\.)\d{{3}})*(?:,\d+)?$|^[+-]?\d+(?:,\d+)?$"),
    "en": re.compile(rf"^[+-]?\d{{1,3}}(?:(?:{_SPACE}|,)\d{{3}})*(?:\.\d+)?$|^[+-]?\d+(?:\.\d+)?$"),
}
_PERCENT = re.compile(rf"^(.*?){_SPACE}?%$")


def shown_value(text: str, language: str) -> tuple[float | int | str, str | None]:
    """A cell as the report shows it, as a spreadsheet value and its number format.

    ``"7 580"`` -> 7580, ``"82,5"`` (nl) -> 82.5, ``"36 %"`` -> 0.36 shown as ``0%``; anything
    else (a suppressed "–", a label, a range) stays the text it is.
    """
    plain = text.strip().translate(_MINUS)
    percent = _PERCENT.match(plain)
    body = percent.group(1).strip() if percent else plain
    pattern = _NUMBER["nl" if language == "nl" else "en"]
    if not body or not pattern.match(body):
        return text, None
    grouping, decimal = (".", ",") if language == "nl" else (",", ".")
    digits = re.sub(_SPACE, "", body).replace(grouping, "").replace(decimal, ".")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    if percent:
        return float(digits) / 100, "0" + ("." + "0" * decimals if decimals else "") + "%"
    if decimals:
        return float(digits), "0." + "0" * decimals
    return int(digits), "0"


def report_workbook(
    page: ReportPage,
    *,
    items: pd.DataFrame,
    codebook: pd.DataFrame,
    activities: pd.DataFrame,
) -> bytes:
    """The workbook of ``page``'s tables plus ``items``, ``codebook`` and ``activities`` (appendix frames
    whose columns are already the reader's labels); returns the .xlsx bytes."""
    from openpyxl import Workbook

    lang = page.language
    book = Workbook()
    contents = book.active
    assert contents is not None  # a new workbook has its first sheet
    contents.title = _sheet_name(t("export_sheet_contents", lang), set())
    used = {contents.title}
    listed: list[tuple[str, str]] = []
    for number, table in enumerate(page.tables(), start=1):
        name = _sheet_name(f"{number:02d} {table.section or table.chapter}", used)
        about = table.chapter if table.section in ("", table.chapter) else f"{table.chapter} – {table.section}"
        _table_sheet(book.create_sheet(name), table, about, lang)
        listed.append((name, about))
    for key, frame in (
        ("export_sheet_items", items),
        ("export_sheet_codebook", codebook),
        ("export_sheet_activities", activities),
    ):
        name = _sheet_name(t(key, lang), used)
        about = t(f"{key}_about", lang)
        _frame_sheet(book.create_sheet(name), frame, about)
        listed.append((name, about))
    _contents_sheet(contents, page.title, listed, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(wanted: str, used: set[str]) -> str:
    """A valid sheet name (≤ 31 characters, none of []:*?/\\') not yet in ``used``; added to it."""
    base = re.sub(r"\s+", " ", _NOT_IN_SHEET_NAME.sub(" ", wanted)).strip() or "Sheet"
    name, n = base[:SHEET_NAME_LENGTH].strip(), 1
    while name.lower() in {u.lower() for u in used}:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_LENGTH - len(suffix)].strip() + suffix
    used.add(name)
    return name


def _put(sheet: Worksheet, row: int, column: int, value: object, number_format: str | None = None) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text is text: "=HYPERLINK(…)" from a data cell is never a formula
    if number_format:
        cell.number_format = number_format


def _heading_rows(sheet: Worksheet, title: str, header: Sequence[Sequence[str]], start: int) -> int:
    """The sheet's title in A1, the header rows from ``start``; returns the first data row."""
    from openpyxl.styles import Font

    _put(sheet, 1, 1, title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    for offset, labels in enumerate(header):
        for column, label in enumerate(labels, start=1):
            _put(sheet, start + offset, column, label)
            sheet.cell(row=start + offset, column=column).font = Font(bold=True)
    first_data = start + len(header)
    sheet.freeze_panes = sheet.cell(row=first_data, column=1)
    return first_data


def _table_sheet(sheet: Worksheet, table: Table, about: str, language: str) -> None:
    header = [[c.text for c in row] for row in table.header]
    row_number = _heading_rows(sheet, about, header, start=3)
    for cells in table.rows:
        for column, cell in enumerate(cells, start=1):
            value, number_format = shown_value(cell.text, language)
            _put(sheet, row_number, column, value, number_format)
        row_number += 1
    _widths(sheet, [*header, *[[c.text for c in r] for r in table.rows]])


def _frame_sheet(sheet: Worksheet, frame: pd.DataFrame, about: str) -> None:
    header = [[str(c) for c in frame.columns]]
    row_number = _heading_rows(sheet, about, header, start=3)
    for record in frame.itertuples(index=False):
        for column, value in enumerate(record, start=1):
            _put(sheet, row_number, column, _plain(value))
        row_number += 1
    _widths(sheet, [*header, *[[str(_plain(v)) for v in r] for r in frame.itertuples(index=False)]])


def _plain(value: object) -> object:
    """A DataFrame value as openpyxl writes it: numbers and text as they are, missing values empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value if isinstance(value, int | float | str) else str(value)


def _contents_sheet(sheet: Worksheet, title: str, listed: list[tuple[str, str]], language: str) -> None:
    header = [[t("export_sheet", language), t("export_sheet_holds", language)]]
    row_number = _heading_rows(sheet, title, header, start=3)
    for name, about in listed:
        _put(sheet, row_number, 1, name)
        sheet.cell(row=row_number, column=1).hyperlink = f"#'{name}'!A1"
        _put(sheet, row_number, 2, about)
        row_number += 1
    _widths(sheet, [*header, *[list(pair) for pair in listed]])


def _widths(sheet: Worksheet, rows: Sequence[Sequence[str]]) -> None:
    """Columns as wide as their longest text, within reason."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in rows:
        for column, text in enumerate(row, start=1):
            widths[column] = max(widths.get(column, 8), min(len(str(text)) + 2, 60))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
