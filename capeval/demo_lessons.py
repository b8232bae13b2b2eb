"""The lessons of a demo programme: each track's own lessons, told once, and the recurring ones, paraphrased.

:func:`lessons` draws who tells which lesson (from the programme's random numbers, after the
survey answers, so the imported exports stay as they were); :func:`lesson_themes` writes the
analyst's confirmation of the designed recurring lessons (``lesson_themes.csv``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from capeval.demo_data import DemoSpec, Recurring, demo_texts

__all__ = ["lesson_themes", "lessons"]

LESSON_ORDER_SEED = 9_000  # added to the programme's seed: the order in which a track's lessons are told
Rows = list[dict[str, Any]]


def lessons(spec: DemoSpec, partners: pd.DataFrame, activities: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Two or three lessons per partner (more when it shares several recurring ones), each in the partner's track.

    A recurring lesson (:attr:`DemoSpec.recurring`) is told in its own words by 3-5 partners that ran an
    activity of its types; the others are the track's own lessons (:attr:`Track.lessons`), each told by
    one partner, so no two partners say the same thing by accident. The context fields (how the
    programme contributed, what was planned and what happened) name the activity, its date and topic.
    """
    texts = demo_texts()
    lang = spec.language
    tracks = {t.id: t for t in spec.tracks}
    recurring = _tellers(spec, partners, activities, rng)
    order = np.random.default_rng(spec.seed + LESSON_ORDER_SEED)  # its own: a longer list changes no other draw
    told = {t.id: [t.lessons[i] for i in order.permutation(len(t.lessons))] for t in spec.tracks}
    rows: Rows = []
    for p in partners.to_dict("records"):
        acts = activities[activities.partner_id == p["partner_id"]].reset_index(drop=True)
        own = recurring[p["partner_id"]]
        track = tracks[p["track_id"]]
        for n in range(max(len(own), 2 + int(rng.random() < 0.2))):
            theme: Recurring | None = spec.recurring[own[n][0]] if n < len(own) else None
            types = theme.activity_types if theme is not None and theme.activity_types else list(set(acts.type))
            pool = acts[acts.type.isin(types)].reset_index(drop=True)
            act = pool.iloc[int(rng.integers(len(pool)))]
            row: dict[str, Any] = {"partner_id": p["partner_id"], "track_id": track.id, "wave": int(act["wave"])}
            if theme is not None:
                method = str(rng.choice(["msc", "oh", "free"]))
                method = method if own[n][1] == 0 else "free"  # one teller says why: a shared sentence is a template
                topic = track.topics[int(rng.integers(len(track.topics)))]
                row["what_changed"] = theme.variants[own[n][1]]
                row["significance"] = theme.significance if method != "free" else None
                row["domain"] = texts.domains[lang][int(rng.integers(len(texts.domains[lang])))]
                if theme.artefact is not None and own[n][1] == 0:  # the first teller wrote the artefact down
                    others = [name for name in theme.adopted_by if name != p["name"]]  # never its own teller
                    row["artefact"], row["adopted_by"] = theme.artefact, "; ".join(others) or None
            else:
                if not told[track.id]:
                    raise ValueError(f"{spec.id}: track {track.id} needs more lessons than its {len(track.lessons)}")
                lesson = told[track.id].pop()
                method, topic = lesson.method, lesson.topic
                row |= lesson.model_dump(include={"what_changed", "significance", "why_gap", "sustain_improve"})
                row["domain"] = lesson.domain
                row["artefact"] = lesson.artefact
                row["adopted_by"] = "; ".join(n for n in lesson.adopted_by if n != p["name"]) or None  # not its teller
            row |= _context_fields(spec, method, topic, act, int(rng.integers(1 << 16)))
            row["method"] = method
            row["consent_to_quote"] = "yes" if rng.random() < 0.85 else "no"
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame.insert(0, "lesson_id", [f"{spec.id[:3].upper()}-L{i + 1:03d}" for i in range(len(frame))])
    for k, i in enumerate(sorted(rng.choice(len(frame), size=4, replace=False))):  # contact details to redact
        frame.loc[i, "what_changed"] += texts.contacts[lang][k]
    return frame


def _tellers(
    spec: DemoSpec, partners: pd.DataFrame, activities: pd.DataFrame, rng: np.random.Generator
) -> dict[str, list[tuple[int, int]]]:
    """Per partner, the recurring lessons it tells: (theme number, variant number)."""
    recurring: dict[str, list[tuple[int, int]]] = {pid: [] for pid in partners.partner_id}
    for theme_no, theme in enumerate(spec.recurring):  # the same lesson, paraphrased, at 3-5 partners
        able = activities[activities.type.isin(theme.activity_types)] if theme.activity_types else activities
        eligible = np.array(sorted(set(able.partner_id)))  # a lesson about exchanges: partners who had one
        size = min(len(eligible), int(rng.integers(3, 6)))
        chosen = rng.choice(eligible, size=size, replace=False)
        for k, pid in enumerate(chosen):
            recurring[str(pid)].append((theme_no, k % len(theme.variants)))
    return recurring


def _context_fields(spec: DemoSpec, method: str, topic: str, act: pd.Series, pick: int) -> dict[str, str]:
    """How the programme contributed (msc, oh), or what was planned and what happened (aar), worded by ``pick``."""
    texts = demo_texts()
    context = texts.lesson_context[spec.language]
    label = _activity_label(spec, str(act["type"]))
    the, a = _articles(spec.language, label, texts.neuter_nl)
    day = dt.date.fromisoformat(str(act["date"]))
    fill = {
        "topic": topic,
        "the_activity": f"{the} {label}",
        "The_activity": f"{the.capitalize()} {label}",
        "a_activity": f"{a} {label}",
        "A_activity": f"{a.capitalize()} {label}",
        "month": context.months[day.month - 1],
        "year": day.year,
        "participants": int(act["participants"]),
    }
    if method in ("msc", "oh"):
        return {"contribution": context.contribution[pick % len(context.contribution)].format(**fill)}
    if method == "aar":
        return {
            "planned": context.planned[pick % len(context.planned)].format(**fill),
            "actual": context.actual[pick % len(context.actual)].format(**fill),
        }
    return {}


def _articles(lang: str, label: str, neuter_nl: list[str]) -> tuple[str, str]:
    """The definite and indefinite article of an activity label."""
    if lang == "nl":
        return ("het" if label in neuter_nl else "de"), "een"
    return "the", ("an" if label[0] in "aeiou" else "a")


def _activity_label(spec: DemoSpec, type_id: str) -> str:
    return next(t.label for t in spec.activity_types if t.id == type_id)


def lesson_themes(spec: DemoSpec, lessons: pd.DataFrame) -> pd.DataFrame:
    """The analyst's lesson_themes.csv: every told variant of a designed recurring lesson under its theme's name."""
    variants = {variant: theme.theme for theme in spec.recurring for variant in theme.variants}
    said = lessons["what_changed"].map(lambda text: next((v for v in variants if text.startswith(v)), None))
    named = lessons.assign(theme=said.map(variants))[said.notna()]
    return named[["lesson_id", "theme"]].reset_index(drop=True)
