"""Key findings name the figures behind them, in the report's language."""

from __future__ import annotations

import re
from pathlib import Path

from capeval.report.context import open_report
from capeval.report.findings import key_findings
from capeval.store import build_store


def sentences(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<li>(.*?)</li>", html)]


def test_key_findings_of_a_small_partner(small: Path) -> None:
    build_store(small)
    found = sentences(key_findings(open_report(str(small), "partner", "P1")))
    # the gap rests on one answer (min_group_size 2): the finding and the action say so, with n
    assert found == [
        "2 activities counted 14 participations (a person at two activities counts twice); "
        "2 different people answered the surveys.",
        "The largest service-portfolio gap is Input of new knowledge: "
        "7.0 points on a 0–10 scale (programme median 4.0; n = 1). Based on 1 respondent only.",
        "First recommended action: Put the service ‘Input of new knowledge’ in the action plan: one of the largest "
        "gaps between current and desired quality. Based on 1 respondent only. "
        "Trigger: Service-portfolio gaps: 7.0 (n = 1).",
    ]


def test_key_findings_in_dutch(small: Path) -> None:
    build_store(small)
    found = sentences(key_findings(open_report(str(small), "partner", "P2", language="nl")))
    assert found[0] == (
        "1 activiteit telde 8 deelnames (wie bij twee activiteiten was, telt twee keer); "
        "1 persoon vulde de enquêtes in."
    )
    assert "Input of new knowledge: 4,0 punten" in found[1]  # service labels come from programme.yaml
    assert found[1].endswith("(mediaan programma 4,0; n = 1). Gebaseerd op slechts 1 respondent.")


def test_key_findings_without_survey_data_ask_for_evidence(small: Path) -> None:
    for table in ("activities", "responses", "portfolio"):
        (small / f"{table}.csv").unlink()
    build_store(small)
    found = sentences(key_findings(open_report(str(small), "partner", "P3")))
    assert found == [
        "First recommended action: Collect evidence on Coherence: no item or source covers it. "
        "Trigger: Evaluation criteria: no evidence."
    ]
