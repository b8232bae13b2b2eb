"""Form definitions: what each question of a survey is and which answers it allows.

A draft mapping takes a question's scale from its form where there is one: a KoboToolbox
XLSForm (``survey`` and ``choices`` sheets, in the export workbook or given with
``--form``) or a LimeSurvey survey structure file (``.lss``, given with ``--form``).
A question is found by its export header: its name or code (``group/name``,
``Q1[SQ001]``) or its text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from capeval.ingest.cells import cell_text, normalise_label, parse_number
from capeval.ingest.errors import ExportFormatError
from capeval.ingest.sources import Sheet, repeat_of

QuestionKind = Literal[
    "select_one",
    "select_multiple",
    "rating",
    "range",
    "integer",
    "decimal",
    "text",
    "calculate",
    "note",
    "file",
    "geo",
    "hidden",
    "date",
    "other",
]


@dataclass
class FormQuestion:
    """One question of a form: its kind, its options in order with their values, or its numeric range."""

    name: str
    label: str
    kind: QuestionKind
    options: list[tuple[str, float]] = field(default_factory=list)
    low: float | None = None
    high: float | None = None


@dataclass
class Form:
    """The questions of a form, found by export header (name, code path or question text)."""

    source: str
    questions: dict[str, FormQuestion] = field(default_factory=dict)

    def add(self, question: FormQuestion, *keys: str) -> None:
        for key in (question.name, question.label, *keys):
            if key:
                self.questions.setdefault(normalise_label(key), question)

    def question_for(self, column: str) -> FormQuestion | None:
        """The question behind an export header, or None."""
        base = repeat_of(column)[0]
        for key in (base, base.rsplit("/", 1)[-1]):
            found = self.questions.get(normalise_label(key))
            if found is not None:
                return found
        return None


# ---- KoboToolbox / ODK XLSForm -------------------------------------------------------------

_XLSFORM_KINDS: dict[str, QuestionKind] = {
    "select_one": "select_one",
    "select_multiple": "select_multiple",
    "rank": "select_multiple",
    "integer": "integer",
    "decimal": "decimal",
    "range": "range",
    "text": "text",
    "calculate": "calculate",
    "note": "note",
    "acknowledge": "other",
    "image": "file",
    "audio": "file",
    "video": "file",
    "file": "file",
    "background-audio": "file",
    "geopoint": "geo",
    "geotrace": "geo",
    "geoshape": "geo",
    "hidden": "hidden",
    "date": "date",
    "time": "date",
    "datetime": "date",
}


def is_xlsform(sheets: list[Sheet]) -> bool:
    """True when the sheets hold an XLSForm: a ``survey`` sheet with type and name columns."""
    survey = next((s for s in sheets if s.name.strip().casefold() == "survey"), None)
    return survey is not None and {"type", "name"} <= {c.strip().casefold() for c in survey.columns}


def xlsform_from_sheets(sheets: list[Sheet], source: str) -> Form:
    """The form of an XLSForm's ``survey`` and ``choices`` sheets."""
    by_name = {s.name.strip().casefold(): s for s in sheets}
    survey, choices = by_name.get("survey"), by_name.get("choices")
    if survey is None:
        raise ExportFormatError("no 'survey' sheet: not an XLSForm", file=source)
    lists = _choice_lists(choices) if choices is not None else {}
    form = Form(source=source)
    for _, row in survey.records():
        cells = {k.strip().casefold(): cell_text(v) for k, v in row.items()}
        kind_text = cells.get("type", "")
        name = cells.get("name", "")
        if not kind_text or not name:
            continue
        head, _, rest = kind_text.replace(" or_other", "").partition(" ")
        kind = _XLSFORM_KINDS.get(head.strip().casefold())
        if kind is None:
            continue  # groups, repeats, meta fields
        label = _label(cells)
        question = FormQuestion(name=name, label=label, kind=kind)
        if kind in ("select_one", "select_multiple"):
            question.options = _option_values(lists.get(rest.strip(), []))
            if "rating" in cells.get("appearance", "").casefold() or head == "rank":
                question.kind = "rating" if kind == "select_one" else kind
        if kind == "range":
            params = dict(re.findall(r"(\w+)\s*=\s*(-?[\d.]+)", cells.get("parameters", "")))
            question.low = float(params.get("start", 1))
            question.high = float(params.get("end", 10))
        form.add(question)
    return form


def _choice_lists(choices: Sheet) -> dict[str, list[tuple[str, str]]]:
    lists: dict[str, list[tuple[str, str]]] = {}
    for _, row in choices.records():
        cells = {k.strip().casefold(): cell_text(v) for k, v in row.items()}
        list_name = cells.get("list_name") or cells.get("list name") or ""
        if list_name and cells.get("name"):
            lists.setdefault(list_name, []).append((cells["name"], _label(cells) or cells["name"]))
    return lists


def _label(cells: dict[str, str]) -> str:
    if cells.get("label"):
        return cells["label"]
    return next((v for k, v in cells.items() if k.startswith("label") and v), "")


def _option_values(options: list[tuple[str, str]]) -> list[tuple[str, float]]:
    """Options in form order: their own numeric names as values when all are numbers, else 1, 2, ..."""
    numbers = [parse_number(name) for name, _ in options]
    if options and all(n is not None for n in numbers):
        return [(label, float(n)) for (_, label), n in zip(options, numbers, strict=True) if n is not None]
    return [(label, float(position)) for position, (_, label) in enumerate(options, start=1)]


def read_xlsform(path: Path) -> Form:
    """An XLSForm workbook given with ``--form``."""
    from capeval.ingest.sources import read_xlsx_sheets

    sheets = read_xlsx_sheets(path)
    if not is_xlsform(sheets):
        raise ExportFormatError(
            "not an XLSForm: expected a 'survey' sheet with 'type' and 'name' columns (and a 'choices' sheet)",
            file=path.name,
        )
    return xlsform_from_sheets(sheets, path.name)


