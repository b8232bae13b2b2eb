"""The programme's synthesis across its units: the ingredient profile, the most frequent bottlenecks and the
words behind them, learning tracks whose chain breaks, and the partners furthest from the programme.

Pure functions: DataFrames in, DataFrames out. They work on what the reports show: unit scores
already hidden by the programme's privacy rule (``privacy.scaling``) or by the release do not count,
and values are compared as shown (:mod:`capeval.analysis.claims`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from capeval.analysis.claims import as_shown
from capeval.analysis.compare import largest_gaps
from capeval.analysis.kirkpatrick import categorical_lookup, kirkpatrick_chain
from capeval.analysis.privacy import quotable

PROFILE_COLUMNS = ["wave", "ingredient", "n_units", "n_raters", "mean", "low", "high"]
COUNT_COLUMNS = ["wave", "ingredient", "n_bottleneck", "n_alone", "n_tied", "n_units"]
OUTLIER_COLUMNS = ["indicator", "side", "partner_id", "value", "n", "programme", "programme_n", "difference"]
MAX_QUOTES = 3  # quotes per ingredient: the most frequent words, not every rater's
SHARED_SHARE = 0.25  # a bottleneck of at least this share of the scored units (and of two) is shared by many


def ingredient_profile(scores: pd.DataFrame, *, ingredients: Sequence[str] | None = None) -> pd.DataFrame:
    """Per wave and ingredient, over the units whose mean is shown: n_units, n_raters (their raters
    together), ``mean`` (of the unit means, every unit weighing the same), ``low`` and ``high`` (the
    lowest and highest unit mean). ``scores`` is :func:`capeval.analysis.scaling.scaling_scores` of every
    unit (a mean hidden by ``privacy.scaling: personal`` counts nowhere). Rows in ``ingredients`` order."""
    shown = scores[scores["mean"].notna()] if len(scores) else scores
    if shown.empty:
        return pd.DataFrame(columns=PROFILE_COLUMNS)
    out = shown.groupby(["wave", "ingredient"], observed=True, sort=True).agg(
        n_units=("unit_id", "nunique"),
        n_raters=("n_raters", "sum"),
        mean=("mean", "mean"),
        low=("mean", "min"),
        high=("mean", "max"),
    )
    out = out.reset_index().astype({"wave": "int64", "n_units": "int64", "n_raters": "int64"})
    if ingredients is not None:
        order = {name: i for i, name in enumerate(ingredients)}
        out = out.assign(_order=out["ingredient"].map(order)).sort_values(["wave", "_order"], kind="stable")
        out = out.drop(columns="_order")
    return out.reset_index(drop=True)[PROFILE_COLUMNS]


def bottleneck_counts(bottleneck: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Per wave and ingredient: in how many units it is the bottleneck (``n_bottleneck``), alone
    (``n_alone``) or tied with others (``n_tied``), of the ``n_units`` units with a shown score that wave.

    A tie counts for each of its ingredients, as each unit's report names them all, so the counts of
    one wave may add up to more than its units. ``bottleneck`` is
    :func:`capeval.analysis.scaling.scaling_bottleneck` of every unit. Most frequent first, then by name.
    """
    if bottleneck.empty:
        return pd.DataFrame(columns=COUNT_COLUMNS)
    scored = scores[scores["mean"].notna()].groupby("wave", observed=True)["unit_id"].nunique()
    alone = bottleneck["n_tied"].astype("int64") == 1
    out = (
        bottleneck.assign(_alone=alone, _tied=~alone)
        .groupby(["wave", "ingredient"], observed=True, sort=True)
        .agg(n_bottleneck=("unit_id", "nunique"), n_alone=("_alone", "sum"), n_tied=("_tied", "sum"))
        .reset_index()
    )
    out["n_units"] = out["wave"].map(scored).fillna(0)
    out = out.astype({c: "int64" for c in COUNT_COLUMNS if c != "ingredient"})
    out = out.sort_values(["wave", "n_bottleneck", "ingredient"], ascending=[True, False, True], kind="stable")
    return out.reset_index(drop=True)[COUNT_COLUMNS]


