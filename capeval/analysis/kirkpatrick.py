"""The Kirkpatrick chain: L1 reaction, L2 learning, L3 behaviour, L4 results, with Phillips' rules.

Scores are put on one scale, the percent of the item's scale (0 = scale_min, 100 =
scale_max), so a 1-5 item and a 0-10 item can share a level mean. A level mean is the
mean of the respondents' own means over the level's items; its n is the number of
respondents. Items of the dimensions ``attribution`` and ``attribution_confidence``
(Phillips' estimate questions) do not score a level; they discount a change.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from capeval.analysis.privacy import suppress_small_groups

ATTRIBUTION = "attribution"
ATTRIBUTION_CONFIDENCE = "attribution_confidence"
HIGH_L1 = 70.0  # a reaction this high (percent of scale) ...
LOW_L3 = 50.0  # ... with behaviour this low is a broken chain
RESPONDENT = "_respondent"  # partner id + respondent id: respondent ids are unique per partner


def scored_responses(responses: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """The answers with their item's level, dimension and criterion and ``score`` in percent of scale."""
    meta = items[["item_id", "level", "dimension", "criterion", "scale_min", "scale_max"]]
    rows = responses.merge(meta, on="item_id", how="inner")
    low, high = rows["scale_min"].astype("float64"), rows["scale_max"].astype("float64")
    rows["score"] = 100.0 * (rows["value"].astype("float64") - low) / (high - low)
    rows["wave"] = rows["wave"].astype("int64")
    rows[RESPONDENT] = rows["partner_id"].astype(str) + "\x1f" + rows["respondent_id"].astype(str)
    return rows


def _outcomes(scored: pd.DataFrame) -> pd.DataFrame:
    return scored[~scored["dimension"].isin([ATTRIBUTION, ATTRIBUTION_CONFIDENCE])]


def kirkpatrick_dimensions(
    responses: pd.DataFrame, items: pd.DataFrame, *, by: Sequence[str] = ("partner_id",), min_group_size: int
) -> pd.DataFrame:
    """Per group, wave, level and dimension: n_respondents, n_answers and the mean score (0-100).

    Small cells are suppressed, with complementary suppression among the dimensions of
    one level (the level mean would otherwise give a hidden dimension away).
    """
    keys = [*by, "wave", "level", "dimension"]
    scored = _outcomes(scored_responses(responses, items))
    if scored.empty:
        return pd.DataFrame(columns=[*keys, "n_respondents", "n_answers", "mean", "suppressed"])
    out = scored.groupby(keys, observed=True, sort=True).agg(
        n_respondents=(RESPONDENT, "nunique"), n_answers=("score", "size"), mean=("score", "mean")
    )
    return suppress_small_groups(
        out.reset_index(),
        n_column="n_respondents",
        value_columns=["mean"],
        min_size=min_group_size,
        complementary_within=[*by, "wave", "level"],
    )


