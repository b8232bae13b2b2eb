"""The demo programmes' data drawn from their specifications: programme.yaml content and the tidy tables.

:func:`generate` turns one specification of :func:`capeval.demo_data.demo_specs` into the
config and tables that :mod:`capeval.demo` writes as a programme folder. The data are
invented but tell stories a report should find (see :mod:`capeval.demo`); a fixed seed per
programme makes them the same on every run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from capeval.analysis.respondents import respondent_key
from capeval.demo_concepts import add_concepts
from capeval.demo_data import DemoSpec, demo_texts
from capeval.demo_lessons import lesson_themes, lessons
from capeval.schema import DEFAULT_SCALING_INGREDIENTS, DEFAULT_TRACK_NOUN

__all__ = ["generate"]

RATERS = ("self", "peer", "coordinator")
LEVELS = ("L1", "L2", "L3", "L4")
# story -> (mean per Kirkpatrick level at baseline, change at follow-up)
STORIES: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "steady": ((4.0, 3.7, 3.7, 3.4), (0.1, 0.3, 0.3, 0.3)),
    "broken_chain": ((4.5, 3.9, 2.1, 1.9), (0.0, 0.3, 0.0, 0.0)),
    "improver": ((3.3, 2.8, 2.6, 2.4), (0.5, 0.9, 0.9, 0.7)),
    "struggling": ((2.8, 2.6, 2.3, 2.1), (0.0, 0.1, 0.0, 0.0)),
}
STORY_P = (0.45, 0.2, 0.2, 0.15)
DIMENSION_SHIFT = {"engagement": 0.2, "drivers": -0.3, "indicator": -0.3, "value_for_time": -0.1}
WAVE_LABELS = {"en": ("baseline", "follow-up"), "nl": ("nulmeting", "vervolgmeting")}
Rows = list[dict[str, Any]]


def generate(spec: DemoSpec) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """One programme from its specification: programme.yaml content and its tables."""
    rng = np.random.default_rng(spec.seed)
    lang = spec.language
    partners = _partners(spec, rng)
    activities = _activities(spec, partners, rng)
    items = _items(spec)
    responses = _responses(partners, activities, items, rng)
    answered = respondent_key(responses).groupby(responses["activity_id"]).nunique()
    answered_here = activities["activity_id"].map(answered).fillna(0).astype(int)
    activities["participants"] = np.maximum(activities["participants"], answered_here)
    tables = {
        "tracks": pd.DataFrame(
            [(t.id, t.name, t.theme, t.goal) for t in spec.tracks], columns=["track_id", "name", "theme", "goal"]
        ),
        "partners": partners.drop(columns=["story", "n_resp"]),
        "activities": activities.drop(columns=["wave"]),
        "items": items,
        "responses": responses,
        "portfolio": _portfolio(spec, partners, rng),
        "scaling": _scaling(spec, partners, rng),
        "lessons": lessons(spec, partners, activities, rng),
    }
    years = spec.years
    texts = demo_texts()
    config: dict[str, Any] = {
        "id": spec.id,
        "title": spec.title,
        "language": lang,
        "description": spec.description,
        "min_group_size": 5,
        "min_comments": 10,
        "waves": [{"id": i + 1, "label": WAVE_LABELS[lang][i], "year": years[i]} for i in range(2)],
        "services": [{"id": s.id, "label": s.label} for s in spec.services],
        "scaling_ingredients": [{"id": i, "label": texts.scaling_labels[lang][i]} for i in DEFAULT_SCALING_INGREDIENTS],
        "activity_types": [{"id": t.id, "label": t.label} for t in spec.activity_types],
    }
    if spec.track_noun != DEFAULT_TRACK_NOUN:
        config["track_noun"] = spec.track_noun
    if spec.criteria is not None:  # the default (six OECD DAC criteria) unless the programme declares more
        config["criteria"] = list(spec.criteria)
    if any(item.dimension == "satisfaction" for item in spec.items):
        # "Overall, I am satisfied with ..." (1-5) is each demo's overall rating: the headline's rating question
        config["rating_item"] = "L1_satisfaction"
    tables["lesson_themes"] = lesson_themes(spec, tables["lessons"])
    add_concepts(spec, config, tables)  # drawn from a generator of their own: the tables above stay as they were
    return config, tables


def _partners(spec: DemoSpec, rng: np.random.Generator) -> pd.DataFrame:
    n = spec.n_partners
    prefix = spec.id[:3].upper()
    tracks = [t.id for t in spec.tracks]
    track_of = [tracks[i % len(tracks)] for i in range(n)]
    rng.shuffle(track_of)  # drawn even when every partner names its track: the draws after stay as they were
    track_of = [partner.track or drawn for partner, drawn in zip(spec.partners[:n], track_of, strict=True)]
    stories = list(rng.choice(list(STORIES), size=n, p=STORY_P))
    for i in rng.choice(n, size=2, replace=False):  # at least two broken chains
        stories[i] = "broken_chain"
    lo, hi = spec.resp_range
    n_resp = rng.integers(lo, hi + 1, size=n)
    order = rng.permutation(n)
    n_small, n_big = 2 + n // 15, 3 + n // 12
    n_resp[order[:n_small]] = rng.integers(2, 5, size=n_small)
    n_resp[order[n_small : n_small + n_big]] = rng.integers(20, 61, size=n_big)
    rows = []
    for i, partner in enumerate(spec.partners[:n]):
        kind = next(k.kind for k in spec.partner_kinds if k.match in partner.name)
        rows.append(
            {
                "partner_id": f"{prefix}{i + 1:02d}",
                "name": partner.name,
                "kind": kind,
                "country": partner.country,
                "track_id": track_of[i],
                "story": stories[i],
                "n_resp": int(n_resp[i]),
            }
        )
    return pd.DataFrame(rows)


def _activities(spec: DemoSpec, partners: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    types = spec.activity_types
    given = [t.weight if t.weight is not None else 1.0 for t in types]
    weights = np.array(given) / sum(given) if any(t.weight is not None for t in types) else None
    rows: Rows = []
    for p in partners.to_dict("records"):
        n_act = int(np.clip(3 + p["n_resp"] // 7 + rng.integers(0, 3), 3, 12))
        n_first = int(np.clip(n_act // 2 + rng.integers(-1, 2), 1, n_act - 1))
        planned = []
        for k in range(n_act):
            kind = types[
                int(rng.choice(len(types), p=weights)) if weights is not None else int(rng.integers(len(types)))
            ]
            wave = 1 if k < n_first else 2
            day = dt.date(spec.years[wave - 1], 1, 10) + dt.timedelta(days=int(rng.integers(0, 340)))
            planned.append((wave, day, kind))
        planned.sort(key=lambda a: (a[0], a[1]))
        for k, (wave, day, kind) in enumerate(planned):
            participants = int(rng.integers(3, 41))
            hours = float(np.round(rng.uniform(*kind.hours) * 2) / 2)
            cost = kind.fixed_cost + participants * hours * spec.rate_eur * rng.uniform(0.7, 1.3)
            rows.append(
                {
                    "activity_id": f"{p['partner_id']}-A{k + 1:02d}",
                    "partner_id": p["partner_id"],
                    "track_id": p["track_id"],  # who takes part; the type says what was done
                    "type": kind.id,
                    "date": day.isoformat(),
                    "participants": participants,
                    "hours": hours,
                    "cost_eur": int(round(cost, -1)) if rng.random() > 0.04 else None,
                    "wave": wave,
                }
            )
    frame = pd.DataFrame(rows)
    frame["cost_eur"] = frame["cost_eur"].astype("Int64")
    return frame


def _items(spec: DemoSpec) -> pd.DataFrame:
    bank = demo_texts().item_bank
    rows = []
    for use in spec.items:
        text = bank[use.dimension]
        wide = use.dimension == "recommend"
        rows.append(
            {
                "item_id": f"{text.level}_{use.dimension}",
                "text_nl": text.nl.format(thing=spec.thing.nl),
                "text_en": text.en.format(thing=spec.thing.en),
                "level": text.level,
                "dimension": use.dimension,
                "criterion": use.criterion,
                "scale_min": 0 if wide else 1,
                "scale_max": 10 if wide else 5,
            }
        )
    return pd.DataFrame(rows)


def _responses(
    partners: pd.DataFrame, activities: pd.DataFrame, items: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    rows: Rows = []
    item_list = items.to_dict("records")
    for p in partners.to_dict("records"):
        base, change = (np.array(v) for v in STORIES[p["story"]])
        offset = rng.normal(0, 0.25)
        # each respondent answers both waves (pairable), only the baseline, or only the follow-up
        pattern = rng.choice(3, size=p["n_resp"], p=(0.4, 0.33, 0.27))
        effect = rng.normal(0, 0.45, size=p["n_resp"])
        for wave in (1, 2):
            who = [r for r in range(p["n_resp"]) if pattern[r] in ((0, 1) if wave == 1 else (0, 2))]
            acts = activities[(activities.partner_id == p["partner_id"]) & (activities.wave == wave)]
            act_ids = list(acts.activity_id)
            means = base + (change if wave == 2 else 0) + offset
            for slot, r in enumerate(rng.permutation(who)):
                activity = act_ids[slot % len(act_ids)]
                noise = rng.normal(0, 0.6, size=len(item_list))
                skip = rng.random(len(item_list)) < 0.04
                skip[0] = False
                for j, item in enumerate(item_list):
                    if skip[j]:
                        continue
                    mu = means[LEVELS.index(item["level"])] + DIMENSION_SHIFT.get(item["dimension"], 0) + effect[r]
                    value = 2 * mu + 0.5 + 2 * noise[j] if item["scale_max"] == 10 else mu + noise[j]
                    rows.append(
                        {
                            "respondent_id": f"{p['partner_id']}-R{r + 1:02d}",
                            "partner_id": p["partner_id"],
                            "activity_id": activity,
                            "wave": wave,
                            "item_id": item["item_id"],
                            "value": int(np.clip(round(value), 0 if item["scale_max"] == 10 else 1, item["scale_max"])),
                        }
                    )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["partner_id", "respondent_id", "wave", "item_id"], kind="stable").reset_index(drop=True)


def _portfolio(spec: DemoSpec, partners: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows: Rows = []
    for p in partners.to_dict("records"):
        spread = 3 if rng.random() < 0.2 else 1  # some partners: least consensus between respondents
        truth: dict[tuple[int, str], tuple[bool, int, bool, int]] = {}
        for service in (s.id for s in spec.services):
            now = bool(rng.random() < 0.7)
            q_now = int(rng.integers(3, 8))
            desired = now or bool(rng.random() < 0.6)
            gap = int(rng.choice(5, p=(0.12, 0.25, 0.28, 0.23, 0.12)))
            q_des = min(10, q_now + gap) if now else int(rng.integers(6, 10))
            truth[(1, service)] = (now, q_now, desired, q_des)
            if not now and desired and rng.random() < 0.35:  # started offering it
                now, q_now = True, int(rng.integers(4, 6))
            elif now and rng.random() < 0.6:
                q_now = min(10, q_now + 1)
            truth[(2, service)] = (now, q_now, desired, q_des)
        for wave in (1, 2):
            for k in range(int(rng.integers(1, 5))):
                for service in (s.id for s in spec.services):
                    now, q_now, desired, q_des = truth[(wave, service)]
                    if rng.random() < 0.05:
                        now = not now
                    q1 = int(np.clip(q_now + rng.integers(-spread, spread + 1), 1, 10))
                    # a rater keeps the agreed gap mostly; desired stays at or above current
                    q2 = q1 + q_des - q_now if now else q_des
                    q2 += int(rng.integers(-1, 2)) if rng.random() < 0.3 else 0
                    q2 = int(np.clip(q2, q1 if now else 1, 10))
                    rows.append(
                        {
                            "partner_id": p["partner_id"],
                            "respondent_id": f"{p['partner_id']}-K{k + 1}",
                            "wave": wave,
                            "service": service,
                            "offered_now": "yes" if now else "no",
                            "quality_now": q1 if now else None,
                            "offered_desired": "yes" if desired else "no",
                            "quality_desired": q2 if desired else None,
                        }
                    )
    frame = pd.DataFrame(rows)
    for column in ("quality_now", "quality_desired"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _scaling(spec: DemoSpec, partners: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    lang = spec.language
    texts = demo_texts()
    ingredients = list(DEFAULT_SCALING_INGREDIENTS)
    units = list(partners.partner_id) + ([t.id for t in spec.tracks] if spec.scale_tracks else [])
    hard = list(rng.choice(len(ingredients), size=2, replace=False))  # programme-wide weak spots
    patterns = list(rng.choice(["clear", "tie", "noisy"], size=len(units), p=(0.9, 0.05, 0.05)))
    for i in rng.choice(len(units), size=2, replace=False):
        patterns[i] = "tie"
    rows: Rows = []
    for unit, pattern in zip(units, patterns, strict=True):
        profile = rng.uniform(2.8, 4.2, size=len(ingredients))
        profile[hard] -= 0.5
        first = int(rng.choice(hard)) if rng.random() < 0.5 else int(rng.integers(len(ingredients)))
        second = int(rng.choice([i for i in range(len(ingredients)) if i != first]))
        lowest = {"clear": [first], "tie": [first, second], "noisy": []}[pattern]
        for wave in (1, 2):
            raters = RATERS[: int(rng.integers(2, 4))]
            low = rng.integers(1, 3 + (wave - 1), size=len(raters))  # same low scores for tied ingredients
            for r, rater in enumerate(raters):
                noisy = np.round(profile + 0.3 * (wave - 1) + rng.normal(0, 0.6, size=len(ingredients)))
                scores = np.clip(noisy, low.max() + 1 if lowest else 1, 5)
                scores[lowest] = low[r]
                for i, ingredient in enumerate(ingredients):
                    score = int(scores[i])
                    ok = score >= 4 and rng.random() < 0.1
                    ok_text = texts.scaling_ok[lang]
                    rows.append(
                        {
                            "unit_id": unit,
                            "wave": wave,
                            "rater": rater,
                            "ingredient": ingredient,
                            "score": score,
                            "rationale": texts.scaling_low[lang][ingredient] if score <= 2 else ok_text if ok else None,
                            # the unit's own roles agree to be quoted to others; the peer from elsewhere does not
                            "consent_to_quote": "no" if rater == "peer" else "yes",
                        }
                    )
    return pd.DataFrame(rows)
