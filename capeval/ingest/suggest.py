"""Draft a mapping from an export: the id columns, the items with the scale the form says, the
lessons, the personal data, and every other column with the reason it is not imported.

The draft is meant to import as it is once the partner is named: what capeval cannot know
(a scale the export does not state, labels that fit two scales) is marked ``EDIT:`` and
never guessed; each column's reading is a comment beside it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from capeval.ingest.cells import cell_text, slug
from capeval.ingest.classify import Drafted, classify_column, unique_id
from capeval.ingest.formats import ExportFormat
from capeval.ingest.forms import Form, read_form, xlsform_from_sheets
from capeval.ingest.registry import get_format
from capeval.ingest.sources import Export, is_option_column
from capeval.visible import visible

PARTNER_NAME = "EDIT: partner name"
PARTNER_HEADER = re.compile(
    r"^(partner|organisatie|organisation|organization|organisme|organismo|gemeente|municipality|gemeinde|"
    r"commune|municipio|school|node)(\s*(name|naam|id|code))?\s*[:?]?$",
    re.IGNORECASE,
)


def suggest_mapping(fmt: str, export: str | Path, *, form: str | Path | None = None) -> str:
    """YAML text of a draft mapping for ``export`` read as ``fmt`` (``form``: an XLSForm or .lss file)."""
    export_format = get_format(fmt)
    path = Path(export)
    if not export_format.needs_mapping:
        return f"# --from {fmt} needs no mapping: capeval ships the questions and their scales.\n"
    read = export_format.read(path)
    definition = read_form(form) if form is not None else _form_in_export(read)
    data, notes = draft_mapping(export_format, read, definition)
    header = [
        f"Draft mapping for {path.name} (--from {fmt}), written by capeval --suggest-mapping.",
        "Name the partner (partners: name), then import. Lines marked EDIT are what the export does not say.",
        "Each column's reading is in a comment beside it; see docs/mapping.md.",
        *notes,
    ]
    return "".join(f"# {visible(line, one_line=True)}\n" for line in header) + _dump(data)


def draft_mapping(fmt: ExportFormat, export: Export, form: Form | None = None) -> tuple[CommentedMap, list[str]]:
    """The draft mapping (a YAML map with comments) and the notes for its header."""
    main = export.main
    lowered = {c.casefold(): c for c in main.columns}
    respondent = next((lowered[c] for c in fmt.respondent_columns if c in lowered), None)
    partner_column = next((c for c in main.columns if PARTNER_HEADER.match(c.strip())), None)
    notes = [f"Form definition: {form.source}." if form is not None else "No form definition given (--form)."]
    columns = _draft_columns(fmt, export, form, {respondent, partner_column} - {None}, notes)
    data = CommentedMap()
    stem = slug(export.path.stem, max_length=40)
    language = "nl" if columns.dutch * 2 > len(columns.items) else "en"
    waves = [CommentedMap(id=1, label="wave 1")]
    data["programme"] = CommentedMap(id=stem, title=export.path.stem, language=language, waves=waves)
    if partner_column:
        values = sorted({cell_text(v) for v in main.values(partner_column)} - {""})
        data["partners"] = [CommentedMap(partner_id=slug(v, max_length=30).upper(), name=v) for v in values]
        recode = CommentedMap((v, slug(v, max_length=30).upper()) for v in values)
        data["partner"] = CommentedMap(column=partner_column, values=recode)
    else:
        data["partners"] = [CommentedMap(partner_id="P1", name=PARTNER_NAME)]
        data["partner"] = CommentedMap(value="P1")
    data["respondent"] = CommentedMap(column=respondent) if respondent else CommentedMap()
    if not respondent:
        data.yaml_add_eol_comment("no id column: the whole row's content identifies a response", "respondent")
    data["wave"] = CommentedMap(value=1)
    data["items"] = columns.items
    data["lessons"] = columns.lessons
    data["personal"] = columns.personal
    data["ignore"] = columns.ignore
    return data, notes


@dataclass
class _Columns:
    items: CommentedSeq = field(default_factory=CommentedSeq)
    lessons: CommentedSeq = field(default_factory=CommentedSeq)
    personal: CommentedSeq = field(default_factory=CommentedSeq)
    ignore: CommentedSeq = field(default_factory=CommentedSeq)
    dutch: int = 0


def _draft_columns(
    fmt: ExportFormat, export: Export, form: Form | None, id_columns: set[str | None], notes: list[str]
) -> _Columns:
    """Every column of every sheet in its place of the draft, with the reason as a comment."""
    out = _Columns()
    item_ids: set[str] = set()
    separator = export.meta.get("multi_separator", fmt.multi_separator)
    pending = 0
    for sheet in export.sheets:
        repeated = [f"'{n}' ×{c}" for n, c in sheet.repeated.items() if not is_option_column(n, sheet)]
        if repeated:
            notes.append(
                f"Repeated header names in {sheet.label}, each column mapped by its place: the first as 'name', "
                f"the next as 'name#2', 'name#3': {', '.join(repeated)}."
            )
        for column in sheet.columns:
            if not column or column in id_columns or is_option_column(column, sheet):
                continue
            if fmt.is_personal(column):
                _append(out.personal, column, "personal data of the survey tool")
                continue
            if fmt.is_meta(column):
                continue  # the tool's own bookkeeping is never an item; no need to list it
            question = form.question_for(column) if form is not None else None
            drafted = classify_column(column, sheet, decimal=export.decimal, separator=separator, form=question)
            if drafted.kind == "item":
                drafted.spec["item_id"] = unique_id(drafted.spec["item_id"], item_ids)
                drafted.spec["dimension"] = drafted.spec["item_id"]
                pending += "EDIT" in drafted.note
                out.dutch += "(nl)" in drafted.note
                out.items.append(_item(drafted))
            elif drafted.kind == "lesson":
                lesson = CommentedMap(fields=CommentedMap(what_changed=column), method="free")
                lesson.yaml_add_eol_comment(visible(drafted.note, one_line=True), "fields")
                out.lessons.append(lesson)
            else:
                _append(out.personal if drafted.kind == "personal" else out.ignore, column, drafted.note)
    if pending:
        notes.append(
            f"{pending} item(s) need their scale (EDIT: scale): until it is set, validate refuses them "
            "(numeric answers are imported; labelled ones wait)."
        )
    return out


def _item(drafted: Drafted) -> CommentedMap:
    item = CommentedMap((k, v) for k, v in drafted.spec.items())
    if isinstance(item.get("labels"), dict):
        item["labels"] = CommentedMap(item["labels"])
    if isinstance(item.get("multiple"), dict):
        item["multiple"] = CommentedMap(options=CommentedMap(item["multiple"]["options"]))
    item.yaml_add_eol_comment(visible(drafted.note, one_line=True), "column")
    return item


def _append(seq: CommentedSeq, column: str, note: str) -> None:
    seq.append(column)
    if note:
        seq.yaml_add_eol_comment(visible(note, one_line=True), len(seq) - 1)


def _form_in_export(export: Export) -> Form | None:
    if not export.form_sheets:
        return None
    return xlsform_from_sheets(export.form_sheets, f"{export.path.name} (its survey and choices sheets)")


def _dump(data: Any) -> str:
    yaml = YAML()
    yaml.width = 110
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(_quote_invisible(data), stream)
    # every invisible character left is inside a double-quoted text (above), where YAML reads \\uXXXX back as it
    return "".join(_yaml_escape(c) if visible(c) != c else c for c in stream.getvalue())


def _quote_invisible(value: Any) -> Any:
    """``value`` with each text that holds a control, bidi or zero-width character double-quoted (keys too),
    so the draft can write that character as an escape a terminal does not obey."""
    if isinstance(value, str):
        return DoubleQuotedScalarString(value) if visible(value) != value else value
    if isinstance(value, CommentedMap):
        for position, key in enumerate(list(value)):
            quoted = _quote_invisible(key)
            if quoted is not key:
                comment = value.ca.items.pop(key, None)
                value.insert(position, quoted, value.pop(key))
                if comment is not None:
                    value.ca.items[quoted] = comment
            value[quoted] = _quote_invisible(value[quoted])
        return value
    if isinstance(value, list):
        for index, item in enumerate(value):
            value[index] = _quote_invisible(item)
        return value
    return value


def _yaml_escape(char: str) -> str:
    return f"\\u{ord(char):04X}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08X}"
