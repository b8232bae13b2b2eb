"""The appendix tables of a report's workbook: item wording, the programme's codebook, reach per activity.

Each takes store frames (or the programme's config) and returns a DataFrame whose columns are
the reader's labels, in the report's language.
"""

from __future__ import annotations

import pandas as pd

from capeval.analysis.answers import response_rates
from capeval.i18n import t
from capeval.schema import ProgrammeConfig


def item_wording(items: pd.DataFrame, language: str) -> pd.DataFrame:
    """Every item of the programme: id, wording in ``language`` (the other language where it has
    none), Kirkpatrick level, dimension, criterion, scale and its answer codes (``labels``)."""
    other = "en" if language == "nl" else "nl"
    empty = pd.Series(pd.NA, index=items.index, dtype="string")
    own, fallback = (items.get(f"text_{lang}", empty).astype("string") for lang in (language, other))
    wording = own.where(own.notna() & (own.str.strip() != ""), fallback)
    frame = pd.DataFrame(
        {
            t("export_item_id", language): items["item_id"],
            t("export_item_text", language): wording,
            t("export_item_level", language): items["level"],
            t("export_item_dimension", language): items["dimension"],
            t("export_item_criterion", language): items.get("criterion"),
            t("export_item_scale_min", language): items["scale_min"],
            t("export_item_scale_max", language): items["scale_max"],
            t("export_item_answers", language): items["labels"] if "labels" in items.columns else pd.NA,
        }
    )
    return frame.reset_index(drop=True)


def programme_codebook(config: ProgrammeConfig, language: str) -> pd.DataFrame:
    """The codes programme.yaml defines (waves, activity types, services, scaling ingredients,
    criteria) with their labels: one row per code."""
    rows: list[tuple[str, str, str]] = []
    lists = (
        ("waves", [(str(w.id), w.label) for w in config.waves]),
        ("activity_types", [(c.id, c.label) for c in config.activity_types]),
        ("services", [(c.id, c.label) for c in config.services]),
        ("scaling_ingredients", [(c.id, c.label) for c in config.scaling_ingredients]),
        ("criteria", [(c, t(f"criterion_{c}", language)) for c in config.criteria]),
    )
    for name, codes in lists:
        rows.extend((t(f"export_list_{name}", language), code, label) for code, label in codes)
    columns = [
        t("export_codebook_list", language),
        t("export_codebook_code", language),
        t("export_codebook_label", language),
    ]
    return pd.DataFrame(rows, columns=columns)


def activity_reach(activities: pd.DataFrame, responses: pd.DataFrame, language: str) -> pd.DataFrame:
    """Per activity of the unit: partner, type, date, hours, participants, distinct respondents and
    the response rate (blank where participants is 0 or unknown)."""
    rates = response_rates(activities, responses)
    extra = activities.set_index("activity_id")
    hours = rates["activity_id"].map(extra["hours"]) if "hours" in extra.columns else pd.NA
    dates = rates["date"].map(lambda d: None if pd.isna(d) else pd.Timestamp(d).date().isoformat())
    return pd.DataFrame(
        {
            t("export_activity", language): rates["activity_id"],
            t("export_partner", language): rates["activity_id"].map(extra["partner_id"]),
            t("export_activity_type", language): rates["type"],
            t("export_date", language): dates,
            t("export_hours", language): hours,
            t("export_participants", language): rates["participants"],
            t("export_respondents", language): rates["respondents"],
            t("export_response_rate", language): rates["response_rate"].round(3),
        }
    )
