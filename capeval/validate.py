"""Validate a programme folder: typed tables kept, bad rows quarantined with their reason.

The table-level flow (columns present, each cell read by :mod:`capeval.cell_checks`, keys, references) and
the checks across rows and tables.

Nothing is dropped silently: every rejected row is in ``Validated.rejected`` (and in
``_rejected/<table>.csv`` once written) with its line and the reasons.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from capeval.cell_checks import Flag, Messages, check_cells, coerce_column, strip_cells
from capeval.csvfile import frame_csv_text
from capeval.disk import refuse_file_for_folder, refuse_link_out, writing_in
from capeval.errors import Problem, ProgrammeError
from capeval.files import write_atomic
from capeval.folder import LINE, PARSE_ERROR, REPEATED, read_table_text, read_yaml_with_lines
from capeval.narrative import read_narratives
from capeval.programme_file import load_programme_config
from capeval.schema import TOP_TWO_MIN_POINTS, ProgrammeConfig
from capeval.table_specs import TABLE_ORDER, TABLES, Column, TableSpec
from capeval.visible import quoted

REASON = "_reason"


@dataclass
class Validated:
    """A validated programme: the config, typed kept tables, quarantined rows, problems."""

    root: Path
    config: ProgrammeConfig
    tables: dict[str, pd.DataFrame]
    rejected: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    present: set[str] = field(default_factory=set)
    notes: list[Problem] = field(default_factory=list)  # warnings: the data was read, but not as written

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, tuple[int, int]]:
        """Rows kept and rejected per table that is present."""
        return {
            name: (len(self.tables[name]), len(self.rejected.get(name, ())))
            for name in TABLE_ORDER
            if name in self.present
        }


# The ids a command selects a unit by (run --partner, --track), in the table that defines them.
UNIT_IDS = {"partners.csv": "partner_id", "tracks.csv": "track_id"}


def validate_programme(root: str | Path) -> Validated:
    """Load and validate every table of the programme folder at ``root``."""
    root = Path(root)
    if not root.is_dir():
        raise ProgrammeError("programme folder not found", file=str(root))
    config = load_programme_config(root)
    result = Validated(root=root, config=config, tables={})
    readable: set[str] = set()  # tables read with their required columns: references into them are checked
    for name in TABLE_ORDER:
        spec = TABLES[name]
        path = root / spec.file
        if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
            why = "a symbolic link to a file outside the programme folder; capeval does not read it: copy the file here"
            result.problems.append(Problem(spec.file, 0, "-", why))
            result.tables[name] = _empty(spec)
            continue
        if path.exists() and not path.is_file():  # a folder or a named pipe (reading one would wait forever)
            kind = "a folder" if path.is_dir() else "a named pipe" if path.is_fifo() else "a device or socket"
            why = f"not a regular file ({kind}); a table is a CSV file: put {spec.file} in its place"
            result.problems.append(Problem(spec.file, 0, "-", why))
            result.tables[name] = _empty(spec)
            continue
        if not path.is_file():
            if spec.required_table:
                result.problems.append(Problem(spec.file, 0, "-", "required table missing"))
            result.tables[name] = _empty(spec)
            continue
        result.present.add(name)
        raw, problems = read_table_text(path)
        result.problems.extend(problems)
        kept, rejected, row_problems = _check_table(spec, raw, config, result.tables, readable)
        result.notes.extend(_spaced_ids(spec, raw))
        whole = not raw.attrs.get(REPEATED)  # a table refused for its header has no rows to refer to
        if whole and LINE in raw.columns and {c.name for c in spec.columns if c.required} <= set(raw.columns):
            readable.add(name)
        result.tables[name] = kept
        if len(rejected):
            result.rejected[name] = rejected
        result.problems.extend(row_problems)
    if config.rating_item is not None and "items" in result.present:
        result.problems.extend(_check_rating_item(root, config.rating_item, result.tables["items"]))
    if "items" in result.present:
        result.problems.extend(_check_item_links(root, config, result.tables["items"]))
    partners, tracks = (set(result.tables[n][f"{n[:-1]}_id"].astype(str)) for n in ("partners", "tracks"))
    result.problems.extend(read_narratives(root, partners, tracks)[1])
    return result


def _spaced_ids(spec: TableSpec, raw: pd.DataFrame) -> list[Problem]:
    """A warning per unit id with white space around it: validate reads 'P5 ' as 'P5', and a
    command (``capeval run --partner P5``) selects it only by the id without the spaces."""
    column = UNIT_IDS.get(spec.file)
    if column is None or column not in raw.columns or LINE not in raw.columns:
        return []
    cells = raw[column].astype("string").fillna("")
    spaced = strip_cells(cells) != cells
    why = "white space around the id is taken away; the id is read, and selected with --partner or --track, without it"
    return [Problem(spec.file, int(line), column, why) for line in raw.loc[spaced, LINE].tolist()]


def _check_item_links(root: Path, config: ProgrammeConfig, items: pd.DataFrame) -> list[Problem]:
    """programme.yaml's blocks name dimensions, and its priorities items, that items.csv has."""
    dimensions = set(items["dimension"].dropna().astype(str))
    item_ids = set(items["item_id"].dropna().astype(str))
    named: list[tuple[str, str, str, set[str]]] = [
        (key, entry.id, "dimension", dimensions)
        for key in ("commitments", "added_value")
        for entry in getattr(config, key)
    ]
    if config.event_feedback is not None:
        named += [("event_feedback", e.id, "dimension", dimensions) for e in config.event_feedback.dimensions]
    named += [("priorities", item, "item_id", item_ids) for p in config.priorities for item in p.items]
    missing = [(key, value, what) for key, value, what, known in named if value not in known]
    if not missing:
        return []
    lines = read_yaml_with_lines(root / "programme.yaml")[1]
    example = {
        "dimension": "a dimension of items.csv, e.g. keep_agreements",
        "item_id": "an item_id, e.g. L3_cooperation",
    }
    return [
        Problem(
            "programme.yaml",
            lines.get(key, 1),
            key,
            f"{value!r} is not a {what} of items.csv; expected {example[what]}",
        )
        for key, value, what in missing
    ]


