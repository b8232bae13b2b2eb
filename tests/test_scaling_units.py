"""Scaling in a track's and the programme's report: the partners' scans together, a track's own scan
beside them (never one of the "units" it is averaged with), the tracks' own scans in the programme report."""

from __future__ import annotations

import html
import re
from pathlib import Path

from capeval import report
from capeval.report.context import open_report
from capeval.report.method import observations
from capeval.store import build_store
from tests.conftest import append_lines

# partners of T1: P1 collaboration 2 (two raters 1 and 3), finance 4; P2 collaboration 3, finance 4.
# T2: P3 collaboration 5, finance 2. The tracks' own roles: T1 finance 1, collaboration 4; T2 collaboration 2.
SCAN = [
    "P1,1,self,collaboration,1,,no",
    "P1,1,peer,collaboration,3,,no",
    "P1,1,self,finance,4,,no",
    "P1,1,peer,finance,4,,no",
    "P2,1,self,collaboration,3,,no",
    "P2,1,self,finance,4,,no",
    "P3,1,self,collaboration,5,,no",
    "P3,1,self,finance,2,,no",
    "T1,1,chair,collaboration,4,,no",
    "T1,1,chair,finance,1,,no",
    "T2,1,chair,collaboration,2,,no",
    "T2,1,chair,finance,4,,no",
]


def _scaled(small: Path) -> Path:
    (small / "scaling.csv").write_text("unit_id,wave,rater,ingredient,score,rationale,consent_to_quote\n")
    append_lines(small / "scaling.csv", *SCAN)
    build_store(small)
    return small


def _text(section: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)))


def test_a_track_shows_its_own_scan_and_then_its_partners_together(small: Path) -> None:
    ctx = open_report(str(_scaled(small)), "track", "T1", language="en")
    page = _text(report.scaling(ctx).html)
    own, partners = page.split("Its partners' Scaling Scans together")
    assert "The learning track's own Scaling Scan" in own
    assert "Bottleneck: Finance (mean 1.0)" in own  # the track's own roles' scan
    # P1 and P2 only, each partner once: collaboration (2 + 3) / 2 = 2.5, finance (4 + 4) / 2 = 4.0
    assert "2 partners scored each ingredient" in partners
    assert "Collaboration 2.5 2.0–3.0 2 3 2 of 2" in partners
    assert "Finance 4.0 4.0–4.0 2 3 0 of 2" in partners


def test_the_programme_averages_its_partners_and_lists_the_tracks_own_scans(small: Path) -> None:
    ctx = open_report(str(_scaled(small)), "programme", "", language="en")
    page = _text(report.scaling(ctx).html)
    partners, tracks = page.split("The learning tracks' own Scaling Scans")
    # three partners, not five units: collaboration (2 + 3 + 5) / 3 = 3.3; finance (4 + 4 + 2) / 3 = 3.3
    assert "3 partners scored each ingredient" in partners and "units" not in partners
    assert "Collaboration 3.3 2.0–5.0 3 4 2 of 3" in partners  # P1, P2; P3's bottleneck is finance
    assert "Finance 3.3 2.0–4.0 3 4 1 of 3" in partners
    assert "Banking baseline 1 Collaboration (2.0)" in tracks  # sorted by name
    assert "Procurement baseline 1 Finance (1.0)" in tracks
    counted = observations(ctx).set_index("counted")["n"]
    assert counted["ratings of the partners' scaling ingredients"] == 8  # P1 4, P2 2, P3 2; not the tracks' 4
    assert "ratings of the unit's scaling ingredients" not in counted  # the programme has no scan of its own
