"""ELIXIR TMD exports -> `capeval import --from tmd` -> `capeval run`: one report per node."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from capeval.cli import main
from tests.conftest import SHARED_FIXTURES

pytestmark = pytest.mark.slow
EXAMPLE = SHARED_FIXTURES / "tmd" / "example-data"


@pytest.fixture(scope="module")
def tmd_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("tmd")
    files = [str(EXAMPLE / f"tango_{kind}.csv") for kind in ("events", "demographics", "qualities", "impacts")]
    assert main(["import", "--from", "tmd", *files, str(EXAMPLE / "nodes.csv"), "--into", str(root / "tmd")]) == 0
    assert main(["run", "--programme", str(root / "tmd"), "--out", str(root / "reports"), "--quiet"]) == 0
    return root / "tmd", root / "reports" / "tmd"


def text_of(page: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def test_one_report_per_node(tmd_reports: tuple[Path, Path]) -> None:
    programme, reports = tmd_reports
    nodes = set(pd.read_csv(programme / "partners.csv")["partner_id"])
    manifest = json.loads((reports / "manifest.json").read_text())
    partner_reports = {r["unit"] for r in manifest["reports"] if r["kind"] == "partner" and r["status"] == "ok"}
    assert partner_reports == nodes and len(nodes) == 13


def test_frequency_tables_include_options_nobody_chose(tmd_reports: tuple[Path, Path]) -> None:
    programme, reports = tmd_reports
    responses = pd.read_csv(programme / "responses.csv")
    mine = responses[(responses["partner_id"] == "ELIXIR-NL") & (responses["item_id"] == "quality.course_rating")]
    counts = mine["value"].value_counts()
    page = (reports / "partners" / "ELIXIR-NL.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="data freq q-quality-course-rating">(.*?)</table>', page, re.S)
    assert table is not None
    rows = re.findall(r"<tr><td>([^<]+)</td><td[^>]*>([^<]+)</td>", table.group(1))
    labels = ["Poor (1)", "Satisfactory (2)", "Good (3)", "Very Good (4)", "Excellent (5)"]
    assert [label for label, _ in rows] == labels  # every option listed, chosen or not
    assert [int(n) for _, n in rows] == [int(counts.get(float(v), 0)) for v in range(1, 6)]


def test_before_after_tool_use_and_response_rates(tmd_reports: tuple[Path, Path]) -> None:
    programme, reports = tmd_reports
    text = text_of(reports / "partners" / "ELIXIR-NL.html")
    assert "Before and after" in text
    assert re.search(r"AFTER having attended the training\?: from \d\.\d before to \d\.\d after", text)
    activities = pd.read_csv(programme / "activities.csv")
    responses = pd.read_csv(programme / "responses.csv")
    mine = activities[activities["partner_id"] == "ELIXIR-NL"]
    answered = responses[responses["activity_id"].isin(mine["activity_id"])]
    count = int(answered.groupby("activity_id")["respondent_id"].nunique().sum())  # a response per activity judged
    rate = round(100 * count / mine["participants"].sum())
    assert f"{count} responses of {mine['participants'].sum()} participations: a response rate of {rate} %" in text