def _check_rating_item(root: Path, item_id: str, items: pd.DataFrame) -> list[Problem]:
    """programme.yaml's rating_item must be an item of items.csv with a scale of TOP_TWO_MIN_POINTS or more."""
    found = items[items["item_id"].astype(str) == item_id]
    points = found["scale_max"].astype("float64") - found["scale_min"].astype("float64") + 1
    if len(found) and bool((points >= TOP_TWO_MIN_POINTS).all()):
        return []
    line = read_yaml_with_lines(root / "programme.yaml")[1].get("rating_item", 1)
    why = "is not an item_id of items.csv" if found.empty else f"has a scale of fewer than {TOP_TWO_MIN_POINTS} points"
    return [Problem("programme.yaml", line, "rating_item", f"{item_id!r} {why} (the rating question needs one)")]


def write_rejected(validated: Validated) -> Path | None:
    """Write quarantined rows to ``<root>/_rejected/<table>.csv``; remove stale ones."""
    folder = validated.root / "_rejected"
    refuse_link_out(folder, validated.root)
    with writing_in(folder):
        if folder.is_dir():  # only our own files: importers quarantine rows here too
            for name in TABLES:
                (folder / f"{name}.csv").unlink(missing_ok=True)
        if not validated.rejected:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
            return None
        refuse_file_for_folder(folder, "the rejected rows")
        folder.mkdir(exist_ok=True)
        for name, frame in validated.rejected.items():  # whole or absent, even on a full disk
            write_atomic(folder / f"{name}.csv", frame_csv_text(frame))
    return folder


def _empty(spec: TableSpec) -> pd.DataFrame:
    frame = pd.DataFrame({c.name: pd.Series(dtype=_dtype(c)) for c in spec.columns})
    return frame


def _dtype(column: Column) -> str:
    return {"int": "Int64", "float": "float64", "bool": "boolean", "date": "datetime64[ns]"}.get(column.kind, "string")


