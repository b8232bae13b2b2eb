"""Answer distributions: per-question frequencies (every option, chosen or not), paired
before/after questions, and survey response rates per activity.

Items may carry a codebook in an extra ``labels`` column (``"1=No; 2=Maybe; 3=Yes"``, as
the importers write it) and a ``kind`` (ordinal, nominal, option); an ``option`` item is
one choice of a select-all-that-apply question (1 = chosen), grouped by ``question_id``.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pandas as pd

from capeval.analysis.privacy import suppress_small_groups
from capeval.analysis.respondents import respondent_key

_CODE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*=\s*(.*?)\s*$")
BEFORE, AFTER = "_before", "_after"


def parse_codebook(text: object) -> dict[float, str]:
    """``"1=No; 2=Yes"`` -> {1.0: "No", 2.0: "Yes"}; empty for a missing codebook. A code listed twice
    (``"1=Very unhappy; 1=Very unah"``: an import maps a misspelt answer to its code) keeps its first label."""
    if not isinstance(text, str) or not text.strip():
        return {}
    out: dict[float, str] = {}
    for part in text.split(";"):
        match = _CODE.match(part)
        if match:
            out.setdefault(float(match.group(1)), match.group(2))
    return out


def _question_of(items: pd.DataFrame) -> pd.Series:
    if "question_id" in items.columns:
        return items["question_id"].fillna(items["item_id"]).astype(str)
    return items["item_id"].astype(str)


FREQUENCY_COLUMNS = [
    "question_id",
    "wave",
    "item_id",
    "option",
    "label",
    "multiple",
    "n",
    "n_answers",
    "n_respondents",
    "share",
    "suppressed",
]


def answer_frequencies(responses: pd.DataFrame, items: pd.DataFrame, *, min_group_size: int) -> pd.DataFrame:
    """How often each answer option was given, per question and wave, options nobody chose included.

    Only items with a codebook (``labels``) are tabled; a value answered but missing from
    the codebook gets a row of its own, labelled with the value. One row per question,
    wave, item and option (item order, then wave, then option): question_id, wave,
    item_id, option (the value), label, multiple (a select-all option), n, n_answers,
    n_respondents, share, suppressed.

    * A single-choice item: n = answers with that option in that wave, n_answers = all
      answers to the item in that wave, share = n / n_answers, so an item's shares in a
      wave sum to 100 %. A respondent who answered the item for two activities in one
      wave gives two answers (one per activity judged), so n_answers may exceed n_respondents.
    * A select-all ``option`` item: n = respondents who chose the option in that wave,
      n_answers = n_respondents = respondents of the question in that wave; these shares
      do not sum to 100 % (one respondent may choose several options).

    n_respondents = distinct respondents (partner id and respondent id) who answered the
    item (an option item: its question) in that wave, the base shown to the reader; where
    it is under ``min_group_size``, n and share are blank (``suppressed``).
    """
    if "labels" not in items.columns or responses.empty:
        return pd.DataFrame(columns=FREQUENCY_COLUMNS)
    coded = items[items["labels"].notna()].assign(question_id=_question_of(items))
    given = responses[responses["item_id"].isin(coded["item_id"]) & responses["value"].notna()]
    given = given.assign(
        who=respondent_key(given),
        wave=given["wave"].astype("int64"),
        value=given["value"].astype("float64"),
    )
    question_of = coded.set_index("item_id")["question_id"]
    bases = given.groupby([given["item_id"].map(question_of), "wave"], sort=True)["who"].nunique()
    by_item = dict(tuple(given.groupby("item_id", sort=False)))
    rows: list[tuple[object, ...]] = []
    for item in coded.itertuples(index=False):
        answers = by_item.get(item.item_id, given.iloc[:0])
        if str(getattr(item, "kind", "") or "") == "option":
            question_bases = bases[bases.index.get_level_values(0) == item.question_id].droplevel(0)
            rows.extend(_option_rows(item.question_id, item.item_id, item.labels, answers, question_bases))
        else:
            rows.extend(_choice_rows(item.question_id, item.item_id, item.labels, answers))
    frame = pd.DataFrame(rows, columns=[c for c in FREQUENCY_COLUMNS if c not in ("share", "suppressed")])
    if frame.empty:
        return pd.DataFrame(columns=FREQUENCY_COLUMNS)
    frame["wave"] = frame["wave"].astype("int64")
    frame["share"] = frame["n"] / frame["n_answers"].replace(0, np.nan)
    frame = suppress_small_groups(
        frame, n_column="n_respondents", value_columns=["n", "share"], min_size=min_group_size
    )
    return frame[FREQUENCY_COLUMNS]


def _choice_rows(question: object, item: object, labels: object, answers: pd.DataFrame) -> list[tuple[object, ...]]:
    """A single-choice item: per wave, every option of the codebook and every other value answered (in any wave)."""
    codebook = parse_codebook(labels)
    options = {**codebook, **{v: f"{v:g}" for v in answers["value"].unique() if v not in codebook}}
    rows: list[tuple[object, ...]] = []
    for wave, in_wave in answers.groupby("wave", sort=True):
        counts = in_wave["value"].value_counts()
        n_answers, n_respondents = len(in_wave), int(in_wave["who"].nunique())
        for option, label in sorted(options.items()):
            n = int(counts.get(option, 0))
            rows.append((question, wave, item, option, label, False, n, n_answers, n_respondents))
    return rows


def _option_rows(
    question: object, item: object, labels: object, answers: pd.DataFrame, question_bases: pd.Series
) -> list[tuple[object, ...]]:
    """A select-all option: per wave the question was answered in, the respondents who chose it."""
    label = parse_codebook(labels).get(1.0, str(item))
    chosen = answers[answers["value"] == 1].groupby("wave")["who"].nunique()
    return [
        (question, wave, item, 1.0, label, True, int(chosen.get(wave, 0)), int(base), int(base))
        for wave, base in question_bases.items()
    ]


def before_after_items(items: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(stem, before item, after item) for the items whose dimensions are ``<stem>_before`` and
    ``<stem>_after``; with several before items (asked in two surveys), the one of the same survey:
    the one sharing the longest id prefix with the after item."""
    dims = items.set_index(items["item_id"].astype(str))["dimension"].astype(str)
    afters = sorted((d.removesuffix(AFTER), str(i)) for i, d in dims.items() if d.endswith(AFTER))
    out = []
    for stem, after in afters:
        candidates = [str(i) for i, d in dims.items() if d == stem + BEFORE]
        if candidates:
            before = max(candidates, key=lambda i: (len(os.path.commonprefix([i, after])), i))  # noqa: RUF071
            out.append((stem, before, after))
    return out


