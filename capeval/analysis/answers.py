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

_CODE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*=\s*(.*?)\s*$")
BEFORE, AFTER = "_before", "_after"


def parse_codebook(text: object) -> dict[float, str]:
    """``"1=No; 2=Yes"`` -> {1.0: "No", 2.0: "Yes"}; empty for a missing codebook."""
    if not isinstance(text, str) or not text.strip():
        return {}
    out: dict[float, str] = {}
    for part in text.split(";"):
        match = _CODE.match(part)
        if match:
            out[float(match.group(1))] = match.group(2)
    return out


def _question_of(items: pd.DataFrame) -> pd.Series:
    if "question_id" in items.columns:
        return items["question_id"].fillna(items["item_id"]).astype(str)
    return items["item_id"].astype(str)


def answer_frequencies(responses: pd.DataFrame, items: pd.DataFrame, *, min_group_size: int) -> pd.DataFrame:
    """Frequency of every answer option per question, options nobody chose included.

    Only items with a codebook (``labels``) are tabled. Returns question_id, item_id,
    option (value), label, n (answers with that option), n_respondents (who answered the
    question), share (n / n_respondents); counts of questions answered by fewer than
    ``min_group_size`` respondents are suppressed (share and n blank).
    """
    columns = ["question_id", "item_id", "option", "label", "n", "n_respondents", "share", "suppressed"]
    if "labels" not in items.columns or responses.empty:
        return pd.DataFrame(columns=columns)
    coded = items[items["labels"].notna()].assign(question_id=_question_of(items))
    rows = []
    for item in coded.itertuples(index=False):
        answers = responses.loc[responses["item_id"] == item.item_id]
        kind = str(getattr(item, "kind", "") or "")
        codebook = parse_codebook(item.labels)
        question_respondents = responses.loc[
            responses["item_id"].isin(coded.loc[coded["question_id"] == item.question_id, "item_id"]), "respondent_id"
        ].nunique()
        if kind == "option":  # one row: how many chose this option of the question
            label = codebook.get(1.0, str(item.item_id))
            rows.append(
                (item.question_id, item.item_id, 1.0, label, int((answers["value"] == 1).sum()), question_respondents)
            )
            continue
        counts = answers["value"].value_counts()
        for option, label in sorted(codebook.items()):
            rows.append(
                (
                    item.question_id,
                    item.item_id,
                    option,
                    label,
                    int(counts.get(option, 0)),
                    answers["respondent_id"].nunique(),
                )
            )
    frame = pd.DataFrame(rows, columns=columns[:-2])
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["share"] = frame["n"] / frame["n_respondents"].replace(0, np.nan)
    frame = suppress_small_groups(
        frame, n_column="n_respondents", value_columns=["n", "share"], min_size=min_group_size
    )
    return frame[columns]


def before_after(responses: pd.DataFrame, items: pd.DataFrame, *, min_group_size: int) -> pd.DataFrame:
    """Paired before/after questions: items whose dimensions are ``<stem>_before`` and ``<stem>_after``.

    Per stem: n_pairs (respondents who answered both), mean_before, mean_after,
    mean_change (after - before, paired), improved / same / worse (shares of pairs);
    blank when fewer than ``min_group_size`` pairs.
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
    dims = items.set_index("item_id")["dimension"].astype(str)
    afters = sorted((d.removesuffix(AFTER), str(i)) for i, d in dims.items() if d.endswith(AFTER))
    rows = []
    for stem, item_after in afters:
        candidates = [str(i) for i, d in dims.items() if d == stem + BEFORE]
        if not candidates:
            continue
        # several "before" items (asked in two surveys): take the one of the same survey
        item_before = max(candidates, key=lambda i: (len(os.path.commonprefix([i, item_after])), i))  # noqa: RUF071
        before = responses.loc[responses["item_id"] == item_before].groupby("respondent_id")["value"].mean()
        after = responses.loc[responses["item_id"] == item_after].groupby("respondent_id")["value"].mean()
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


def response_rates(activities: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """Per activity: participants, distinct respondents and the response rate (respondents / participants).

    The rate is blank where participants is 0 or unknown. Sorted by date, then activity id.
    """
    columns = ["activity_id", "type", "date", "participants", "respondents", "response_rate"]
    if activities.empty:
        return pd.DataFrame(columns=columns)
    respondents = responses.dropna(subset=["activity_id"]).groupby("activity_id")["respondent_id"].nunique()
    out = activities[["activity_id", "type", "date", "participants"]].copy()
    out["respondents"] = out["activity_id"].map(respondents).fillna(0).astype("int64")
    participants = out["participants"].astype("float64")
    out["response_rate"] = (out["respondents"] / participants).where(participants > 0)
    return out.sort_values(["date", "activity_id"], kind="stable").reset_index(drop=True)[columns]
