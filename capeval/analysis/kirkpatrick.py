"""The Kirkpatrick chain: L1 reaction, L2 learning, L3 behaviour, L4 results, with Phillips' rules.

Scores are put on one scale, the percent of the item's scale (0 = scale_min, 100 =
scale_max), so a 1-5 item and a 0-10 item can share a level mean. A level mean is the
mean of the respondents' own means over the level's items; its n is the number of
respondents. Items of the dimensions ``attribution`` and ``attribution_confidence``
(Phillips' estimate questions) do not score a level; they discount a change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from capeval.analysis.claims import at_least, below, change_effect, confidence_interval
from capeval.analysis.privacy import suppress_small_groups
from capeval.schema import SELF_REPORT

if TYPE_CHECKING:
    from capeval.analysis.release import Release
from capeval.analysis.respondents import RESPONDENT, respondent_codes

ATTRIBUTION = "attribution"
ATTRIBUTION_CONFIDENCE = "attribution_confidence"
HIGH_L1 = 70.0  # a reaction this high (percent of scale) ...
LOW_L3 = 50.0  # ... with behaviour this low is a broken chain
VERDICTS = ("broken", "borderline", "intact", "insufficient")


ITEM_COLUMNS = ("level", "dimension", "criterion")  # what an answer takes from its item


def scored_responses(responses: pd.DataFrame, items: pd.DataFrame, *, keep: Sequence[str] = ()) -> pd.DataFrame:
    """The answers to an item of ``items``, narrow: ``responses``' columns ``keep``, ``wave`` (int64), the
    respondent (:data:`RESPONDENT`, an integer code sorting as the respondent key), ``item`` (the item's row
    in ``items``), its ``level``, ``dimension`` and ``criterion`` (categoricals) and ``score`` in percent of
    the item's scale. Rows in ``responses``' order.

    Codes, not the item's strings merged onto every answer: 1 M answers take about 40 MB, not 300 MB;
    :func:`restore_item_columns` gives an aggregate's item columns their type in ``items`` again.
    """
    answered, known = pd.factorize(responses["item_id"])
    position = pd.Index(items["item_id"]).get_indexer(pd.Index(known))  # items.csv's ids are unique
    position = np.array([*position, -1], dtype="int32")[answered]  # a missing id (code -1) takes the last -1
    del answered
    every = bool((position >= 0).all())
    rows = slice(None) if every else np.flatnonzero(position >= 0)  # all answered, as a rule: no copy
    item = position[rows]
    low = items["scale_min"].to_numpy(dtype="float64")
    span = items["scale_max"].to_numpy(dtype="float64") - low
    score = responses["value"].to_numpy(dtype="float64")[rows] - low[item]
    score *= 100.0
    score /= span[item]
    out = {name: responses[name].iloc[rows].reset_index(drop=True) for name in keep}
    out["wave"] = pd.Series(responses["wave"].astype("int64").to_numpy()[rows])
    out[RESPONDENT] = pd.Series(respondent_codes(responses)[rows])
    out["item"] = pd.Series(item)
    for name in ITEM_COLUMNS:
        categories = pd.Categorical(items[name])
        out[name] = pd.Series(pd.Categorical.from_codes(categories.codes[item], dtype=categories.dtype))
    out["score"] = pd.Series(score)
    return pd.DataFrame(out)


def coded_categorical(codes: np.ndarray, categories: pd.Index) -> pd.Categorical:
    """A categorical of ``categories`` from integer ``codes`` (-1: missing), without an object per row."""
    dtype = pd.CategoricalDtype(categories)
    return pd.Categorical.from_codes(codes, dtype=dtype)  # type: ignore[arg-type]  # pandas-stubs: a Sequence


def categorical_lookup(keys: pd.Series, mapping: Mapping[str, str]) -> pd.Categorical:
    """Per row: ``mapping`` of the row's key (as a string) as a categorical whose categories, the values found,
    sort as their strings do; missing where the key is missing or maps to nothing. Each distinct key is looked
    up once: codes, not a Python object per row (grouping by it groups as by the strings)."""
    rows, distinct = pd.factorize(keys)  # a missing key: -1, the last entry of per_key below
    found = [mapping.get(str(key)) for key in distinct]
    categories = sorted({value for value in found if value is not None})
    position = {value: i for i, value in enumerate(categories)}
    per_key = np.array([*(-1 if value is None else position[value] for value in found), -1], dtype="int64")
    return coded_categorical(per_key[rows], pd.Index(categories, dtype=object))


def restore_item_columns(frame: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (an aggregate of :func:`scored_responses`) with its item columns in ``items``' types."""
    present = [name for name in ITEM_COLUMNS if name in frame]
    return frame.astype({name: items[name].dtype for name in present}) if present else frame