def _respondent_level_means(scored: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    keys = [*by, RESPONDENT, "wave", "level"]
    return scored.groupby(keys, observed=True, sort=True)["score"].mean().reset_index()


def kirkpatrick_chain(
    responses: pd.DataFrame, items: pd.DataFrame, *, by: Sequence[str] = ("partner_id",), min_group_size: int
) -> pd.DataFrame:
    """Per group, wave and level (L1-L4): n_respondents, n_items and the mean of respondent means (0-100).

    A level without answers in a wave has no row; a group under ``min_group_size`` keeps
    its n but loses its mean (``suppressed``).
    """
    keys = [*by, "wave", "level"]
    scored = _outcomes(scored_responses(responses, items))
    if scored.empty:
        return pd.DataFrame(columns=[*keys, "n_respondents", "n_items", "mean", "suppressed"])
    per_resp = _respondent_level_means(scored, by)
    out = per_resp.groupby(keys, observed=True, sort=True).agg(
        n_respondents=(RESPONDENT, "size"), mean=("score", "mean")
    )
    out["n_items"] = scored.groupby(keys, observed=True, sort=True)["item_id"].nunique()
    out = out.reset_index()[[*keys, "n_respondents", "n_items", "mean"]]
    return suppress_small_groups(out, n_column="n_respondents", value_columns=["mean"], min_size=min_group_size)


def broken_chain(
    chain: pd.DataFrame, *, by: Sequence[str] = ("partner_id",), high: float = HIGH_L1, low: float = LOW_L3
) -> pd.DataFrame:
    """Per group and wave: the L1 and L3 means, their n, and ``broken`` = L1 >= ``high`` and L3 < ``low``.

    ``broken`` is False when either level is missing or suppressed: no data, no claim.
    """
    keys = [*by, "wave"]
    columns = [*keys, "l1", "l3", "n_l1", "n_l3", "broken"]
    if chain.empty:
        return pd.DataFrame(columns=columns)
    wide = chain.pivot_table(
        index=keys, columns="level", values=["mean", "n_respondents"], aggfunc="first", dropna=False
    )
    out = pd.DataFrame(index=wide.index)
    for level, name in (("L1", "l1"), ("L3", "l3")):
        out[name] = wide["mean"][level].astype("float64") if level in wide["mean"] else np.nan
        n = wide["n_respondents"].get(level, 0)
        out[f"n_{name}"] = pd.Series(n, index=out.index).fillna(0).astype("int64")
    out["broken"] = (out["l1"] >= high) & (out["l3"] < low)
    return out.reset_index()[columns]


def pre_post_change(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    baseline: int,
    follow_up: int,
    by: Sequence[str] = ("partner_id",),
    levels: Sequence[str] = ("L2", "L3", "L4"),
    min_group_size: int,
) -> pd.DataFrame:
    """Baseline to follow-up change per group and level, paired by respondent, with Phillips' rules.

    Columns: n_baseline (respondents at baseline), n_paired (answered the level in both
    waves), n_lost (baseline only: non-respondents at follow-up), mean_pre, mean_post and
    mean_change over the paired respondents; ``conservative_change`` = the sum of paired
    changes / (n_paired + n_lost), i.e. a non-respondent counts as no change; and
    ``attributed_change``: each paired change multiplied by the respondent's follow-up
    attribution share and confidence (both as a 0-1 share of their scale; missing counts
    as 0), over the same denominator; NaN when the programme asks no attribution question.
    Suppressed when n_paired < ``min_group_size``.
    """
    keys = [*by, "level"]
    values = ["mean_pre", "mean_post", "mean_change", "conservative_change", "attributed_change"]
    columns = [*keys, "n_baseline", "n_paired", "n_lost", *values]
    scored = scored_responses(responses, items)
    scored = scored[scored["wave"].isin([baseline, follow_up])]
    outcomes = _outcomes(scored)
    outcomes = outcomes[outcomes["level"].isin(levels)]
    if outcomes.empty:
        return pd.DataFrame(columns=[*columns, "suppressed"])
    per = _respondent_level_means(outcomes, by)
    wide = per.pivot_table(index=[*keys, RESPONDENT], columns="wave", values="score", aggfunc="first")
    pre = wide[baseline] if baseline in wide else pd.Series(np.nan, index=wide.index)
    post = wide[follow_up] if follow_up in wide else pd.Series(np.nan, index=wide.index)
    frame = pd.DataFrame({"pre": pre, "post": post})
    frame["change"] = frame["post"] - frame["pre"]
    factor = _attribution_factor(scored, follow_up)
    has_attribution = bool(items["dimension"].isin([ATTRIBUTION]).any())
    resp = frame.index.get_level_values(RESPONDENT)
    frame["attributed"] = frame["change"] * resp.map(factor.to_dict()).fillna(0.0).to_numpy(dtype="float64")
    frame["paired"] = frame["pre"].notna() & frame["post"].notna()
    frame["lost"] = frame["pre"].notna() & frame["post"].isna()
    paired = frame[frame["paired"]]
    grouped = frame.groupby(level=keys, observed=True, sort=True)
    out = pd.DataFrame(
        {
            "n_baseline": grouped["pre"].count(),
            "n_paired": grouped["paired"].sum(),
            "n_lost": grouped["lost"].sum(),
        }
    )
    paired_groups = paired.groupby(level=keys, observed=True, sort=True)
    out["mean_pre"] = paired_groups["pre"].mean()
    out["mean_post"] = paired_groups["post"].mean()
    out["mean_change"] = paired_groups["change"].mean()
    denominator = (out["n_paired"] + out["n_lost"]).replace(0, np.nan)
    out["conservative_change"] = paired_groups["change"].sum().reindex(out.index) / denominator
    out["attributed_change"] = (
        paired_groups["attributed"].sum().reindex(out.index) / denominator if has_attribution else np.nan
    )
    out = out.reset_index()
    for column in ("n_baseline", "n_paired", "n_lost"):
        out[column] = out[column].astype("int64")
    return suppress_small_groups(out[columns], n_column="n_paired", value_columns=values, min_size=min_group_size)


def _attribution_factor(scored: pd.DataFrame, follow_up: int) -> pd.Series:
    """Per respondent: attribution share x confidence share at follow-up (0-1)."""
    rows = scored[(scored["wave"] == follow_up) & scored["dimension"].isin([ATTRIBUTION, ATTRIBUTION_CONFIDENCE])]
    if rows.empty:
        return pd.Series(dtype="float64")
    shares = rows.groupby([RESPONDENT, "dimension"], observed=True)["score"].mean().unstack() / 100.0
    for dimension in (ATTRIBUTION, ATTRIBUTION_CONFIDENCE):
        if dimension not in shares:
            shares[dimension] = np.nan
    return (shares[ATTRIBUTION] * shares[ATTRIBUTION_CONFIDENCE]).fillna(0.0)


def kirkpatrick_benchmark(responses: pd.DataFrame, items: pd.DataFrame, *, min_group_size: int) -> pd.DataFrame:
    """Programme benchmark per wave and level: the pooled mean and the spread of partner means.

    ``mean``/``n_respondents`` pool every respondent of the programme; ``median``, ``q1``
    and ``q3`` are taken over the partners whose own mean is shown (n >= min_group_size),
    counted in ``n_partners``, and are suppressed when fewer than min_group_size partners count.
    """
    columns = ["wave", "level", "n_respondents", "mean", "n_partners", "median", "q1", "q3"]
    programme = kirkpatrick_chain(responses, items, by=(), min_group_size=min_group_size)
    if programme.empty:
        return pd.DataFrame(columns=[*columns, "suppressed"])
    partners = kirkpatrick_chain(responses, items, by=("partner_id",), min_group_size=min_group_size)
    shown = partners[~partners["suppressed"]]
    spread = shown.groupby(["wave", "level"], observed=True).agg(
        n_partners=("partner_id", "nunique"),
        median=("mean", "median"),
        q1=("mean", lambda s: s.quantile(0.25)),
        q3=("mean", lambda s: s.quantile(0.75)),
    )
    out = programme.drop(columns=["suppressed", "n_items"]).merge(
        spread.reset_index(), on=["wave", "level"], how="left"
    )
    out["n_partners"] = out["n_partners"].fillna(0).astype("int64")
    out = suppress_small_groups(out[columns], n_column="n_respondents", value_columns=["mean"], min_size=min_group_size)
    return suppress_small_groups(
        out, n_column="n_partners", value_columns=["median", "q1", "q3"], min_size=min_group_size
    )
