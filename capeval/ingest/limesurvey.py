"""LimeSurvey CSV exports: ``id, submitdate, lastpage, startlanguage, ...``, sub-questions ``Q[SQ001]``.

A response whose ``submitdate`` is empty was never completed: it is kept apart and
counted, not imported.
"""

from __future__ import annotations

from pathlib import Path

from capeval.ingest.cells import cell_text
from capeval.ingest.formats import ExportFormat, Record, register
from capeval.ingest.sources import Export, read_table


def read_limesurvey(path: Path) -> Export:
    return read_table(path, "limesurvey")


def is_incomplete(record: Record) -> bool:
    """True for a response that was started but not submitted (no submitdate)."""
    return "submitdate" in record and not cell_text(record["submitdate"])


FORMAT = register(
    ExportFormat(
        name="limesurvey",
        read=read_limesurvey,
        meta_columns=frozenset(
            {
                "id",
                "submitdate",
                "lastpage",
                "startlanguage",
                "seed",
                "startdate",
                "datestamp",
                "ipaddr",
                "refurl",
                "token",
            }
        ),
        meta_prefixes=("interviewtime", "grouptime", "timing"),
        personal_columns=frozenset({"ipaddr", "token", "email", "firstname", "lastname"}),
        respondent_columns=("id",),
        multi_separator=";",
        is_incomplete=is_incomplete,
        description="LimeSurvey CSV (id, submitdate, lastpage, startlanguage, Q[SQ001])",
    )
)