def item_sources(items: pd.DataFrame) -> pd.Series:
    """Per item: how its answers were obtained (items.csv ``source``; empty or absent: self_report)."""
    if "source" not in items:
        return pd.Series(SELF_REPORT, index=items.index, dtype="string")
    return items["source"].astype("string").fillna(SELF_REPORT)


def self_reported_levels(items: pd.DataFrame) -> tuple[str, ...]:
    """The outcome levels (L3, L4) that ``items`` measure by self-report in the same questionnaire as
    reaction (L1): a self-report item asked at the ``timing`` of an L1 item (both empty counts as the same).

    Attribution questions do not count; an L3 item observed, from records, or asked at another
    moment ("3 months after") does not make its level self-reported.
    """
    timing = items["timing"].astype("string").fillna("") if "timing" in items else pd.Series("", index=items.index)
    reaction_timings = set(timing[items["level"] == "L1"])
    outcome = items["level"].isin(["L3", "L4"]) & ~items["dimension"].isin([ATTRIBUTION, ATTRIBUTION_CONFIDENCE])
    same = outcome & (item_sources(items) == SELF_REPORT) & timing.isin(reaction_timings)
    return tuple(sorted(set(items.loc[same, "level"].astype(str))))


def self_report_caveat(items: pd.DataFrame) -> bool:
    """True when the method notes must say that behaviour or results are self-reported next to reaction."""
    return bool(self_reported_levels(items))


def _outcomes(scored: pd.DataFrame) -> pd.DataFrame:
    return scored[~scored["dimension"].isin([ATTRIBUTION, ATTRIBUTION_CONFIDENCE])]


def outcome_items(items: pd.DataFrame) -> pd.DataFrame:
    """The items that score a level (not Phillips' attribution questions): scoring only their answers
    leaves the others out without a copy of the scored answers."""
    return items[~items["dimension"].isin([ATTRIBUTION, ATTRIBUTION_CONFIDENCE])]


def kirkpatrick_dimensions(
    responses: pd.DataFrame, items: pd.DataFrame, *, by: Sequence[str] = ("partner_id",), min_group_size: int
) -> pd.DataFrame:
    """Per group, wave, level and dimension: n_respondents, n_answers and the mean score (0-100).

    Small cells are suppressed, with complementary suppression among the dimensions of
    one level (the level mean would otherwise give a hidden dimension away).
    """
    keys = [*by, "wave", "level", "dimension"]
    scored = scored_responses(responses, outcome_items(items), keep=by)
    if scored.empty:
        return pd.DataFrame(columns=[*keys, "n_respondents", "n_answers", "mean", "suppressed"])
    out = scored.groupby(keys, observed=True, sort=True).agg(
        n_respondents=(RESPONDENT, "nunique"), n_answers=("score", "size"), mean=("score", "mean")
    )
    return suppress_small_groups(
        restore_item_columns(out.reset_index(), items),
        n_column="n_respondents",
        value_columns=["mean"],
        min_size=min_group_size,
        complementary_within=[*by, "wave", "level"],
    )