def bottleneck_rationales(
    scaling: pd.DataFrame,
    bottleneck: pd.DataFrame,
    *,
    min_comments: int,
    placeholders: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """What the raters wrote about an ingredient where it is the bottleneck, under the quote rule.

    Per wave and ingredient: ``n_rationales`` (written rationales on the units where it is the
    bottleneck: the crowd a quote hides in), ``n_quotable`` and ``quotes`` (up to :data:`MAX_QUOTES`
    distinct redacted texts, the most often written first, " / "-joined). A rationale is quoted only
    with the rater's ``consent_to_quote`` (a scaling.csv without that column quotes nothing) and only
    when the group holds at least ``min_comments`` rationales (:func:`capeval.analysis.privacy.quotable`).
    """
    columns = ["wave", "ingredient", "n_rationales", "n_quotable", "quotes"]
    if bottleneck.empty or "rationale" not in scaling or scaling.empty:
        return pd.DataFrame(columns=columns)
    rows = scaling.merge(bottleneck[["unit_id", "wave", "ingredient"]], on=["unit_id", "wave", "ingredient"])
    if "consent_to_quote" not in rows:
        rows = rows.assign(consent_to_quote=False)  # no consent recorded: nobody agreed to be quoted
    out = []
    for (wave, ingredient), group in rows.groupby(["wave", "ingredient"], observed=True, sort=True):
        quoted = quotable(group, min_comments=min_comments, text_column="rationale", placeholders=placeholders)
        texts = quoted["quote"].astype(str).str.strip() if len(quoted) else pd.Series(dtype=str)
        ranked = texts.value_counts(sort=False).rename_axis("text").reset_index(name="times")
        ranked = ranked.sort_values(["times", "text"], ascending=[False, True], kind="stable")
        out.append(
            {
                "wave": int(str(wave)),
                "ingredient": str(ingredient),
                "n_rationales": int(quoted.attrs["n_comments"]),
                "n_quotable": len(quoted),
                "quotes": " / ".join(ranked["text"].head(MAX_QUOTES)),
            }
        )
    return pd.DataFrame(out, columns=columns)


def track_chains(
    responses: pd.DataFrame, items: pd.DataFrame, partners: pd.DataFrame, *, min_group_size: int
) -> pd.DataFrame:
    """The Kirkpatrick chain of each learning track (its partners' answers pooled): track_id, wave, level,
    n_respondents, mean, interval, as :func:`capeval.analysis.kirkpatrick.kirkpatrick_chain`; partners
    without a track are left out. The release decides what a report shows of it (``level:<level>`` at the
    track's scope)."""
    pairs = zip(partners["partner_id"].astype(str), partners["track_id"], strict=True)
    track_of = {p: str(t) for p, t in pairs if not pd.isna(t) and str(t) != ""}
    if responses.empty or not track_of:
        return kirkpatrick_chain(responses.iloc[0:0].assign(track_id=""), items, by=("track_id",), min_group_size=1)
    # the track of each answer looked up once per partner, as a categorical (no string per answer, no copy of
    # the tracked answers: grouping by track leaves the others out)
    track = categorical_lookup(responses["partner_id"], track_of)
    if not (track.codes >= 0).any():
        return kirkpatrick_chain(responses.iloc[0:0].assign(track_id=""), items, by=("track_id",), min_group_size=1)
    chain = kirkpatrick_chain(responses.assign(track_id=track), items, by=("track_id",), min_group_size=min_group_size)
    return chain.astype({"track_id": object})


def latest_verdicts(verdicts: pd.DataFrame, *, by: str = "track_id") -> pd.DataFrame:
    """Per group (``by``), the broken-chain verdict of its latest wave that has one (not "insufficient"), as
    that group's own report states it first. ``verdicts`` is :func:`capeval.analysis.kirkpatrick.broken_chain`
    of released chains; same columns, one row per group, by name."""
    judged = verdicts[verdicts["verdict"] != "insufficient"] if len(verdicts) else verdicts
    if judged.empty:
        return verdicts.iloc[0:0]
    latest = judged.sort_values([by, "wave"], kind="stable").groupby(by, sort=True).tail(1)
    return latest.sort_values(by, kind="stable").reset_index(drop=True)


def shared_bottlenecks(counts: pd.DataFrame, *, share: float = SHARED_SHARE, min_units: int = 2) -> pd.DataFrame:
    """The ingredients that are the bottleneck of many units in the latest wave: of at least ``min_units``
    units and at least ``share`` of the ``n_units`` with a shown score. ``counts`` is :func:`bottleneck_counts`;
    same columns, most frequent first."""
    if counts.empty:
        return counts
    latest = counts[counts["wave"] == counts["wave"].max()]
    needed = np.maximum(min_units, np.ceil(share * latest["n_units"].to_numpy(dtype="float64") - 1e-9))
    many: pd.DataFrame = latest[latest["n_bottleneck"].to_numpy() >= needed]
    return many.reset_index(drop=True)


def furthest_apart(levels: pd.DataFrame, *, by: str, level: str = "L3") -> pd.DataFrame:
    """Per wave, the two groups (``by``: an activity type, a track) with the highest and lowest shown
    score on ``level``, when at least two are shown: wave, top, top_mean, top_n, bottom, bottom_mean,
    bottom_n and ``difference`` (of the shown means, as shown). Ties go to the first name."""
    columns = ["wave", "top", "top_mean", "top_n", "bottom", "bottom_mean", "bottom_n", "difference"]
    rows = levels[(levels["level"] == level) & levels["mean"].notna()] if len(levels) else levels
    out = []
    for wave, group in rows.groupby("wave", sort=True):
        if len(group) < 2:
            continue
        ranked = group.assign(_shown=as_shown(group["mean"])).sort_values(["_shown", by], ascending=[False, True])
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        out.append(
            {
                "wave": int(str(wave)),
                "top": str(top[by]),
                "top_mean": float(top["mean"]),
                "top_n": int(top["n_respondents"]),
                "bottom": str(bottom[by]),
                "bottom_mean": float(bottom["mean"]),
                "bottom_n": int(bottom["n_respondents"]),
                "difference": float(top["_shown"] - bottom["_shown"]),
            }
        )
    return pd.DataFrame(out, columns=columns)


def gap_frequency(largest: pd.DataFrame) -> pd.DataFrame:
    """How often each service is a partner's largest gap: service, n_partners (whose largest gap it is),
    mean_gap (of those gaps), n_with_gap (partners whose largest gap is shown). ``largest`` holds one row per
    partner: gap_service and gap (as :func:`capeval.analysis.compare.compare_partners`; a hidden gap is NaN).
    Most common first, then the larger mean gap, then by name."""
    columns = ["service", "n_partners", "mean_gap", "n_with_gap"]
    shown = largest.dropna(subset=["gap", "gap_service"]) if len(largest) else largest
    if shown.empty:
        return pd.DataFrame(columns=columns)
    out = shown.groupby("gap_service", sort=True).agg(n_partners=("gap", "size"), mean_gap=("gap", "mean"))
    out = out.reset_index().rename(columns={"gap_service": "service"})
    out["n_with_gap"] = len(shown)
    out = out.sort_values(["n_partners", "mean_gap", "service"], ascending=[False, False, True], kind="stable")
    return out.reset_index(drop=True).astype({"n_partners": "int64", "n_with_gap": "int64"})[columns]


def largest_gap_frequency(gaps: pd.DataFrame) -> pd.DataFrame:
    """:func:`gap_frequency` of the partners' largest gaps in the latest wave with a shown gap, with that ``wave``.
    ``gaps`` is :func:`capeval.analysis.gaps.service_gaps` as the report shows them (a hidden gap is NaN)."""
    shown = gaps.dropna(subset=["gap"]) if len(gaps) else gaps
    if shown.empty:
        return gap_frequency(pd.DataFrame(columns=["gap_service", "gap"])).assign(wave=pd.Series(dtype="int64"))
    wave = int(shown["wave"].max())
    largest = largest_gaps(shown[shown["wave"] == wave]).rename(columns={"service": "gap_service"})
    return gap_frequency(largest).assign(wave=wave)


def partner_outliers(values: pd.DataFrame, programme: pd.DataFrame, *, min_change: float) -> pd.DataFrame:
    """Per indicator, the partner furthest below and the one furthest above the programme's value.

    ``values``: partner_id, indicator, value, n (as the partner's own report shows it: NaN where the
    release hides it); ``programme``: indicator, value, n (the programme's shown value). Differences are
    of the shown values; a partner less than ``min_change`` from the programme is about the same and no
    outlier. Columns indicator, side ("below" | "above"), partner_id, value, n, programme, programme_n,
    difference (partner minus programme, as shown). Ties go to the first partner id.
    """
    if values.empty or programme.empty:
        return pd.DataFrame(columns=OUTLIER_COLUMNS)
    bench = programme.dropna(subset=["value"]).rename(columns={"value": "programme", "n": "programme_n"})
    frame = values.dropna(subset=["value"]).merge(bench[["indicator", "programme", "programme_n"]], on="indicator")
    frame["difference"] = as_shown(as_shown(frame["value"]) - as_shown(frame["programme"]))
    frame = frame[frame["difference"].abs() >= min_change - 1e-9]
    out = []
    for side, ascending in (("below", True), ("above", False)):
        chosen = frame[frame["difference"] < 0] if side == "below" else frame[frame["difference"] > 0]
        ranked = chosen.sort_values(["indicator", "difference", "partner_id"], ascending=[True, ascending, True])
        out.append(ranked.groupby("indicator", sort=True).head(1).assign(side=side))
    found = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=OUTLIER_COLUMNS)
    found = found.sort_values(["indicator", "side"], ascending=[True, False], kind="stable")
    return found.reset_index(drop=True).astype({"n": "int64", "programme_n": "int64"})[OUTLIER_COLUMNS]
