"""The mapping file: which export column is which respondent, partner, wave, item or lesson field.

Documented with an example in docs/mapping.md. Columns are named, never numbered, so a
column missing from one wave's export is skipped and a new one is reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from capeval.ingest.cells import normalise_label
from capeval.ingest.errors import MappingError
from capeval.messages import plain_message
from capeval.schema import DAC_CRITERIA, KIRKPATRICK_LEVELS, LESSON_METHODS
from capeval.shortforms import expand
from capeval.yamlfile import line_of, read_yaml

Level = Literal["L1", "L2", "L3", "L4"]
assert set(KIRKPATRICK_LEVELS) == {"L1", "L2", "L3", "L4"}
LESSON_FIELDS = (
    "what_changed",
    "significance",
    "contribution",
    "planned",
    "actual",
    "why_gap",
    "sustain_improve",
    "artefact",
    "domain",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Strict):
    """A value taken from a column (optionally recoded by ``values``) or a constant ``value``."""

    column: str | None = None
    value: str | int | float | bool | None = None
    values: dict[str, str | int] = Field(default_factory=dict)
    prefix: str = ""

    @model_validator(mode="before")
    @classmethod
    def _constant(cls, data: object) -> object:
        return {"value": data} if isinstance(data, str | int | float | bool) else data

    @model_validator(mode="after")
    def _one_of(self) -> Source:
        if (self.column is None) == (self.value is None):
            raise ValueError("give either 'column' or 'value'")
        return self

    def recode(self, text: str) -> str:
        """Apply ``values`` (matched loosely) to a cell's text."""
        if not self.values:
            return text
        lookup = {normalise_label(str(k)): str(v) for k, v in self.values.items()}
        return lookup.get(normalise_label(text), text)


class Respondent(_Strict):
    """Which column identifies a respondent; without one, the whole row's content does."""

    column: str | None = None
    namespace: str = ""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: object) -> object:
        return {"column": data} if isinstance(data, str) else data


class CountRows(_Strict):
    count_sheet: str


class ActivityCreate(_Strict):
    """How to create activities.csv rows for activity ids not yet in the folder."""

    type: str
    date: Source
    participants: Source | CountRows = Field(default_factory=lambda: Source(value=0))
    hours: Source | None = None
    track_id: Source | None = None


class Activity(Source):
    create: ActivityCreate | None = None


class MultipleChoice(_Strict):
    """A select-multiple cell: options joined by ``separator`` (default: the format's own);
    one 0/1 item per option, named ``<item_id>.<option id>``."""

    separator: str | None = None
    options: dict[str, str] = Field(min_length=1)


EDIT = "EDIT"  # how a draft marks what the analyst must settle ("scale_min: EDIT: scale")


