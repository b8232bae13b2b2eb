"""Service-portfolio capacity gaps: desired minus current, per partner and service.

A service not offered counts as quality 0, so a service a partner wants but does not
offer shows its whole desired quality as gap (UNDP/OCA: capacity = offered x quality).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capeval.analysis.privacy import suppress_small_groups

KEYS = ["partner_id", "wave", "service"]


def effective_quality(offered: pd.Series, quality: pd.Series) -> pd.Series:
    """Quality 1-10 where the service is offered, 0 where it is not, NaN where unknown."""
    q = quality.astype("float64")
    offered_bool = offered.astype("boolean").fillna(False).astype(bool)
    return q.where(offered_bool, 0.0)


def service_gaps(portfolio: pd.DataFrame) -> pd.DataFrame:
    """Per partner, wave and service: the mean current and desired quality and the gap.

    Returns columns partner_id, wave, service, n_respondents, offered_now and
    offered_desired (share of respondents saying yes), quality_now, quality_desired,
    gap (= quality_desired - quality_now) and spread (standard deviation of the
    respondents' gaps; NaN for a single respondent).
    """
    columns = [
        *KEYS,
        "n_respondents",
        "offered_now",
        "offered_desired",
        "quality_now",
        "quality_desired",
        "gap",
        "spread",
    ]
    if portfolio.empty:
        return pd.DataFrame(columns=columns)
    rows = portfolio.assign(
        now=effective_quality(portfolio["offered_now"], portfolio["quality_now"]),
        desired=effective_quality(portfolio["offered_desired"], portfolio["quality_desired"]),
        offered_now_f=portfolio["offered_now"].astype("float64"),
        offered_desired_f=portfolio["offered_desired"].astype("float64"),
    )
    rows["row_gap"] = rows["desired"] - rows["now"]
    out = rows.groupby(KEYS, observed=True, sort=True).agg(
        n_respondents=("row_gap", "size"),
        offered_now=("offered_now_f", "mean"),
        offered_desired=("offered_desired_f", "mean"),
        quality_now=("now", "mean"),
        quality_desired=("desired", "mean"),
        spread=("row_gap", "std"),
    )
    out["gap"] = out["quality_desired"] - out["quality_now"]
    out = out.reset_index()
    out["wave"] = out["wave"].astype("int64")
    return out[columns]


def gap_benchmark(gaps: pd.DataFrame, *, min_partners: int) -> pd.DataFrame:
    """Programme benchmark per wave and service: median gap and quartiles across partners.

    Groups of fewer than ``min_partners`` partners are suppressed (values blank).
    """
    columns = ["wave", "service", "n_partners", "median_gap", "q1_gap", "q3_gap", "median_now", "median_desired"]
    if gaps.empty:
        return pd.DataFrame(columns=[*columns, "suppressed"])
    out = gaps.groupby(["wave", "service"], observed=True, sort=True).agg(
        n_partners=("partner_id", "nunique"),
        median_gap=("gap", "median"),
        q1_gap=("gap", lambda s: s.quantile(0.25)),
        q3_gap=("gap", lambda s: s.quantile(0.75)),
        median_now=("quality_now", "median"),
        median_desired=("quality_desired", "median"),
    )
    out = out.reset_index()[columns]
    return suppress_small_groups(out, n_column="n_partners", value_columns=columns[3:], min_size=min_partners)


def partner_gaps_vs_benchmark(gaps: pd.DataFrame, benchmark: pd.DataFrame, partner_id: str) -> pd.DataFrame:
    """One partner's gaps beside the programme median, ranked largest gap first per wave."""
    mine = gaps[gaps["partner_id"] == partner_id]
    merged = mine.merge(benchmark[["wave", "service", "median_gap", "n_partners"]], on=["wave", "service"], how="left")
    merged["vs_median"] = merged["gap"] - merged["median_gap"]
    merged["rank"] = merged.groupby("wave")["gap"].rank(method="min", ascending=False).astype("Int64")
    merged = merged.sort_values(["wave", "rank", "service"], kind="stable").reset_index(drop=True)
    merged["vs_median"] = merged["vs_median"].astype("float64").replace({np.inf: np.nan})
    return merged


CONSENSUS_SPREAD = 2.0  # OCAT-style: respondents' gaps differ by more than this (sd, 0-10 scale)


def least_consensus(gaps: pd.DataFrame, *, threshold: float = CONSENSUS_SPREAD) -> pd.DataFrame:
    """``gaps`` with ``least_consensus``: the respondents of a partner disagree on a service.

    True where at least two respondents answered and the standard deviation of their
    gaps (``spread``) is above ``threshold``; rows sorted by spread, largest first.
    """
    out = gaps.copy()
    spread = out["spread"].astype("float64")
    out["least_consensus"] = (out["n_respondents"] >= 2) & (spread > threshold)
    return out.sort_values(["least_consensus", "spread"], ascending=[False, False], kind="stable").reset_index(
        drop=True
    )


def gap_change(gaps: pd.DataFrame, *, baseline: int, follow_up: int) -> pd.DataFrame:
    """Per partner and service: the gap and current quality at baseline and follow-up, and the change.

    ``change`` = gap at follow-up - gap at baseline (negative: the gap narrowed);
    ``quality_change`` likewise for current quality. A service missing in one wave keeps
    its row with NaN change; n_baseline and n_follow_up are the respondents per wave.
    """
    columns = ["partner_id", "service", "n_baseline", "n_follow_up", "gap_baseline", "gap_follow_up", "change"]
    columns += ["quality_baseline", "quality_follow_up", "quality_change"]
    chosen = gaps[gaps["wave"].isin([baseline, follow_up])]
    if chosen.empty:
        return pd.DataFrame(columns=columns)
    wide = chosen.pivot_table(
        index=["partner_id", "service"], columns="wave", values=["gap", "quality_now", "n_respondents"], aggfunc="first"
    )
    out = pd.DataFrame(index=wide.index)
    for wave, suffix in ((baseline, "baseline"), (follow_up, "follow_up")):
        for value, name in (("n_respondents", "n"), ("gap", "gap"), ("quality_now", "quality")):
            has = value in wide.columns.get_level_values(0) and wave in wide[value].columns
            out[f"{name}_{suffix}"] = wide[value][wave].astype("float64") if has else np.nan
    for suffix in ("baseline", "follow_up"):
        out[f"n_{suffix}"] = out[f"n_{suffix}"].fillna(0).astype("int64")
    out["change"] = out["gap_follow_up"] - out["gap_baseline"]
    out["quality_change"] = out["quality_follow_up"] - out["quality_baseline"]
    return out.reset_index()[columns]
