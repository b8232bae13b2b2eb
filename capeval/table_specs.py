"""The programme folder contract, part two: one column spec per tidy table (schema version 1).

Which columns each table has, their kinds, keys and references; :mod:`capeval.validate` applies them.
The words they share with programme.yaml (criteria, levels, methods) are in :mod:`capeval.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from capeval.schema import (
    DAC_CRITERIA,
    ITEM_SOURCES,
    KIRKPATRICK_LEVELS,
    LESSON_METHODS,
    MILESTONE_STATUSES,
)

# An import leaves an item's scale empty when the export does not say it (the draft mapping's "EDIT: scale").
SCALE_HINT = (
    "the scale of this question is not known yet: write its {end} possible answer, e.g. {example}, here or in "
    "the mapping's scale_min/scale_max and import again"
)


ColumnKind = Literal["id", "text", "int", "float", "bool", "date", "level", "choice"]


@dataclass(frozen=True)
class Column:
    """One column of a tidy table.

    ``required``: the column must be present; ``nullable``: a cell may be empty.
    ``choices`` names a fixed set, or a programme list ("services", "activity_types",
    "scaling_ingredients", "wave_ids") resolved against programme.yaml.
    """

    name: str
    kind: ColumnKind = "text"
    required: bool = True
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | str | None = None
    hint: str = ""  # said after "empty; a value is required": what to write there


@dataclass(frozen=True)
class Reference:
    column: str
    table: str
    target: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    required_table: bool = False
    partner_column: str | None = "partner_id"
    extra_checks: tuple[str, ...] = field(default_factory=tuple)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "tracks",
            (
                Column("track_id", "id"),
                Column("name"),
                Column("theme", nullable=True, required=False),
                Column("goal", nullable=True, required=False),
            ),
            key=("track_id",),
            partner_column=None,
        ),
        TableSpec(
            "partners",
            (
                Column("partner_id", "id"),
                Column("name"),
                Column("kind", nullable=True, required=False),
                Column("country", nullable=True, required=False),
                Column("track_id", "id", nullable=True, required=False),
            ),
            key=("partner_id",),
            references=(Reference("track_id", "tracks", "track_id"),),
            required_table=True,
        ),
        TableSpec(
            "activities",
            (
                Column("activity_id", "id"),
                Column("partner_id", "id"),
                Column("track_id", "id", nullable=True, required=False),
                Column("type", "choice", choices="activity_types"),
                Column("date", "date"),
                Column("participants", "int", minimum=0),
                Column("hours", "float", minimum=0, nullable=True),
                Column("cost_eur", "float", minimum=0, nullable=True, required=False),
            ),
            key=("activity_id",),
            references=(
                Reference("partner_id", "partners", "partner_id"),
                Reference("track_id", "tracks", "track_id"),
            ),
        ),
        TableSpec(
            "items",
            (
                Column("item_id", "id"),
                Column("text_nl", nullable=True),
                Column("text_en", nullable=True),
                Column("level", "level", choices=KIRKPATRICK_LEVELS),
                Column("dimension"),
                Column("criterion", "choice", nullable=True, choices=DAC_CRITERIA),
                Column("scale_min", "int", hint=SCALE_HINT.format(end="lowest", example=1)),
                Column("scale_max", "int", hint=SCALE_HINT.format(end="highest", example=5)),
                # how the answer was obtained (empty: self_report) and when, e.g. "3 months after"
                Column("source", "choice", required=False, nullable=True, choices=ITEM_SOURCES),
                Column("timing", nullable=True, required=False),
            ),
            key=("item_id",),
            partner_column=None,
            extra_checks=("item_scale", "item_text"),
        ),
        TableSpec(
            "responses",
            (
                Column("respondent_id", "id"),
                Column("partner_id", "id"),
                Column("activity_id", "id", nullable=True),
                Column("wave", "int", choices="wave_ids"),
                Column("item_id", "id"),
                Column("value", "float"),
            ),
            # respondent ids are unique per partner only: two partners' R01 are two people
            key=("partner_id", "respondent_id", "activity_id", "wave", "item_id"),
            references=(
                Reference("partner_id", "partners", "partner_id"),
                Reference("activity_id", "activities", "activity_id"),
                Reference("item_id", "items", "item_id"),
            ),
            extra_checks=("value_in_item_scale",),
        ),
        TableSpec(
            "portfolio",
            (
                Column("partner_id", "id"),
                Column("respondent_id", "id", nullable=True, required=False),
                Column("wave", "int", choices="wave_ids"),
                Column("service", "choice", choices="services"),
                Column("offered_now", "bool"),
                Column("quality_now", "float", minimum=1, maximum=10, nullable=True),
                Column("offered_desired", "bool"),
                Column("quality_desired", "float", minimum=1, maximum=10, nullable=True),
            ),
            key=("partner_id", "respondent_id", "wave", "service"),
            references=(Reference("partner_id", "partners", "partner_id"),),
        ),
        TableSpec(
            "scaling",
            (
                Column("unit_id", "id"),
                Column("wave", "int", choices="wave_ids"),
                Column("rater", "id"),
                Column("ingredient", "choice", choices="scaling_ingredients"),
                Column("score", "float", minimum=1, maximum=5),
                Column("rationale", nullable=True, required=False),
                # may other readers (track, programme) quote the rationale? absent or empty: no
                Column("consent_to_quote", "bool", nullable=True, required=False),
            ),
            key=("unit_id", "wave", "rater", "ingredient"),
            partner_column=None,
            extra_checks=("unit_exists",),
        ),
        TableSpec(
            "milestones",
            (
                Column("unit_id", "id"),
                Column("step", "choice", choices="milestone_steps"),
                Column("planned", "date"),
                Column("achieved", "date", nullable=True),
                Column("status", "choice", nullable=True, required=False, choices=MILESTONE_STATUSES),
                Column("evidence", nullable=True, required=False),
            ),
            key=("unit_id", "step"),
            partner_column=None,
            extra_checks=("unit_exists", "milestone_status"),
        ),
        TableSpec(
            "lessons",
            (
                Column("lesson_id", "id"),
                Column("partner_id", "id", nullable=True),
                Column("track_id", "id", nullable=True, required=False),
                Column("wave", "int", choices="wave_ids"),
                Column("method", "choice", choices=LESSON_METHODS),
                Column("domain", nullable=True),
                Column("what_changed"),
                Column("significance", nullable=True, required=False),
                Column("contribution", nullable=True, required=False),
                Column("planned", nullable=True, required=False),
                Column("actual", nullable=True, required=False),
                Column("why_gap", nullable=True, required=False),
                Column("sustain_improve", nullable=True, required=False),
                Column("artefact", nullable=True, required=False),
                # who took the practice over (organisations, "; " between them): transportability evidence
                Column("adopted_by", nullable=True, required=False),
                Column("consent_to_quote", "bool"),
            ),
            key=("lesson_id",),
            references=(
                Reference("partner_id", "partners", "partner_id"),
                Reference("track_id", "tracks", "track_id"),
            ),
        ),
        TableSpec(
            "lesson_themes",
            (Column("lesson_id", "id"), Column("theme")),  # the analyst's grouping: overrides the suggestion
            key=("lesson_id",),
            references=(Reference("lesson_id", "lessons", "lesson_id"),),
            partner_column=None,
        ),
    )
}

# Validation order: a table's references point only to tables before it.
TABLE_ORDER = (
    "tracks",
    "partners",
    "activities",
    "items",
    "responses",
    "portfolio",
    "scaling",
    "milestones",
    "lessons",
    "lesson_themes",
)


def unit_column(table: str) -> str | None:
    """The column that says whose a row is: ``unit_id`` (a partner or a track) or the table's partner column."""
    spec = TABLES[table]
    return "unit_id" if any(c.name == "unit_id" for c in spec.columns) else spec.partner_column
