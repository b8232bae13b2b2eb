"""The programme folder contract, part one: programme.yaml's model and the words the tables share.

Schema version 1. The tidy tables' column specs are in :mod:`capeval.table_specs`; :mod:`capeval.validate`
applies both.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from capeval.shortforms import coded_entry, wave_entries

SCHEMA_VERSION = 1

Criterion = Literal[
    "relevance", "coherence", "effectiveness", "efficiency", "impact", "sustainability", "eu_added_value"
]
# Every criterion an item may name: the six OECD DAC criteria (2019), then EU added value.
DAC_CRITERIA: tuple[Criterion, ...] = get_args(Criterion)
OECD_DAC_CRITERIA: tuple[Criterion, ...] = DAC_CRITERIA[:6]  # a programme's criteria unless it declares others
SMALLEST_GROUP = 3  # the smallest min_group_size allowed without allow_small_groups: true
TOP_TWO_MIN_POINTS = 4  # a rating question needs a scale of at least 4 points for "the top two" to mean something
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "ja", "j", "waar", "x"})  # a yes/no cell read as yes
FALSE_WORDS = frozenset({"0", "false", "no", "n", "nee", "onwaar", ""})  # … and as no
KIRKPATRICK_LEVELS = ("L1", "L2", "L3", "L4")
# How an item's answer was obtained (items.csv ``source``; empty means self_report).
ITEM_SOURCES = ("self_report", "observed", "records")
SELF_REPORT = "self_report"
# A change smaller than this is "about the same" (programme.yaml ``min_change``).
MIN_CHANGE_10 = 0.5  # points on a 0-10 scale (portfolio gaps and quality)
MIN_CHANGE_100 = 5.0  # points on a 0-100 scale (Kirkpatrick scores, percent of the item's scale)
LESSON_METHODS = ("msc", "oh", "aar", "free")
# A milestone's status (milestones.csv); empty: "achieved" when it has an achieved date, else "planned".
MILESTONE_STATUSES = ("planned", "in_progress", "achieved", "delayed", "dropped")

# What a programme calls its tracks (programme.yaml ``track_noun``): reports say "learning track" (leertraject)
# or "pilot", with the grammar of each (labels <key>__pilot in capeval/i18n).
TrackNoun = Literal["learning_track", "pilot"]
DEFAULT_TRACK_NOUN: TrackNoun = "learning_track"

# Scaling Scan (PPPLab/CIMMYT) ingredients; programme.yaml may rename or replace them.
DEFAULT_SCALING_INGREDIENTS = (
    "technology",
    "awareness",
    "evidence",
    "business_case",
    "finance",
    "value_chain",
    "knowledge_skills",
    "collaboration",
    "leadership_management",
    "public_sector_governance",
)

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class Coded(BaseModel):
    """A coded entry of a programme list (a service, an ingredient, an activity type)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    label: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: object) -> object:
        return coded_entry(value)  # a bare label: its slug is the id (capeval.shortforms)

    @model_validator(mode="after")
    def _default_label(self) -> Coded:
        if not self.label:
            self.label = self.id
        return self


class Priority(Coded):
    """A programme priority (Erasmus+) and what addresses it: activity types and items of items.csv."""

    activity_types: list[str] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)


class EventFeedback(BaseModel):
    """Members' feedback on network events: the events (activity types) and the dimensions of items.csv asked."""

    model_config = ConfigDict(extra="forbid")
    activity_types: list[str] = Field(min_length=1)
    dimensions: list[Coded] = Field(min_length=1)


class Wave(BaseModel):
    # strict: a number written as text ('1_0', '2_024': text in YAML 1.2) is refused, not read as a number
    model_config = ConfigDict(extra="forbid")
    id: int = Field(strict=True)
    label: str
    year: int | None = Field(None, strict=True)


DataKind = Literal["organisational", "personal"]


class Privacy(BaseModel):
    """Which rule a self-assessment follows (programme.yaml ``privacy:``).

    ``organisational`` (the default): the table is what an organisation says about itself (a service
    portfolio filled in by the partner, a Scaling Scan by its named roles): shown for that
    organisation whatever the number of people who filled it in. ``personal``: each row is one
    person's opinion, and the survey rule applies: no value of fewer than ``min_group_size`` people.
    """

    model_config = ConfigDict(extra="forbid")
    portfolio: DataKind = "organisational"
    scaling: DataKind = "organisational"


class MinChange(BaseModel):
    """The smallest change a report calls a change (programme.yaml ``min_change:``); smaller is "about the same".

    Both apply to the change as the reader sees it (each value rounded to its shown decimal first).
    """

    model_config = ConfigDict(extra="forbid")
    points_10: float = Field(
        default=MIN_CHANGE_10, gt=0, strict=True, description="on a 0-10 scale: service-portfolio gaps and quality"
    )
    points_100: float = Field(
        default=MIN_CHANGE_100,
        gt=0,
        strict=True,
        description="on a 0-100 scale: Kirkpatrick scores and changes; other scales: this percent of their range",
    )

    def on_scale(self, low: float, high: float) -> float:
        """The minimum change on a ``low``-``high`` scale (0-10: ``points_10``; else ``points_100`` percent of it)."""
        if (low, high) == (0, 10):
            return self.points_10
        return self.points_100 * (high - low) / 100.0