class Item(_Strict):
    """One question. ``scale_pending`` is set when the mapping leaves the scale to settle
    (``scale_min: EDIT``): numeric answers are imported, items.csv gets no scale, and
    validate refuses the item until it is set; labelled answers wait (their values depend on it)."""

    column: str
    item_id: str
    text_nl: str | None = None
    text_en: str | None = None
    level: Level = "L1"
    dimension: str | None = None
    criterion: str | None = None
    scale_min: int | None = None
    scale_max: int | None = None
    scale_pending: bool = False
    labels: dict[str, float] = Field(default_factory=dict)
    multiple: MultipleChoice | None = None

    @model_validator(mode="before")
    @classmethod
    def _edit_marks(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for key in ("scale_min", "scale_max"):
            value = data.get(key)
            if isinstance(value, str) and value.strip().upper().startswith(EDIT):
                data[key] = None
                data["scale_pending"] = True
        return data

    @model_validator(mode="after")
    def _complete(self) -> Item:
        if self.criterion is not None and self.criterion not in DAC_CRITERIA:
            raise ValueError(f"criterion must be one of {', '.join(DAC_CRITERIA)}")
        if self.multiple is not None:
            self.scale_min, self.scale_max = 0, 1
        if self.labels and not self.scale_pending:
            values = [int(v) for v in self.labels.values()]
            self.scale_min = min(values) if self.scale_min is None else self.scale_min
            self.scale_max = max(values) if self.scale_max is None else self.scale_max
        if (self.scale_min is None or self.scale_max is None) and not self.scale_pending:
            raise ValueError(f"item '{self.item_id}' needs scale_min and scale_max (or labels)")
        if self.text_nl is None and self.text_en is None:
            self.text_en = self.column
        if self.dimension is None:
            self.dimension = self.item_id
        return self

    def label_value(self, text: str) -> float | None:
        lookup = {normalise_label(k): float(v) for k, v in self.labels.items()}
        return lookup.get(normalise_label(text))


class Lesson(_Strict):
    """Free-text columns that make one lessons.csv record per answered row."""

    fields: dict[str, str] = Field(min_length=1)
    method: Literal["msc", "oh", "aar", "free"] = "free"
    domain: Source | None = None
    consent_to_quote: Source = Field(default_factory=lambda: Source(value=False))

    @model_validator(mode="after")
    def _known_fields(self) -> Lesson:
        unknown = sorted(set(self.fields) - set(LESSON_FIELDS))
        if unknown:
            raise ValueError(f"unknown lesson field(s) {unknown}; expected {', '.join(LESSON_FIELDS)}")
        if "what_changed" not in self.fields:
            raise ValueError("a lesson needs a 'what_changed' column")
        assert self.method in LESSON_METHODS
        return self


class Mapping(_Strict):
    """One mapping file: the programme it fills and how each export column lands in it."""

    programme: dict[str, Any] | None = None
    partners: list[dict[str, Any]] = Field(default_factory=list)
    tracks: list[dict[str, Any]] = Field(default_factory=list)
    respondent: Respondent = Field(default_factory=Respondent)
    partner: Source
    wave: Source = Field(default_factory=lambda: Source(value=1))
    activity: Activity | None = None
    items: list[Item] = Field(default_factory=list)
    lessons: list[Lesson] = Field(default_factory=list)
    personal: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    # the file it was read from and the line of each key, for messages about its programme block
    _source: str = PrivateAttr(default="mapping")
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @field_validator("programme")
    @classmethod
    def _programme_short_forms(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return expand(value) if value else value  # waves: [2026], services: [Bijscholen] (capeval.shortforms)

    @model_validator(mode="after")
    def _unique_items(self) -> Mapping:
        seen: set[str] = set()
        for item in self.items:
            if item.item_id in seen:
                raise ValueError(f"item_id '{item.item_id}' appears twice")
            seen.add(item.item_id)
        return self

    def claimed_columns(self) -> set[str]:
        """Every column the mapping uses, marks personal or ignores."""
        columns = {i.column for i in self.items} | set(self.personal) | set(self.ignore)
        for lesson in self.lessons:
            columns |= set(lesson.fields.values())
            for source in (lesson.domain, lesson.consent_to_quote):
                if source is not None and source.column:
                    columns.add(source.column)
        for source in (self.partner, self.wave, self.activity):
            if source is not None and source.column:
                columns.add(source.column)
        if self.activity is not None and self.activity.create is not None:
            create = self.activity.create
            for part in (create.date, create.participants, create.hours, create.track_id):
                if isinstance(part, Source) and part.column:
                    columns.add(part.column)
        if self.respondent.column:
            columns.add(self.respondent.column)
        return columns


def load_mapping(path: str | Path) -> Mapping:
    """Read and check a mapping YAML (YAML 1.2); MappingError names the file, line and key of every problem."""
    path = Path(path)
    if not path.is_file():
        raise MappingError("mapping file not found", file=str(path))
    data, lines = read_yaml(path, MappingError)
    if not isinstance(data, dict):
        raise MappingError("expected a mapping of keys (partner, items, ...)", file=path.name, row=1)
    try:
        mapping = Mapping.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = exc.errors()
        first = [str(p) for p in errors[0]["loc"]]
        head = _describe(errors[0], data)
        rest = [_describe(error, data) for error in errors[1:]]
        if rest:  # every problem of the file at once, not one per attempt
            head += f"; and {len(rest)} more:\n  " + "\n  ".join(rest)
        row = line_of(lines, first) if first else None
        raise MappingError(head, file=path.name, row=row, column=".".join(first) or None) from exc
    mapping._source, mapping._lines = path.name, lines
    return mapping


def source_of(mapping: Mapping) -> tuple[str, dict[str, int]]:
    """The file ``mapping`` was read from (``mapping`` when built in code) and the line of each key."""
    return mapping._source, mapping._lines


def _describe(error: Any, data: dict[str, Any]) -> str:
    """One pydantic error in capeval's words: where (``items[3] 'Q1'.level``) and what was expected."""
    loc = [str(p) for p in error["loc"]]
    where = ".".join(loc)
    if len(loc) >= 2 and loc[0] == "items" and loc[1].isdigit():
        items = data.get("items") or []
        index = int(loc[1])
        column = items[index].get("column") if index < len(items) and isinstance(items[index], dict) else None
        where = f"items[{index}]" + (f" '{column}'" if column else "") + "".join(f".{p}" for p in loc[2:])
    return f"{where}: {plain_message(error)}"