def _respondent_level_means(scored: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    keys = [*by, RESPONDENT, "wave", "level"]
    return scored.groupby(keys, observed=True, sort=True)["score"].mean().reset_index()


def _items_per_group(scored: pd.DataFrame, keys: Sequence[str]) -> pd.Series:
    """Per group of ``keys`` (sorted, missing keys left out): the number of distinct items answered, as
    ``groupby(keys)["item"].nunique()`` counts them, from the first answer of each group and item: one integer
    per answer, not the grouping's sort of every answer by its item."""
    combination = np.zeros(len(scored), dtype="int64")
    size = 1
    for name in [*keys, "item"]:
        codes, uniques = pd.factorize(scored[name])  # a missing key: -1, its own combination, left out below
        size *= len(uniques) + 1
        if size >= 2**62:  # too many combinations for one integer: the plain count
            return scored.groupby(list(keys), observed=True, sort=True)["item"].nunique()
        combination *= len(uniques) + 1
        combination += codes + 1
    first = np.flatnonzero(~pd.Series(combination).duplicated().to_numpy())
    return scored.iloc[first].groupby(list(keys), observed=True, sort=True).size()


def kirkpatrick_chain(
    responses: pd.DataFrame, items: pd.DataFrame, *, by: Sequence[str] = ("partner_id",), min_group_size: int
) -> pd.DataFrame:
    """Per group, wave and level (L1-L4): n_respondents, n_items, the mean of respondent means (0-100)
    and its uncertainty: ``sd`` (standard deviation of the respondent means) and the 95 %
    confidence interval ``ci_low``-``ci_high`` (Student's t, clipped to 0-100; blank for one respondent).

    A level without answers in a wave has no row; a group under ``min_group_size`` keeps
    its n but loses its mean, sd and interval (``suppressed``).
    """
    keys = [*by, "wave", "level"]
    values = ["mean", "sd", "ci_low", "ci_high"]
    scored = scored_responses(responses, outcome_items(items), keep=by)
    if scored.empty:
        return pd.DataFrame(columns=[*keys, "n_respondents", "n_items", *values, "suppressed"])
    per_resp = _respondent_level_means(scored, by)
    out = per_resp.groupby(keys, observed=True, sort=True).agg(
        n_respondents=(RESPONDENT, "size"), mean=("score", "mean"), sd=("score", "std")
    )
    out["n_items"] = _items_per_group(scored, keys)
    del scored, per_resp  # the answers' temporaries go before the next analysis asks for memory
    out = restore_item_columns(out.reset_index(), items)
    out["ci_low"], out["ci_high"] = confidence_interval(out["mean"], out["sd"], out["n_respondents"])
    out = out[[*keys, "n_respondents", "n_items", *values]]
    return suppress_small_groups(out, n_column="n_respondents", value_columns=values, min_size=min_group_size)


def broken_chain(
    chain: pd.DataFrame, *, by: Sequence[str] = ("partner_id",), high: float = HIGH_L1, low: float = LOW_L3
) -> pd.DataFrame:
    """Per group and wave: the L1 and L3 means, their n and 95 % intervals, and the ``verdict``.

    A chain is broken when reaction is high (L1 >= ``high``) and behaviour low (L3 < ``low``),
    every value taken as the report shows it (one decimal). ``verdict``:
    "broken" -- broken for every value within both intervals; "intact" -- broken for none
    (a chain whose reaction is clearly under ``high`` or behaviour clearly at least ``low``);
    "borderline" -- a threshold lies within an interval so that it could go either way;
    "insufficient" -- L1 or L3 is missing, suppressed or without an interval (one respondent).
    ``broken`` = verdict == "broken" (no data, no claim).
    """
    keys = [*by, "wave"]
    columns = [*keys, "l1", "l3", "n_l1", "n_l3", "l1_ci_low", "l1_ci_high", "l3_ci_low", "l3_ci_high"]
    columns += ["verdict", "broken"]
    if chain.empty:
        return pd.DataFrame(columns=columns)
    measures = [c for c in ("mean", "n_respondents", "ci_low", "ci_high") if c in chain]
    wide = chain.pivot_table(index=keys, columns="level", values=measures, aggfunc="first", dropna=False)
    out = pd.DataFrame(index=wide.index)
    for level, name in (("L1", "l1"), ("L3", "l3")):
        for measure, column in (("mean", name), ("ci_low", f"{name}_ci_low"), ("ci_high", f"{name}_ci_high")):
            has = measure in wide and level in wide[measure]
            out[column] = wide[measure][level].astype("float64") if has else np.nan
        n = wide["n_respondents"].get(level, 0)
        out[f"n_{name}"] = pd.Series(n, index=out.index).fillna(0).astype("int64")
    out["verdict"] = chain_verdict(out, high=high, low=low)
    out["broken"] = out["verdict"] == "broken"
    return out.reset_index()[columns]


def chain_verdict(chain: pd.DataFrame, *, high: float = HIGH_L1, low: float = LOW_L3) -> pd.Series:
    """The verdict of :func:`broken_chain` for columns l1, l3 and their ``*_ci_low``/``*_ci_high``."""
    known = chain[["l1", "l3", "l1_ci_low", "l1_ci_high", "l3_ci_low", "l3_ci_high"]].notna().all(axis=1)
    surely = at_least(chain["l1_ci_low"], high) & below(chain["l3_ci_high"], low)
    possibly = at_least(chain["l1_ci_high"], high) & below(chain["l3_ci_low"], low)
    verdict = np.select([~known, surely, possibly], ["insufficient", "broken", "borderline"], default="intact")
    return pd.Series(verdict, index=chain.index, dtype="string")


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
    ``sd_change`` is the standard deviation of the paired changes and ``ci_low``-``ci_high``
    the 95 % interval of ``mean_change`` (Student's t; blank for one pair).
    Suppressed when n_paired < ``min_group_size``. :func:`change_verdict` says what a change means.
    """
    keys = [*by, "level"]
    values = ["mean_pre", "mean_post", "mean_change", "sd_change", "ci_low", "ci_high"]
    values += ["conservative_change", "attributed_change"]
    columns = [*keys, "n_baseline", "n_paired", "n_lost", *values]
    scored = scored_responses(responses, items, keep=by)
    scored = scored[scored["wave"].isin([baseline, follow_up])]
    outcomes = _outcomes(scored)
    outcomes = outcomes[outcomes["level"].isin(levels)]
    if outcomes.empty:
        return pd.DataFrame(columns=[*columns, "suppressed"])
    per = _respondent_level_means(outcomes, by)
    wide = per.pivot_table(index=[*keys, RESPONDENT], columns="wave", values="score", aggfunc="first", observed=True)
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
    out["sd_change"] = paired_groups["change"].std()
    out["ci_low"], out["ci_high"] = confidence_interval(
        out["mean_change"], out["sd_change"], out["n_paired"], low=-100.0, high=100.0
    )
    denominator = (out["n_paired"] + out["n_lost"]).replace(0, np.nan)
    out["conservative_change"] = paired_groups["change"].sum().reindex(out.index) / denominator
    out["attributed_change"] = (
        paired_groups["attributed"].sum().reindex(out.index) / denominator if has_attribution else np.nan
    )
    out = restore_item_columns(out.reset_index(), items)
    for column in ("n_baseline", "n_paired", "n_lost"):
        out[column] = out[column].astype("int64")
    return suppress_small_groups(out[columns], n_column="n_paired", value_columns=values, min_size=min_group_size)


def change_verdict(change: pd.DataFrame, *, min_change: float) -> pd.DataFrame:
    """``change`` (:func:`pre_post_change`, as released) with ``verdict`` per row: the conservative
    change as shown is "improved" (at least ``min_change`` points), "declined" (at least
    ``min_change`` down), "about_same", or "insufficient" (suppressed or hidden: no claim)."""
    effect = change_effect(change["conservative_change"], min_change) if len(change) else pd.Series(dtype="string")
    names = {"increased": "improved", "decreased": "declined", "about_same": "about_same"}
    return change.assign(verdict=effect.map(names).fillna("insufficient").astype("string"))


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


def kirkpatrick_benchmark(
    responses: pd.DataFrame, items: pd.DataFrame, *, min_group_size: int, release: Release | None = None
) -> pd.DataFrame:
    """Programme benchmark per wave and level: the pooled mean and the spread of partner means.

    ``mean``/``n_respondents`` pool every respondent of the programme; ``median``, ``q1``
    and ``q3`` are taken over the partners whose own mean is shown (n >= min_group_size, and
    allowed by the programme's ``release`` when given, which also decides the pooled mean),
    counted in ``n_partners``, and are suppressed when fewer than min_group_size partners count.
    """
    columns = ["wave", "level", "n_respondents", "mean", "n_partners", "median", "q1", "q3"]
    programme = kirkpatrick_chain(responses, items, by=(), min_group_size=min_group_size)
    if programme.empty:
        return pd.DataFrame(columns=[*columns, "suppressed"])
    partners = kirkpatrick_chain(responses, items, by=("partner_id",), min_group_size=min_group_size)
    if release is not None:
        programme = release.mask(
            programme,
            family=[f"level:{level}" for level in programme["level"]],
            key="*",
            wave=programme["wave"],
            n_column="n_respondents",
            value_columns=["mean"],
        )
        partners = release.mask(
            partners,
            family=[f"level:{level}" for level in partners["level"]],
            key=[f"p:{p}" for p in partners["partner_id"]],
            wave=partners["wave"],
            n_column="n_respondents",
            value_columns=["mean"],
        )
    shown = partners[~partners["suppressed"]]
    spread = shown.groupby(["wave", "level"], observed=True).agg(
        n_partners=("partner_id", "nunique"),
        median=("mean", "median"),
        q1=("mean", lambda s: s.quantile(0.25)),
        q3=("mean", lambda s: s.quantile(0.75)),
    )
    out = programme[["wave", "level", "n_respondents", "mean"]].merge(
        spread.reset_index(), on=["wave", "level"], how="left"
    )
    out["n_partners"] = out["n_partners"].fillna(0).astype("int64")
    hidden = programme["suppressed"].to_numpy(dtype=bool)
    out = suppress_small_groups(out[columns], n_column="n_respondents", value_columns=["mean"], min_size=min_group_size)
    out["mean"] = out["mean"].where(~hidden)
    out["suppressed"] = out["suppressed"] | hidden
    return suppress_small_groups(
        out, n_column="n_partners", value_columns=["median", "q1", "q3"], min_size=min_group_size
    )