class ProgrammeConfig(BaseModel):
    """programme.yaml: what a programme is and the lists its tables refer to."""

    model_config = ConfigDict(extra="forbid")  # a typo'd key is refused, not silently ignored for its default
    id: str
    title: str
    language: Literal["nl", "en"] = "en"
    # min_group_size below SMALLEST_GROUP lets one person's answers be seen: only when this says it is on purpose
    allow_small_groups: bool = False
    min_group_size: int = Field(5, ge=1, strict=True)  # strict: '1_0' is text in YAML 1.2, not ten
    min_comments: int = Field(10, ge=1, strict=True)
    waves: list[Wave] = Field(min_length=1)
    services: list[Coded] = Field(default_factory=list)
    scaling_ingredients: list[Coded] = Field(
        default_factory=lambda: [Coded(id=i, label=i) for i in DEFAULT_SCALING_INGREDIENTS]
    )
    activity_types: list[Coded] = Field(default_factory=list)
    description: str = ""
    privacy: Privacy = Field(default_factory=Privacy)
    min_change: MinChange = Field(default_factory=MinChange)
    # The evaluation criteria that apply (the criteria matrix and its actions); EU added value only when declared.
    criteria: list[Criterion] = Field(default_factory=lambda: list(OECD_DAC_CRITERIA), min_length=1)
    # The one question behind "rated in the top two" (an item_id of items.csv, a scale of 4+ points); unset:
    # the first L1 item whose dimension is rating, grade, overall or satisfaction (compare.rating_question).
    rating_item: str | None = None
    # Erasmus+ priorities the programme serves, each with the activity types and items that address it.
    priorities: list[Priority] = Field(default_factory=list)
    # The steps of the plan milestones.csv follows, in order (e.g. the 6-step plan); empty: any step.
    milestone_steps: list[Coded] = Field(default_factory=list)
    # Dimensions of items.csv that make up a self-assessment block: the partners' commitments to each
    # other, and the added value of the programme's centre as its partners rate it (addressed to the centre).
    commitments: list[Coded] = Field(default_factory=list)
    added_value: list[Coded] = Field(default_factory=list)
    event_feedback: EventFeedback | None = None
    track_noun: TrackNoun = DEFAULT_TRACK_NOUN  # what the reports call a track: learning_track or pilot

    @field_validator("id")
    @classmethod
    def _safe_id(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError(
                f"expected 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit, got {value!r}"
            )
        return value

    @field_validator("waves", mode="before")
    @classmethod
    def _wave_short_forms(cls, value: object) -> object:
        return wave_entries(value)  # waves: [2024, 2025] (capeval.shortforms)

    @field_validator("min_group_size")
    @classmethod
    def _not_a_single_answer(cls, value: int, info: ValidationInfo) -> int:
        if value < SMALLEST_GROUP and not info.data.get("allow_small_groups"):
            raise ValueError(
                f"{value} lets a single respondent's answers be seen (with 2, each of the two can work out the "
                f"other's); use {SMALLEST_GROUP} or more (5 is usual), or add 'allow_small_groups: true' if it is "
                "on purpose"
            )
        return value

    @field_validator(
        "waves",
        "services",
        "scaling_ingredients",
        "activity_types",
        "priorities",
        "milestone_steps",
        "commitments",
        "added_value",
    )
    @classmethod
    def _distinct_ids(cls, value: list[Wave] | list[Coded]) -> list[Wave] | list[Coded]:
        ids = [entry.id for entry in value]
        twice = sorted({str(i) for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"id {', '.join(repr(i) for i in twice)} is listed twice; each id must be listed once")
        return value

    @field_validator("criteria")
    @classmethod
    def _distinct_criteria(cls, value: list[Criterion]) -> list[Criterion]:
        if len(set(value)) != len(value):
            raise ValueError("a criterion is listed twice")
        return value

    @model_validator(mode="after")
    def _declared_activity_types(self) -> ProgrammeConfig:
        declared = {a.id for a in self.activity_types}
        named = [t for p in self.priorities for t in p.activity_types]
        named += self.event_feedback.activity_types if self.event_feedback else []
        unknown = sorted({t for t in named if declared and t not in declared})
        if unknown:
            raise ValueError(
                f"activity type {', '.join(repr(t) for t in unknown)} is not in activity_types "
                f"({', '.join(sorted(declared))})"
            )
        return self

    @property
    def wave_ids(self) -> list[int]:
        return [w.id for w in self.waves]
