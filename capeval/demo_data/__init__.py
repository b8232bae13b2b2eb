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
from capeval.schema import DEFAULT_TRACK_NOUN, TrackNoun
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


class LessonContext(_Strict):
    """Wordings of a lesson's context fields; see :attr:`DemoTexts.lesson_context`."""

    contribution: list[str] = Field(min_length=1)
    planned: list[str] = Field(min_length=1)
    actual: list[str] = Field(min_length=1)
    months: list[str] = Field(min_length=12, max_length=12)


class DemoTexts(_Strict):
    """texts.yaml: what every demo programme draws its wording from."""

    programmes: list[str] = Field(min_length=1)  # the demo programmes, in the order they are built
    item_bank: dict[str, ItemText]
    scaling_labels: dict[Language, dict[str, str]]
    scaling_low: dict[Language, dict[str, str]]  # why an ingredient scored low: the rationale of low scores
    scaling_ok: dict[Language, str]
    neuter_nl: list[str]  # Dutch activity labels that take "het" rather than "de"
    # Where and when a lesson was learned, in several wordings per language: how the programme contributed
    # (MSC, OH) and what was planned and what happened (AAR). These fields are not what a lesson says it
    # learned (themes compare what_changed, significance, why_gap, sustain_improve), so a shared wording here
    # joins no lessons. Placeholders: {topic} {the_activity} {The_activity} {a_activity}
    # {A_activity} {month} {year} {participants}
    lesson_context: dict[Language, LessonContext]
    domains: dict[Language, list[str]]
    contacts: dict[Language, list[str]]  # appended to a few lessons so that redaction has something to find


class LessonText(_Strict):
    """One lesson a partner of the track learned, in its own words: what its method records.

    msc and oh need ``significance``; aar needs ``why_gap`` and ``sustain_improve``; free has only
    ``what_changed``. ``topic`` is one of the track's topics (the context fields name it).
    """

    topic: str
    method: Literal["msc", "oh", "aar", "free"]
    domain: str
    what_changed: str
    significance: str | None = None
    why_gap: str | None = None
    sustain_improve: str | None = None
    artefact: str | None = None
    adopted_by: list[str] = Field(default_factory=list)  # organisations that took the practice over

    @model_validator(mode="after")
    def _method_fields(self) -> LessonText:
        needed = {"msc": ("significance",), "oh": ("significance",), "aar": ("why_gap", "sustain_improve")}
        missing = [f for f in needed.get(self.method, ()) if getattr(self, f) is None]
        if missing:
            raise ValueError(f"a {self.method} lesson needs {', '.join(missing)}: {self.what_changed[:40]!r}")
        if self.adopted_by and self.artefact is None:
            raise ValueError(f"adopted_by without an artefact: {self.what_changed[:40]!r}")
        return self


class Track(_Strict):
    id: str
    name: str  # who takes part (a network, an expert team, a pilot): what was done is an activity type
    theme: str
    goal: str
    topics: list[str] = Field(min_length=1)  # what a lesson of this track is about
    lessons: list[LessonText] = Field(default_factory=list)  # each told by one partner of the track

    @model_validator(mode="after")
    def _lesson_topics(self) -> Track:
        unknown = sorted({lesson.topic for lesson in self.lessons} - set(self.topics))
        if unknown:
            raise ValueError(f"track {self.id}: lessons about topics it does not have: {unknown}")
        return self


class ActivityType(_Strict):
    id: str
    label: str
    hours: tuple[float, float]
    fixed_cost: float
    weight: float | None = None  # how often a partner runs one, relative to the others (None: all alike)


class Coded(_Strict):
    id: str
    label: str


class PartnerKind(_Strict):
    match: str  # the first kind whose text is in the partner's name
    kind: str


class Partner(_Strict):
    name: str
    country: str
    track: str | None = None  # the track it takes part in (None: drawn at random)


class ItemUse(_Strict):
    dimension: str
    criterion: str | None = None


class Recurring(_Strict):
    """One lesson, paraphrased, learned by 3-5 partners (in an activity of ``activity_types`` when given).

    ``theme`` is the analyst's name for it in lesson_themes.csv; a variant's artefact (when the
    partner wrote one) is the recurring ``artefact``, taken over by ``adopted_by``.
    """

    theme: str
    significance: str
    variants: list[str] = Field(min_length=2)
    activity_types: list[str] = Field(default_factory=list)
    artefact: str | None = None
    adopted_by: list[str] = Field(default_factory=list)


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
    track_noun: TrackNoun = DEFAULT_TRACK_NOUN  # what its reports call a track (the expertise centre: pilot)
    # The evaluator's words (narrative/<path>.md): path (programme, partners/<id>, tracks/<id>) -> Markdown
    narrative: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> DemoSpec:
        tracks = {t.id for t in self.tracks}
        named = {p.track for p in self.partners if p.track}
        if named - tracks:
            raise ValueError(f"unknown track(s) {sorted(named - tracks)}")
        if len(self.partners) < self.n_partners:
            raise ValueError(f"n_partners {self.n_partners} but {len(self.partners)} partners named")
        types = {a.id for a in self.activity_types} | ({self.event.type.id} if self.event else set())
        recurring = {t for r in self.recurring for t in r.activity_types}
        if recurring - types:
            raise ValueError(f"recurring lessons name unknown activity type(s) {sorted(recurring - types)}")
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