def _check_table(
    spec: TableSpec, raw: pd.DataFrame, config: ProgrammeConfig, done: dict[str, pd.DataFrame], readable: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    if raw.empty and LINE not in raw.columns:
        return _empty(spec), pd.DataFrame(), []
    problems: list[Problem] = []
    repeated = raw.attrs.get(REPEATED, {})
    if repeated:
        problems += [
            Problem(
                spec.file,
                1,
                name.split("' and '")[0],
                (
                    "column given twice in the header"
                    if "' and '" not in name
                    else f"columns '{name}' differ only in case"
                )
                + f" (fields {' and '.join(map(str, at))}); keep one, or rename the other",
            )
            for name, at in repeated.items()
        ]
        rejected = raw.copy()
        rejected[REASON] = "table rejected: the header repeats " + ", ".join(f"'{name}'" for name in repeated)
        return _empty(spec), rejected, problems
    missing = [c.name for c in spec.columns if c.required and c.name not in raw.columns]
    if missing:
        found = ", ".join(c for c in raw.columns if c != LINE) or "none"
        problems += [
            Problem(spec.file, 1, name, f"required column missing (columns found: {found})") for name in missing
        ]
        rejected = raw.copy()
        rejected[REASON] = "table rejected: required column(s) missing: " + ", ".join(missing)
        return _empty(spec), rejected, problems

    reasons = pd.Series("", index=raw.index, dtype=object)
    typed = raw.copy()
    line_of = raw[LINE].astype(int)

    def flag(mask: pd.Series, column: str, messages: Messages) -> None:
        if not mask.any():
            return
        text = messages if isinstance(messages, str) else messages(mask) if callable(messages) else messages[mask]
        msgs = pd.Series(text, index=mask[mask].index)
        lines = line_of[msgs.index].tolist()
        for idx, line, msg in zip(msgs.index.tolist(), lines, msgs.tolist(), strict=True):
            problems.append(Problem(spec.file, line, column, str(msg)))
            previous = str(reasons.at[idx])
            reasons.at[idx] = f"{previous}; {column}: {msg}" if previous else f"{column}: {msg}"

    check_cells(raw, flag)
    for column in spec.columns:
        if column.name not in raw.columns:
            typed[column.name] = pd.Series(index=raw.index, dtype=_dtype(column))  # all missing
            continue
        text = strip_cells(raw[column.name])
        empty = text == ""
        if not column.nullable and column.kind != "bool":
            flag(
                empty,
                column.name,
                f"empty; a value is required ({column.hint})" if column.hint else "empty; a value is required",
            )
        typed[column.name] = coerce_column(column, text, empty, config, flag)

    for check in spec.extra_checks:
        _EXTRA[check](typed, reasons, flag, done)

    for ref in spec.references:
        if ref.table not in readable:
            continue  # an absent or unreadable table is reported once, not once per referring row
        target = done[ref.table][ref.target]
        values = typed[ref.column]
        bad = values.notna() & (values != "") & ~values.isin(set(target.dropna()))
        where = f" (not in {ref.table}.csv)"
        flag(bad & (reasons == ""), ref.column, partial(_unknown_message, f"unknown {ref.column} ", values, where))

    _check_duplicates(spec, typed.loc[reasons == ""], line_of, flag)

    valid = reasons == ""
    kept = typed.loc[valid].drop(columns=[LINE, PARSE_ERROR], errors="ignore").reset_index(drop=True)
    rejected = raw.loc[~valid].copy()
    rejected[REASON] = reasons[~valid]
    problems.sort(key=lambda p: (p.line, p.column))
    return kept, rejected.reset_index(drop=True), problems


def _unknown_message(before: str, values: pd.Series, after: str, mask: pd.Series) -> pd.Series:
    return before + values[mask].astype(str).map(quoted) + after  # 'Р1' is named as not the Latin 'P1'


def _check_duplicates(spec: TableSpec, valid: pd.DataFrame, line_of: pd.Series, flag: Flag) -> None:
    """Every row whose key repeats an earlier valid row's, naming the first one's line."""
    written = valid[list(spec.key)].astype(object).where(valid[list(spec.key)].notna(), "")
    # 'Café' typed as one character or as 'e' and a combining accent looks the same: one key, under NFC
    keys = written.copy()
    for column in keys.columns:  # only text beyond ASCII can have two forms: a million ASCII ids cost no normalising
        beyond = _beyond_ascii(keys[column])
        if beyond.any():
            keys.loc[beyond, column] = keys.loc[beyond, column].map(lambda v: unicodedata.normalize("NFC", v))
    dup = keys.duplicated(keep=False)
    if not dup.any():
        return
    label = "+".join(spec.key)
    for _, group in keys[dup].groupby(list(spec.key), sort=False, dropna=False):
        first = group.index[0]
        for idx in group.index[1:]:
            shown = _show_key(written.loc[idx].tolist())
            same = written.loc[idx].tolist() == written.loc[first].tolist()
            form = "" if same else ", written in another Unicode form"
            flag(pd.Series(True, index=[idx]), label, f"duplicate value {shown} (first at line {line_of[first]}{form})")


def _beyond_ascii(values: pd.Series) -> pd.Series:
    """Which cells are text with a character beyond ASCII (pyarrow scans a million ids in a fraction of a second)."""
    try:
        array = pa.array(values.to_numpy(dtype=object), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # text and numbers mixed: ask each cell
        return values.map(lambda v: isinstance(v, str) and not v.isascii()).astype(bool)
    if not pa.types.is_string(array.type):
        return pd.Series(False, index=values.index)
    found = pc.invert(pc.string_is_ascii(array)).fill_null(False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index)


def _show_key(values: list[object]) -> str:
    shown = [f"'{v}'" if isinstance(v, str) else str(v) for v in values]
    return shown[0] if len(shown) == 1 else "(" + ", ".join(shown) + ")"


def _check_item_scale(typed: pd.DataFrame, reasons: pd.Series, flag: Flag, done: dict[str, pd.DataFrame]) -> None:
    ok = typed["scale_min"].notna() & typed["scale_max"].notna()
    bad = ok & (typed["scale_max"] <= typed["scale_min"])
    flag(
        bad.fillna(False).astype(bool),
        "scale_max",
        "expected scale_max above scale_min, got " + typed["scale_max"].astype(str),
    )


def _check_item_text(typed: pd.DataFrame, reasons: pd.Series, flag: Flag, done: dict[str, pd.DataFrame]) -> None:
    bad = typed["text_nl"].isna() & typed["text_en"].isna()
    flag(bad.astype(bool), "text_en", "an item needs text_nl or text_en")


def _check_value_in_scale(typed: pd.DataFrame, reasons: pd.Series, flag: Flag, done: dict[str, pd.DataFrame]) -> None:
    items = done["items"].set_index("item_id")
    lo = typed["item_id"].map(items["scale_min"]).astype("float64")
    hi = typed["item_id"].map(items["scale_max"]).astype("float64")
    value = typed["value"]
    bad = lo.notna() & value.notna() & ((value < lo) | (value > hi))
    flag(
        bad.astype(bool),
        "value",
        lambda m: (
            "expected a value on the scale "
            + lo[m].map(lambda x: f"{x:g}")
            + "–"
            + hi[m].map(lambda x: f"{x:g}")
            + " of item '"
            + typed["item_id"][m].astype(str)
            + "', got "
            + value[m].map(lambda x: f"{x:g}")
        ),
    )


def _check_unit_exists(typed: pd.DataFrame, reasons: pd.Series, flag: Flag, done: dict[str, pd.DataFrame]) -> None:
    units = set(done["partners"]["partner_id"].dropna()) | set(done["tracks"]["track_id"].dropna())
    bad = typed["unit_id"].notna() & ~typed["unit_id"].isin(units) & (reasons == "")
    flag(
        bad.astype(bool),
        "unit_id",
        lambda m: "unknown unit_id " + typed["unit_id"][m].astype(str).map(quoted) + " (not a partner_id or track_id)",
    )


def _check_milestone_status(typed: pd.DataFrame, reasons: pd.Series, flag: Flag, done: dict[str, pd.DataFrame]) -> None:
    achieved = typed["achieved"].notna()
    status = typed["status"].astype("string")
    flag(
        (status == "achieved").fillna(False).astype(bool) & ~achieved,
        "achieved",
        "empty while status is 'achieved'; expected the date it was achieved, e.g. 2025-03-14",
    )
    flag(
        status.isin(["planned", "dropped"]).fillna(False).astype(bool) & achieved,
        "status",
        lambda m: "'" + status[m].astype(str) + "' while an achieved date is given; expected achieved (or no date)",
    )


_EXTRA = {
    "item_scale": _check_item_scale,
    "item_text": _check_item_text,
    "value_in_item_scale": _check_value_in_scale,
    "unit_exists": _check_unit_exists,
    "milestone_status": _check_milestone_status,
}
