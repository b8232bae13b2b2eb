"""The source documents' own concepts in the demo programmes, added to what :func:`capeval.demo.generate` drew.

Each comes from a :class:`~capeval.demo_data.DemoSpec` field, and is drawn from a generator of
its own so that the demo's other tables stay as they were: the milestones of a plan
(``milestones.csv``), a self-assessment block of survey questions (the partners' commitments, the
centre's added value), the network's yearly conference with the members' feedback on it, and the
Erasmus+ priorities with the activity types and questions that serve them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from capeval.demo_data import Block, DemoSpec, MilestonePlan

CONCEPT_SEED = 7_000  # added to the programme's seed: the concepts' own random numbers
# A plan is looked at as it stood at the end of the follow-up year's November (the follow-up's report).
AS_OF_MONTH, AS_OF_DAY = 11, 30


def add_concepts(spec: DemoSpec, config: dict[str, Any], tables: dict[str, pd.DataFrame]) -> None:
    """Add the concepts ``spec`` declares to ``config`` (programme.yaml) and ``tables``, in place."""
    rng = np.random.default_rng(spec.seed + CONCEPT_SEED)
    if spec.milestones is not None:
        units = (
            list(tables["partners"].partner_id) if spec.milestones.units == "partners" else [t.id for t in spec.tracks]
        )
        tables["milestones"] = milestones(spec.milestones, units, spec.years, rng)
        config["milestone_steps"] = [{"id": s.id, "label": s.label} for s in spec.milestones.steps]
    if spec.commitments is not None:  # the partner's own people say how their organisation keeps its commitments
        _add_block(spec.commitments, tables, _block_answers(spec.commitments, tables, rng, waves=(1, 2), team=(3, 8)))
        config["commitments"] = _dimensions(spec.commitments)
    if spec.added_value is not None:  # each pilot's partners rate the centre at the end of the pilot
        _add_block(spec.added_value, tables, _block_answers(spec.added_value, tables, rng, waves=(2,), team=(2, 7)))
        config["added_value"] = _dimensions(spec.added_value)
    if spec.event is not None:
        events = _conferences(spec, tables, rng)
        tables["activities"] = pd.concat([tables["activities"], events], ignore_index=True)
        _add_block(spec.event.block, tables, _event_answers(spec, events, tables, rng))
        config["activity_types"].append({"id": spec.event.type.id, "label": spec.event.type.label})
        config["event_feedback"] = {
            "activity_types": [spec.event.type.id],
            "dimensions": _dimensions(spec.event.block),
        }
    if spec.priorities:
        config["priorities"] = [p.model_dump() for p in spec.priorities]


def milestones(plan: MilestonePlan, units: list[str], years: tuple[int, int], rng: np.random.Generator) -> pd.DataFrame:
    """Each unit's steps: planned in order; achieved (or not yet) as of the follow-up year's end of November."""
    as_of = dt.date(years[1], AS_OF_MONTH, AS_OF_DAY)
    start = dt.date(years[0], 1, 1)
    rows = []
    for unit in units:
        pace = float(rng.choice([0.0, 20.0, 60.0], p=(0.5, 0.3, 0.2)))  # some units run late on every step
        previous: dt.date | None = start
        for step in plan.steps:
            planned = _months_after(start, step.month) + dt.timedelta(days=int(rng.integers(0, 21)))
            achieved: dt.date | None = None
            if previous is not None and planned <= as_of:
                late = planned + dt.timedelta(days=int(pace + rng.integers(-10, 45)))
                achieved = max(late, previous) if rng.random() < 0.9 else None
                achieved = achieved if achieved is not None and achieved <= as_of else None
            if achieved is not None:
                status, evidence = "achieved", step.evidence
            elif planned > as_of:
                status, evidence = "planned", None
            else:
                status, evidence = ("delayed" if (as_of - planned).days > 30 else "in_progress"), None
            rows.append(
                {
                    "unit_id": unit,
                    "step": step.id,
                    "planned": planned.isoformat(),
                    "achieved": achieved.isoformat() if achieved else None,
                    "status": status,
                    "evidence": evidence,
                }
            )
            previous = achieved
    return pd.DataFrame(rows)


def _months_after(start: dt.date, months: int) -> dt.date:
    year, month = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + year, month + 1, 1)


def _dimensions(block: Block) -> list[dict[str, str]]:
    return [{"id": d.id, "label": d.label} for d in block.dimensions]


def _block_items(block: Block) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "item_id": f"{block.level}_{d.id}",
                "text_nl": d.nl,
                "text_en": d.en,
                "level": block.level,
                "dimension": d.id,
                "criterion": block.criterion,
                "scale_min": 1,
                "scale_max": 5,
            }
            for d in block.dimensions
        ]
    )


def _add_block(block: Block, tables: dict[str, pd.DataFrame], answers: pd.DataFrame) -> None:
    tables["items"] = pd.concat([tables["items"], _block_items(block)], ignore_index=True)
    responses = pd.concat([tables["responses"], answers], ignore_index=True)
    tables["responses"] = responses.sort_values(
        ["partner_id", "respondent_id", "wave", "item_id"], kind="stable"
    ).reset_index(drop=True)


def _values(block: Block, who: int, rng: np.random.Generator, offset: np.ndarray) -> np.ndarray:
    """Answers 1-5 of ``who`` people to every question of the block, around its mean plus ``offset`` each."""
    shifts = np.array([d.shift for d in block.dimensions])
    noise = rng.normal(0, 0.7, size=(who, len(shifts)))
    values: np.ndarray = np.clip(np.round(block.mean + shifts + offset[:, None] + noise), 1, 5).astype(int)
    return values


def _block_answers(
    block: Block,
    tables: dict[str, pd.DataFrame],
    rng: np.random.Generator,
    *,
    waves: tuple[int, ...],
    team: tuple[int, int],
) -> pd.DataFrame:
    """A few of each partner's respondents answer the block about their organisation (no activity)."""
    responses = tables["responses"]
    rows = []
    for partner, answered in responses.groupby("partner_id", sort=True):
        partner_offset = rng.normal(0, 0.4)
        for wave in waves:
            people = sorted(set(answered.loc[answered.wave == wave, "respondent_id"]))
            if not people:
                continue
            size = min(len(people), int(rng.integers(*team)))
            chosen = sorted(rng.choice(people, size=size, replace=False))
            values = _values(block, size, rng, np.full(size, partner_offset + 0.2 * (wave - 1)))
            for person, answers in zip(chosen, values, strict=True):
                rows += [
                    {
                        "respondent_id": person,
                        "partner_id": partner,
                        "activity_id": None,
                        "wave": wave,
                        "item_id": f"{block.level}_{d.id}",
                        "value": int(v),
                    }
                    for d, v in zip(block.dimensions, answers, strict=True)
                ]
    return pd.DataFrame(rows)


