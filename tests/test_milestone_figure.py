"""The milestones timeline: the same plan gives the same PNG bytes, and the alt text states the finding."""

from __future__ import annotations

import pandas as pd

from capeval.analysis.milestones import milestone_timeline
from capeval.figures import png_bytes
from capeval.report.figures_milestones import latest_date, milestone_dates, milestone_spread
from capeval.report.milestones import timeline_alt

STEPS = ["inventory", "baseline", "goal", "deal", "plan", "flowchart"]
LABELS = {k: k for k in ("planned", "on_time", "late", "open", "dropped", "latest")}
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]


def _plan(unit: str = "R1") -> pd.DataFrame:
    # inventory 10 days early, baseline 5 days late, goal 61 days late, deal 40 days late; plan open, flowchart dropped
    rows = [
        ("inventory", "2024-02-01", "2024-01-22", None),
        ("baseline", "2024-04-01", "2024-04-06", None),
        ("goal", "2024-06-01", "2024-08-01", None),
        ("deal", "2024-09-01", "2024-10-11", None),
        ("plan", "2024-10-01", None, None),
        ("flowchart", "2025-03-01", None, "dropped"),
    ]
    return pd.DataFrame(
        [{"unit_id": unit, "step": s, "planned": p, "achieved": a, "status": st} for s, p, a, st in rows]
    )


def _timeline(frame: pd.DataFrame) -> pd.DataFrame:
    timeline = milestone_timeline(frame, STEPS)
    return timeline.assign(step_label=timeline["step"].str.title())


def test_alt_text_counts_achieved_late_by_more_than_a_month_open_and_dropped() -> None:
    timeline = _timeline(_plan())
    assert timeline_alt(timeline, "en") == (
        "Timeline of the plan: 4 of 6 steps achieved, 2 of them more than a month late; still open: 1; dropped: 1."
    )
    assert timeline_alt(timeline, "nl") == (
        "Tijdlijn van het plan: 4 van de 6 stappen gerealiseerd, waarvan 2 meer dan een maand te laat; "
        "nog open: 1; geschrapt: 1."
    )
    both = _timeline(pd.concat([_plan("R1"), _plan("R2")], ignore_index=True))
    assert timeline_alt(both, "en").startswith("Timeline of the plans of 2 units: 8 of their 12 steps achieved, 4 of")


def test_latest_date_is_the_latest_achieved_date_not_today() -> None:
    assert latest_date(_timeline(_plan())) == pd.Timestamp("2024-10-11")
    assert latest_date(_timeline(_plan()).assign(achieved=pd.NaT)) is None


def test_same_plan_gives_the_same_png_bytes_and_another_plan_other_bytes() -> None:
    timeline = _timeline(_plan())
    latest = latest_date(timeline)

    def draw(frame: pd.DataFrame) -> bytes:
        return png_bytes(milestone_dates(frame, latest=latest, labels=LABELS, months=MONTHS))

    first = draw(timeline)
    assert first.startswith(b"\x89PNG") and first == draw(timeline.copy())
    assert draw(timeline.assign(achieved=timeline["achieved"].shift(1))) != first
    both = _timeline(pd.concat([_plan("R1"), _plan("R2")], ignore_index=True))
    both["step_label"] += " US$ 5k and US$ 2k"  # data text with dollar signs is text, not mathtext
    spread = [png_bytes(milestone_spread(both, latest=latest, labels=LABELS, months=MONTHS)) for _ in range(2)]
    assert spread[0] == spread[1] and spread[0].startswith(b"\x89PNG")
