"""Self-assessment blocks: questions grouped by what they are about, each scored with its n.

A block is a list of ``dimension`` ids of items.csv that programme.yaml names together: the
partners' commitments to each other, the centre's added value as the partners rate it, the
members' feedback on network events, or the questions linked to a priority. Each dimension is
scored as the Kirkpatrick section scores one: the mean of the respondents' own means, also as a
percent of the item's scale, over the distinct respondents who answered it in that wave — the
same basis as the release's ``dimension:<level>:<dimension>`` family, so the release decides
what may be shown.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from capeval.analysis.respondents import respondent_key

SCORE_COLUMNS = ["dimension", "level", "wave", "n", "mean", "score", "scale_min", "scale_max"]
# Below this percent of its scale, a contribution the partners rate is the weakest worth acting on.
WEAK_BELOW = 50.0


def dimension_scores(responses: pd.DataFrame, items: pd.DataFrame, dimensions: Sequence[str]) -> pd.DataFrame:
    """Per dimension (in the order given) and wave: respondents ``n``, the ``mean`` answer (of respondent
    means) and ``score``, that mean as a percent of the scale (0 = its lowest point, 100 = its highest).
    A dimension no one answered has no row."""
    chosen = items[items["dimension"].isin(list(dimensions))]
    if chosen.empty or responses.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    answers = responses[responses["item_id"].isin(set(chosen["item_id"])) & responses["value"].notna()]
    answers = answers.merge(
        chosen[["item_id", "level", "dimension", "scale_min", "scale_max"]], on="item_id", how="inner"
    )
    if answers.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    answers = answers.assign(
        _who=respondent_key(answers),
        _pct=(answers["value"].astype("float64") - answers["scale_min"].astype("float64"))
        / (answers["scale_max"].astype("float64") - answers["scale_min"].astype("float64"))
        * 100.0,
    )
    keys = ["dimension", "level", "wave"]
    per_person = answers.groupby([*keys, "_who"], sort=False).agg(
        value=("value", "mean"), pct=("_pct", "mean"), scale_min=("scale_min", "min"), scale_max=("scale_max", "max")
    )
    grouped = per_person.groupby(level=keys, sort=False)
    out = pd.DataFrame(
        {
            "n": grouped.size().astype("int64"),
            "mean": grouped["value"].mean().astype("float64"),
            "score": grouped["pct"].mean().astype("float64"),
            "scale_min": grouped["scale_min"].min().astype("int64"),
            "scale_max": grouped["scale_max"].max().astype("int64"),
        }
    ).reset_index()
    order = {d: k for k, d in enumerate(dimensions)}
    out["wave"] = out["wave"].astype("int64")
    out = out.sort_values(["dimension", "wave"], key=lambda c: c.map(order) if c.name == "dimension" else c)
    return out[SCORE_COLUMNS].reset_index(drop=True)


def weakest(scores: pd.DataFrame, *, below: float = WEAK_BELOW) -> pd.DataFrame:
    """The dimensions of the latest wave whose shown score (one decimal) is under ``below`` percent,
    lowest first; hidden scores (missing) are never among them."""
    if scores.empty:
        return scores
    latest = scores[scores["wave"] == scores["wave"].max()]
    shown = latest["score"].round(1)
    low: pd.DataFrame = latest[(shown < below) & shown.notna()]
    return low.sort_values(["score", "dimension"], kind="stable").reset_index(drop=True)


def event_reach(activities: pd.DataFrame, responses: pd.DataFrame, types: Sequence[str]) -> pd.DataFrame:
    """Each event of ``types``: activity_id, date, type, participants and ``respondents`` (distinct people
    who gave feedback on it)."""
    events = activities[activities["type"].isin(list(types))]
    columns = ["activity_id", "date", "type", "participants", "respondents"]
    if events.empty:
        return pd.DataFrame(columns=columns)
    answered = responses[responses["activity_id"].isin(set(events["activity_id"]))]
    counts = respondent_key(answered).groupby(answered["activity_id"].to_numpy()).nunique()
    out = events.assign(respondents=events["activity_id"].map(counts).fillna(0).astype("int64"))
    out = out.sort_values(["date", "activity_id"], kind="stable").reset_index(drop=True)
    return out[columns].assign(participants=out["participants"].astype("float64").astype(np.int64))