def _conferences(spec: DemoSpec, tables: dict[str, pd.DataFrame], rng: np.random.Generator) -> pd.DataFrame:
    """The network's conference of each year, hosted by a member in turn (one with room in its programme)."""
    assert spec.event is not None
    activities = tables["activities"]
    per_partner = activities.groupby("partner_id").size()
    hosts = sorted(per_partner[per_partner < per_partner.max()].index)
    chosen = rng.choice(hosts, size=2, replace=False)
    rows = []
    for year, host in zip(spec.years, chosen, strict=True):
        hours = 12.0
        rows.append(
            {
                "activity_id": f"{host}-C{year}",
                "partner_id": host,
                "track_id": None,
                "type": spec.event.type.id,
                "date": dt.date(year, 10, 7 + int(rng.integers(0, 14))).isoformat(),
                "participants": spec.event.participants,
                "hours": hours,
                "cost_eur": int(round(8000 + spec.event.participants * hours * spec.rate_eur, -1)),
            }
        )
    frame = pd.DataFrame(rows)
    frame["cost_eur"] = frame["cost_eur"].astype("Int64")
    return frame


def _event_answers(
    spec: DemoSpec, events: pd.DataFrame, tables: dict[str, pd.DataFrame], rng: np.random.Generator
) -> pd.DataFrame:
    """One or two of most members' respondents of that year answer the feedback form on its conference."""
    assert spec.event is not None
    block = spec.event.block
    responses = tables["responses"]
    rows = []
    for wave, event in enumerate(events.to_dict("records"), start=1):
        present = []
        for partner, answered in responses[responses.wave == wave].groupby("partner_id", sort=True):
            if rng.random() < 0.75:
                people = sorted(set(answered["respondent_id"]))
                size = min(len(people), int(rng.integers(1, 3)))
                present += [(partner, person) for person in sorted(rng.choice(people, size=size, replace=False))]
        present = present[: event["participants"]]
        values = _values(block, len(present), rng, rng.normal(0, 0.3, size=len(present)))
        for (partner, person), answers in zip(present, values, strict=True):
            rows += [
                {
                    "respondent_id": person,
                    "partner_id": partner,
                    "activity_id": event["activity_id"],
                    "wave": wave,
                    "item_id": f"{block.level}_{d.id}",
                    "value": int(v),
                }
                for d, v in zip(block.dimensions, answers, strict=True)
            ]
    return pd.DataFrame(rows)
