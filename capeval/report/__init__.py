"""What report notebooks call: open a unit, then show each section.

Each section lives in a module of its own (``capeval/report/<module>.py``, see :data:`SECTIONS`);
the function of the same name here returns a :class:`Section` that Jupyter displays as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from capeval.report.context import ReportContext, open_report

# notebook name -> (module, function) of the section that draws it
SECTIONS: dict[str, tuple[str, str]] = {
    "title": ("title", "title"),
    "key_findings": ("findings", "key_findings"),
    "headline": ("headline", "headline"),
    "activities": ("activities", "activities"),
    "kirkpatrick": ("kirkpatrick", "kirkpatrick"),
    "criteria": ("criteria", "criteria"),
    "answers": ("answers", "answers"),
    "gaps": ("gaps", "gaps"),
    "lessons": ("lessons", "lessons"),
    "scaling": ("scaling", "scaling"),
    "actions": ("actions", "actions"),
    "method_notes": ("method", "method_notes"),
    "provenance": ("provenance", "provenance"),
    "partners_compared": ("partners_compared", "partners_compared"),
    "tracks_compared": ("tracks_compared", "tracks_compared"),
    "intervention_mix": ("mix", "intervention_mix_section"),
    "waves": ("waves", "waves_section"),
    "gaps_compared": ("gaps_compared", "gaps_compared"),
}


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


def _section(name: str) -> Callable[[ReportContext], Section]:
    module, function = SECTIONS[name]
    return _shown(getattr(import_module(f"capeval.report.{module}"), function))


# importing ``capeval.report.title`` binds the module to ``report.title``; the functions below
# rebind the names to the sections, as notebooks call them (``report.title(ctx)``)
title = _section("title")
key_findings = _section("key_findings")
headline = _section("headline")
activities = _section("activities")
kirkpatrick = _section("kirkpatrick")
criteria = _section("criteria")
answers = _section("answers")
gaps = _section("gaps")
lessons = _section("lessons")
scaling = _section("scaling")
actions = _section("actions")
method_notes = _section("method_notes")
provenance = _section("provenance")
partners_compared = _section("partners_compared")
tracks_compared = _section("tracks_compared")
intervention_mix = _section("intervention_mix")
waves = _section("waves")
gaps_compared = _section("gaps_compared")

__all__ = [
    "SECTIONS",
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