def before_after(responses: pd.DataFrame, items: pd.DataFrame, *, min_group_size: int) -> pd.DataFrame:
    """Paired before/after questions: items whose dimensions are ``<stem>_before`` and ``<stem>_after``.

    Per stem: n_pairs (respondents, by partner id and respondent id, who answered both),
    mean_before, mean_after, mean_change (after - before, paired), improved / same / worse
    (shares of pairs); blank when fewer than ``min_group_size`` pairs.
    """
    columns = [
        "stem",
        "item_before",
        "item_after",
        "n_pairs",
        "mean_before",
        "mean_after",
        "mean_change",
        "improved",
        "same",
        "worse",
    ]
    rows = []
    for stem, item_before, item_after in before_after_items(items):
        before = _per_respondent(responses, item_before)
        after = _per_respondent(responses, item_after)
        paired = pd.concat([before.rename("b"), after.rename("a")], axis=1, join="inner")
        change = paired["a"] - paired["b"]
        n = len(paired)
        rows.append(
            {
                "stem": stem,
                "item_before": item_before,
                "item_after": item_after,
                "n_pairs": n,
                "mean_before": paired["b"].mean() if n else np.nan,
                "mean_after": paired["a"].mean() if n else np.nan,
                "mean_change": change.mean() if n else np.nan,
                "improved": (change > 0).mean() if n else np.nan,
                "same": (change == 0).mean() if n else np.nan,
                "worse": (change < 0).mean() if n else np.nan,
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return suppress_small_groups(frame, n_column="n_pairs", value_columns=columns[4:], min_size=min_group_size)


def _per_respondent(responses: pd.DataFrame, item_id: str) -> pd.Series:
    """Each respondent's mean answer to one item, indexed by the respondent key."""
    answers = responses.loc[responses["item_id"] == item_id]
    return answers["value"].groupby(respondent_key(answers)).mean()


def response_rates(activities: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Per activity: participants, distinct respondents (partner id and respondent id) and the response
    rate (respondents / participants).

    The rate is blank where participants is 0 or unknown. Sorted by date, then activity id.
    """
    columns = ["activity_id", "type", "date", "participants", "respondents", "response_rate"]
    if activities.empty:
        return pd.DataFrame(columns=columns)
    answered = responses.dropna(subset=["activity_id"])
    respondents = respondent_key(answered).groupby(answered["activity_id"]).nunique()
    out = activities[["activity_id", "type", "date", "participants"]].copy()
    out["respondents"] = out["activity_id"].map(respondents).fillna(0).astype("int64")
    participants = out["participants"].astype("float64")
    out["response_rate"] = (out["respondents"] / participants).where(participants > 0)
    return out.sort_values(["date", "activity_id"], kind="stable").reset_index(drop=True)[columns]