# ---- LimeSurvey survey structure (.lss) -----------------------------------------------------

_LS_FIXED: dict[str, tuple[float, float]] = {"5": (1, 5), "A": (1, 5), "B": (1, 10)}
_LS_KINDS: dict[str, QuestionKind] = {
    "L": "select_one",
    "!": "select_one",
    "O": "select_one",
    "F": "select_one",
    "H": "select_one",
    "5": "rating",
    "A": "rating",
    "B": "rating",
    "Y": "select_one",
    "M": "select_multiple",
    "P": "select_multiple",
    "N": "decimal",
    "K": "decimal",
    "S": "text",
    "T": "text",
    "U": "text",
    "Q": "text",
    "D": "date",
    "X": "note",
    "*": "calculate",
    "|": "file",
    "G": "other",
    "R": "other",
    "I": "hidden",
    ":": "decimal",
    ";": "text",
    "C": "select_one",
    "E": "select_one",
    "1": "select_one",
}
_LS_YES_NO = [("No", 0.0), ("Yes", 1.0)]


def looks_like_lss(text: str) -> bool:
    """True for the start of a LimeSurvey survey structure file."""
    head = text.lstrip("\ufeff \r\n\t")[:2000]
    return head.startswith("<") and "LimeSurveyDocType" in head


def read_lss(path: Path) -> Form:
    """The questions of a LimeSurvey ``.lss`` file: codes (``Q1``, ``Q2[SQ001]``) and texts, answers in order."""
    from defusedxml import ElementTree  # type: ignore[import-untyped]

    try:
        root = ElementTree.parse(path).getroot()
    except Exception as exc:  # defusedxml raises ParseError or its own refusals for hostile XML
        raise ExportFormatError(f"not a readable LimeSurvey .lss file ({exc})", file=path.name) from exc
    if root.findtext("LimeSurveyDocType") is None:
        raise ExportFormatError("not a LimeSurvey survey structure file (no LimeSurveyDocType)", file=path.name)
    questions = _rows(root, "questions") + _rows(root, "subquestions")
    texts = {r.get("qid", ""): r.get("question", "") for r in _rows(root, "question_l10ns")}
    answer_texts = {r.get("aid", ""): r.get("answer", "") for r in _rows(root, "answer_l10ns")}
    answers: dict[str, list[tuple[int, str, str]]] = {}
    for row in _rows(root, "answers"):
        if row.get("scale_id", "0") not in ("", "0"):
            continue
        text = row.get("answer") or answer_texts.get(row.get("aid", ""), "")
        order = int(parse_number(row.get("sortorder", "0")) or 0)
        answers.setdefault(row.get("qid", ""), []).append((order, row.get("code", ""), text))
    by_qid = {r.get("qid", ""): r for r in questions}
    form = Form(source=path.name)
    seen: set[str] = set()
    for row in questions:
        qid = row.get("qid", "")
        if qid in seen:
            continue  # one row per language
        seen.add(qid)
        parent = by_qid.get(row.get("parent_qid", "0"))
        main = parent or row
        kind_code = main.get("type", "")
        kind = _LS_KINDS.get(kind_code, "other")
        text = _strip_html(row.get("question") or texts.get(qid, ""))
        main_text = _strip_html(main.get("question") or texts.get(main.get("qid", ""), ""))
        question = FormQuestion(name=row.get("title", ""), label=text, kind=kind)
        if kind_code in _LS_FIXED:
            question.low, question.high = _LS_FIXED[kind_code]
            question.options = [(str(v), float(v)) for v in range(int(question.low), int(question.high) + 1)]
        elif kind_code == "Y":
            question.options = list(_LS_YES_NO)
        elif kind in ("select_one",):
            ordered = sorted(answers.get(main.get("qid", ""), []))
            question.options = _ls_options(ordered)
        if parent is not None:
            code = f"{parent.get('title', '')}[{row.get('title', '')}]"
            question.name = code
            question.label = f"{main_text} [{text}]" if main_text else text
            form.add(question, f"{parent.get('title', '')}_{row.get('title', '')}", text)
        elif kind != "other" or kind_code == "G":
            form.add(question)
    return form


def _ls_options(ordered: list[tuple[int, str, str]]) -> list[tuple[str, float]]:
    codes = [parse_number(code) for _, code, _ in ordered]
    numeric = bool(ordered) and all(n is not None for n in codes)
    out: list[tuple[str, float]] = []
    for position, ((_, code, text), number) in enumerate(zip(ordered, codes, strict=True), start=1):
        value = float(number) if numeric and number is not None else float(position)
        out.append((_strip_html(text) or code, value))
        if code and code != text:
            out.append((code, value))  # a code export writes the answer code
    return out


def _rows(root: object, section: str) -> list[dict[str, str]]:
    node = root.find(section)  # type: ignore[attr-defined]
    if node is None:
        return []
    return [{child.tag: (child.text or "").strip() for child in row} for row in node.iter("row")]


def _strip_html(text: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip())


def read_form(path: str | Path) -> Form:
    """A form given with ``--form``: an XLSForm workbook or a LimeSurvey ``.lss`` file."""
    path = Path(path)
    if not path.is_file():
        raise ExportFormatError("form not found", file=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return read_xlsform(path)
    head = path.read_bytes()[:4096].decode("utf-8", errors="replace")
    if looks_like_lss(head):
        return read_lss(path)
    raise ExportFormatError(
        "not a form definition: expected a KoboToolbox XLSForm (.xlsx with 'survey' and 'choices' sheets) "
        "or a LimeSurvey survey structure file (.lss)",
        file=path.name,
    )
