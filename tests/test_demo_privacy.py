"""Every partner report of every demo programme holds no other partner's identifiable data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from capeval.audit import audit_partner_reports
from capeval.cli import main
from capeval.demo import DEMO_PROGRAMMES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--data", str(root / "data"), "--out", str(root / "reports"), "--quiet"]) == 0
    return root / "data", root / "reports"


@pytest.mark.parametrize("programme", DEMO_PROGRAMMES)
def test_no_partner_report_leaks_another_partners_data(demo_reports: tuple[Path, Path], programme: str) -> None:
    data, reports = demo_reports
    manifest = json.loads((reports / programme / "manifest.json").read_text(encoding="utf-8"))
    partners = [r for r in manifest["reports"] if r["kind"] == "partner"]
    assert len(partners) >= 10 and all(r["status"] == "ok" for r in partners)
    leaks = audit_partner_reports(data / programme, reports / programme)
    assert [str(leak) for leak in leaks] == []
