"""What report notebooks call: open a unit, then show each section.

Each section function returns a :class:`Section` that Jupyter displays as HTML.
"""

from __future__ import annotations

from collections.abc import Callable

from capeval.report import (
    sections,
    sections_activities,
    sections_findings,
    sections_gaps,
    sections_kirkpatrick,
    sections_scaling,
    sections_survey,
    sections_units,
)
from capeval.report.context import ReportContext, open_report


class Section:
    """HTML that Jupyter shows as rich output (and as text in a terminal)."""

    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def _shown(build: Callable[[ReportContext], str]) -> Callable[[ReportContext], Section]:
    def show(ctx: ReportContext) -> Section:
        return Section(build(ctx))

    show.__doc__ = build.__doc__
    show.__name__ = build.__name__
    return show


title = _shown(sections.title)
key_findings = _shown(sections_findings.key_findings)
activities = _shown(sections_activities.activities)
kirkpatrick = _shown(sections_kirkpatrick.kirkpatrick)
criteria = _shown(sections_kirkpatrick.criteria)
answers = _shown(sections_survey.answers)
gaps = _shown(sections_gaps.gaps)
lessons = _shown(sections_scaling.lessons)
scaling = _shown(sections_scaling.scaling)
actions = _shown(sections_scaling.actions)
method_notes = _shown(sections.method_notes)
provenance = _shown(sections.provenance)
headline = _shown(sections_units.headline)
partners_compared = _shown(sections_units.partners_compared)
tracks_compared = _shown(sections_units.tracks_compared)
intervention_mix = _shown(sections_units.intervention_mix_section)
waves = _shown(sections_units.waves_section)
gaps_compared = _shown(sections_units.gaps_compared)

__all__ = [
    "ReportContext",
    "Section",
    "actions",
    "activities",
    "answers",
    "criteria",
    "gaps",
    "gaps_compared",
    "headline",
    "intervention_mix",
    "key_findings",
    "kirkpatrick",
    "lessons",
    "method_notes",
    "open_report",
    "partners_compared",
    "provenance",
    "scaling",
    "title",
    "tracks_compared",
    "waves",
]
