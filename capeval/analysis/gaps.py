"""Service-portfolio capacity gaps: desired minus current, per partner and service.

A service not offered counts as quality 0, so a service a partner wants but does not
offer shows its whole desired quality as gap (UNDP/OCA: capacity = offered x quality).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from capeval.analysis.claims import above, change_effect, shown_change
from capeval.analysis.privacy import suppress_small_groups
from capeval.options import default_of
from capeval.schema import MIN_CHANGE_10

KEYS = ["partner_id", "wave", "service"]
ORGANISATION = ""  # a portfolio row without respondent_id is the partner's own answer


def effective_quality(offered: pd.Series, quality: pd.Series) -> pd.Series:
    """Quality 1-10 where the service is offered, 0 where it is not, NaN where unknown."""
    q = quality.astype("float64")
    offered_bool = offered.astype("boolean").fillna(False).astype(bool)
    return q.where(offered_bool, 0.0)


def respondent_gaps(portfolio: pd.DataFrame) -> pd.DataFrame:
    """``portfolio`` with each row's ``now`` and ``desired`` quality (0 where not offered), its
    ``row_gap`` and ``respondent`` (respondent_id; the partner itself where none is named)."""
    rows = portfolio.assign(
        now=effective_quality(portfolio["offered_now"], portfolio["quality_now"]),
        desired=effective_quality(portfolio["offered_desired"], portfolio["quality_desired"]),
    )
    rows["row_gap"] = rows["desired"] - rows["now"]
    named = "respondent_id" in rows
    rows["respondent"] = rows["respondent_id"].astype("string").fillna(ORGANISATION) if named else ORGANISATION
    rows["wave"] = rows["wave"].astype("int64")
    return rows


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
    rows = respondent_gaps(portfolio).assign(
        offered_now_f=portfolio["offered_now"].astype("float64"),
        offered_desired_f=portfolio["offered_desired"].astype("float64"),
    )
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


CONSENSUS_SPREAD: float = default_of("consensus_spread")  # OCAT-style; declared in capeval/options.py
CONSENSUS = ("disagree", "agree", "single")


def least_consensus(gaps: pd.DataFrame, *, threshold: float = CONSENSUS_SPREAD) -> pd.DataFrame:
    """``gaps`` with ``consensus`` per partner and service, and ``least_consensus`` = consensus is "disagree".

    "disagree": at least two respondents and the standard deviation of their gaps (``spread``,
    as shown) above ``threshold``; "agree": at least two, spread not above it; "single": fewer
    than two answers to compare, so whether respondents agree cannot be said. Rows sorted by
    spread, disagreements first.
    """
    out = gaps.copy()
    several = (out["n_respondents"] >= 2) & out["spread"].notna()
    disagree = several & above(out["spread"], threshold)
    out["consensus"] = pd.Series(
        np.select([disagree, several], ["disagree", "agree"], default="single"), index=out.index, dtype="string"
    )
    out["least_consensus"] = disagree
    return out.sort_values(["least_consensus", "spread"], ascending=[False, False], kind="stable").reset_index(
        drop=True
    )


GAP_EFFECTS = {"increased": "grew", "decreased": "narrowed", "about_same": "about_same"}


def gap_change(
    portfolio: pd.DataFrame, *, baseline: int, follow_up: int, min_change: float = MIN_CHANGE_10
) -> pd.DataFrame:
    """Per partner and service: the gap and current quality at baseline and follow-up, on the same people.

    ``compared`` says whom the change compares: "same" (the same respondents in both waves),
    "paired" (only the ``n_paired`` respondents who answered both waves; the sets differ),
    "unpaired" (nobody answered both, or several unnamed answers: the wave means), NA when a
    wave is missing. gap_* and quality_* are the means over those compared; ``change`` is the
    gap change as the reader sees it (shown follow-up gap minus shown baseline gap; negative:
    narrowed) and ``effect`` "grew", "narrowed" or "about_same" (under ``min_change``);
    ``quality_change`` likewise. n_baseline and n_follow_up count every answer of each wave;
    ``n_compared`` is the base of the claim (n_paired, or the smaller wave when unpaired).
    """
    columns = ["partner_id", "service", "n_baseline", "n_follow_up", "n_paired", "n_compared", "compared"]
    columns += ["gap_baseline", "gap_follow_up", "change", "effect"]
    columns += ["quality_baseline", "quality_follow_up", "quality_change"]
    rows = respondent_gaps(portfolio) if len(portfolio) else pd.DataFrame()
    rows = rows[rows["wave"].isin([baseline, follow_up])] if len(rows) else rows
    if rows.empty:
        return pd.DataFrame(columns=columns)
    keys = ["partner_id", "service"]
    per = rows.groupby([*keys, "respondent", "wave"], observed=True).agg(
        answers=("row_gap", "size"), desired=("desired", "mean"), quality=("now", "mean")
    )
    wide = per.unstack("wave")
    missing = pd.Series(np.nan, index=wide.index)
    answers = {w: wide["answers"].get(w, missing) for w in (baseline, follow_up)}
    both = answers[baseline].notna() & answers[follow_up].notna()
    # per respondent: every count and paired mean below, grouped by partner and service once (each grouping
    # of the Arrow-string keys costs a few ms, whatever the few rows)
    respondents = pd.DataFrame(
        {
            "several": pd.Series((wide["answers"].to_numpy() > 1).any(axis=1), index=wide.index),
            "n_baseline": answers[baseline],
            "n_follow_up": answers[follow_up],
            "n_paired": both,
            **{
                f"{measure}_{name}": wide[measure].get(wave, missing).where(both)
                for wave, name in ((baseline, "baseline"), (follow_up, "follow_up"))
                for measure in ("desired", "quality")
            },
        }
    )
    grouped = respondents.groupby(level=keys, observed=True)
    # several unnamed answers of one partner cannot be told apart, so they cannot be paired
    pairable = ~grouped["several"].any()
    out = grouped[["n_baseline", "n_follow_up", "n_paired"]].sum()
    out["n_paired"] = out["n_paired"].where(pairable, 0)
    out = out.fillna(0).astype("int64")
    has_both = (out["n_baseline"] > 0) & (out["n_follow_up"] > 0)
    same = (out["n_paired"] == out["n_baseline"]) & (out["n_paired"] == out["n_follow_up"])
    compared = np.select([~has_both, same, out["n_paired"] > 0], ["", "same", "paired"], default="unpaired")
    out["compared"] = pd.Series(compared, index=out.index, dtype="string").replace("", pd.NA)
    on_pairs = out["compared"].isin(["same", "paired"]).fillna(False)
    totals = rows.groupby([*keys, "wave"], observed=True)[["desired", "now"]].mean().unstack("wave")
    paired_means = grouped[[c for c in respondents.columns if c.startswith(("desired_", "quality_"))]].mean()
    for wave, name in ((baseline, "baseline"), (follow_up, "follow_up")):
        means = {}
        for measure, total in (("desired", "desired"), ("quality", "now")):
            all_mean = totals[total].get(wave, pd.Series(np.nan, index=totals.index)).reindex(out.index)
            means[measure] = paired_means[f"{measure}_{name}"].where(on_pairs, all_mean)
        out[f"quality_{name}"] = means["quality"]
        out[f"gap_{name}"] = means["desired"] - means["quality"]  # as service_gaps: desired minus current
    out["n_compared"] = out["n_paired"].where(on_pairs, out[["n_baseline", "n_follow_up"]].min(axis=1))
    out["change"] = shown_change(out["gap_baseline"], out["gap_follow_up"])
    out["effect"] = change_effect(out["change"], min_change).map(GAP_EFFECTS).astype("string")
    out["quality_change"] = shown_change(out["quality_baseline"], out["quality_follow_up"])
    return out.reset_index()[columns]


def respondents_by_wave(portfolio: pd.DataFrame, *, baseline: int, follow_up: int) -> pd.DataFrame:
    """Per partner: distinct respondents of the portfolio at baseline, at follow-up, and in both
    (n_baseline, n_follow_up, n_both; unnamed answers count as the partner itself)."""
    columns = ["partner_id", "n_baseline", "n_follow_up", "n_both"]
    if portfolio.empty:
        return pd.DataFrame(columns=columns)
    rows = respondent_gaps(portfolio)
    rows = rows.assign(n_baseline=rows["wave"] == baseline, n_follow_up=rows["wave"] == follow_up)
    seen = rows.groupby(["partner_id", "respondent"], observed=True)[["n_baseline", "n_follow_up"]].any()
    seen["n_both"] = seen["n_baseline"] & seen["n_follow_up"]
    return seen.groupby(level="partner_id", observed=True).sum().astype("int64").reset_index()[columns]
