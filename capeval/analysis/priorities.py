"""Programme priorities (Erasmus+): what each partner contributed to each, through its activities.

programme.yaml links a priority to activity types and items. A partner's contribution is its
activities of those types: how many, the participations and the hours. These are activity
figures, not survey answers; the linked items are scored by :func:`capeval.analysis.blocks.dimension_scores`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from capeval.schema import Priority

CONTRIBUTION_COLUMNS = ["priority", "partner_id", "activities", "participations", "hours"]


def priority_contributions(activities: pd.DataFrame, priorities: Sequence[Priority]) -> pd.DataFrame:
    """One row per priority and partner that contributed to it (in programme.yaml's order, then partner):
    its ``activities`` of the priority's types, their ``participations`` (participants summed) and ``hours``
    (the activities' own hours, over those that have them). An activity of a type two priorities share
    counts for both."""
    rows = []
    for priority in priorities:
        mine = activities[activities["type"].isin(priority.activity_types)]
        for partner, group in mine.groupby("partner_id", sort=True):
            rows.append(
                {
                    "priority": priority.id,
                    "partner_id": str(partner),
                    "activities": len(group),
                    "participations": int(group["participants"].sum()),
                    "hours": float(group["hours"].sum(min_count=1)),
                }
            )
    return pd.DataFrame(rows, columns=CONTRIBUTION_COLUMNS).astype(
        {"activities": "int64", "participations": "int64", "hours": "float64"}
    )


def priority_dimensions(items: pd.DataFrame, priority: Priority) -> list[str]:
    """The dimensions of the items linked to ``priority`` (in the order the items are listed), each once."""
    by_item = dict(zip(items["item_id"].astype(str), items["dimension"].astype(str), strict=True))
    return list(dict.fromkeys(by_item[i] for i in priority.items if i in by_item))
