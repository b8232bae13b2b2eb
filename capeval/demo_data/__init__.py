"""The texts and specifications of the five bundled demo programmes, as data.

One YAML file per programme (``<id>.yaml``) and one of shared texts (``texts.yaml``), read
and checked at load by the typed models below: :mod:`capeval.demo` turns each
:class:`DemoSpec` into a programme folder. Every organisation, place and person named in
them is fictional; e-mail addresses use the reserved ``example.*`` domains.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from capeval.errors import ProgrammeError
from capeval.yamlfile import read_yaml

__all__ = ["DemoSpec", "DemoTexts", "demo_specs", "demo_texts"]

ROOT = Path(__file__).resolve().parent
Language = Literal["nl", "en"]
Level = Literal["L1", "L2", "L3", "L4"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Strict):
    en: str
    nl: str


class ItemText(_Strict):
    """A survey question of the item bank; ``{thing}`` is filled per programme."""

    level: Level
    en: str
    nl: str


class DemoTexts(_Strict):
    """texts.yaml: what every demo programme draws its wording from."""

    programmes: list[str] = Field(min_length=1)  # the demo programmes, in the order they are built
    item_bank: dict[str, ItemText]
    scaling_labels: dict[Language, dict[str, str]]
    scaling_low: dict[Language, dict[str, str]]  # why an ingredient scored low: the rationale of low scores
    scaling_ok: dict[Language, str]
    neuter_nl: list[str]  # Dutch activity labels that take "het" rather than "de"
    # per language and method: (what_changed, significance, contribution) for msc/oh; (what_changed, planned,
    # actual, why_gap, sustain_improve) for aar; (what_changed,) for free. Placeholders: {topic} {activity}
    # {a_activity} {the_activity} {The_activity} {track} {partner} {year}
    lesson_templates: dict[Language, dict[Literal["msc", "oh", "aar", "free"], list[list[str]]]]
    domains: dict[Language, list[str]]
    artefacts: dict[Language, list[str]]
    contacts: dict[Language, list[str]]  # appended to a few lessons so that redaction has something to find

    @model_validator(mode="after")
    def _template_fields(self) -> DemoTexts:
        width = {"msc": 3, "oh": 3, "aar": 5, "free": 1}
        for language, methods in self.lesson_templates.items():
            for method, templates in methods.items():
                wrong = [t for t in templates if len(t) != width[method]]
                if wrong:
                    raise ValueError(f"lesson_templates.{language}.{method}: each needs {width[method]} texts")
        return self


class Track(_Strict):
    id: str
    name: str
    theme: str
    goal: str
    topics: list[str] = Field(min_length=1)  # what a lesson of this track is about


class ActivityType(_Strict):
    id: str
    label: str
    hours: tuple[float, float]
    fixed_cost: float
    track: str | None = None  # the track an activity of this type belongs to; None: the partner's track


class Coded(_Strict):
    id: str
    label: str


class PartnerKind(_Strict):
    match: str  # the first kind whose text is in the partner's name
    kind: str


class Partner(_Strict):
    name: str
    country: str


class ItemUse(_Strict):
    dimension: str
    criterion: str | None = None


class Recurring(_Strict):
    """One lesson, paraphrased, learned by 3-5 partners (of ``tracks`` when given)."""

    significance: str
    variants: list[str] = Field(min_length=1)
    tracks: list[str] = Field(default_factory=list)


class Step(_Strict):
    id: str
    label: str
    month: int  # planned this many months after the programme's first January
    evidence: str  # what shows the step was achieved, e.g. "signed deal"


class MilestonePlan(_Strict):
    """The plan each unit (every partner, or every track) follows: its steps in order."""

    units: Literal["partners", "tracks"]
    steps: list[Step] = Field(min_length=1)


class RatedDimension(_Strict):
    """One question of a self-assessment block: its dimension, label and text."""

    id: str
    label: str
    en: str
    nl: str
    shift: float = 0.0  # this question's answers lie this much above (or below) the block's mean


class Block(_Strict):
    """A block of questions answered by the partners' respondents about themselves or the programme."""

    level: Level
    criterion: str | None = None
    mean: float  # the answers' mean on the 1-5 scale
    dimensions: list[RatedDimension] = Field(min_length=1)


class NetworkEvent(_Strict):
    """The network's own yearly event (a conference) and the members' feedback on it."""

    type: Coded
    participants: int
    block: Block


class Priority(_Strict):
    id: str
    label: str
    activity_types: list[str] = Field(default_factory=list)
    items: list[str] = Field(default_factory=list)


class DemoSpec(_Strict):
    """One demo programme: everything :func:`capeval.demo.generate` needs."""

    id: str
    seed: int
    title: str
    description: str
    language: Language
    years: tuple[int, int]  # baseline, follow-up
    n_partners: int
    resp_range: tuple[int, int]  # respondents per partner before a few are made small or large
    rate_eur: float  # cost per participant-hour
    thing: Bilingual  # how an item names what it asks about
    tracks: list[Track] = Field(min_length=1)
    activity_types: list[ActivityType] = Field(min_length=1)
    services: list[Coded] = Field(min_length=1)
    partner_kinds: list[PartnerKind] = Field(min_length=1)
    partners: list[Partner] = Field(min_length=1)
    items: list[ItemUse] = Field(min_length=1)
    scale_tracks: bool  # tracks rate the Scaling Scan too
    recurring: list[Recurring] = Field(default_factory=list)
    criteria: list[str] | None = None
    milestones: MilestonePlan | None = None
    commitments: Block | None = None  # the partners' commitments to each other, self-assessed
    added_value: Block | None = None  # the centre's added value, as each pilot's partners rate it
    event: NetworkEvent | None = None
    priorities: list[Priority] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> DemoSpec:
        tracks = {t.id for t in self.tracks}
        named = {a.track for a in self.activity_types if a.track} | {t for r in self.recurring for t in r.tracks}
        if named - tracks:
            raise ValueError(f"unknown track(s) {sorted(named - tracks)}")
        if len(self.partners) < self.n_partners:
            raise ValueError(f"n_partners {self.n_partners} but {len(self.partners)} partners named")
        types = {a.id for a in self.activity_types} | ({self.event.type.id} if self.event else set())
        linked = {t for p in self.priorities for t in p.activity_types}
        if linked - types:
            raise ValueError(f"priorities name unknown activity types {sorted(linked - types)}")
        return self


def _load(name: str, model: type[BaseModel]) -> BaseModel:
    path = ROOT / f"{name}.yaml"
    data, _ = read_yaml(path, ProgrammeError)
    try:
        return model.model_validate(data)
    except ValidationError as exc:  # a mistake in the shipped data: say which file and where
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ProgrammeError(f"{where}: {first['msg']}", file=path.name) from exc


@cache
def demo_texts() -> DemoTexts:
    """texts.yaml, checked."""
    texts = _load("texts", DemoTexts)
    assert isinstance(texts, DemoTexts)
    return texts


@cache
def demo_specs() -> tuple[DemoSpec, ...]:
    """Every demo programme's specification, checked, in the order of texts.yaml's ``programmes``."""
    specs = []
    for name in demo_texts().programmes:
        spec = _load(name, DemoSpec)
        assert isinstance(spec, DemoSpec)
        if spec.id != name:
            raise ProgrammeError(f"id is {spec.id!r}, expected {name!r}", file=f"{name}.yaml")
        specs.append(spec)
    return tuple(specs)
