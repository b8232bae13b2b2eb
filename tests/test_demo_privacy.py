"""Every partner report of every demo programme holds no other partner's identifiable data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from capeval.audit import audit_partner_reports
from capeval.demo import DEMO_PROGRAMMES

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("programme", DEMO_PROGRAMMES)
def test_no_partner_report_leaks_another_partners_data(demo_reports: tuple[Path, Path], programme: str) -> None:
    data, reports = demo_reports
    manifest = json.loads((reports / programme / "manifest.json").read_text(encoding="utf-8"))
    partners = [r for r in manifest["reports"] if r["kind"] == "partner"]
    assert len(partners) >= 10 and all(r["status"] == "ok" for r in partners)
    leaks = audit_partner_reports(data / programme, reports / programme)
    assert [str(leak) for leak in leaks] == []


@pytest.mark.parametrize("programme", DEMO_PROGRAMMES)
def test_no_difference_of_published_figures_reveals_a_small_group(
    demo_reports: tuple[Path, Path], programme: str
) -> None:
    """The attacker reads every report of the demo programme (HTML and manifest only) and subtracts."""
    import yaml
    from disclosure_attack import Conventions, leaks, read_release

    from capeval.i18n import t

    data, reports = demo_reports
    config = yaml.safe_load((data / programme / "programme.yaml").read_text(encoding="utf-8"))
    language, size = config["language"], config["min_group_size"]
    known = Conventions(
        latest_wave=config["waves"][-1]["label"],
        level_of_column={t("u_l1", language): t("level_L1", language), t("u_l3", language): t("level_L3", language)},
    )
    found = read_release(reports / programme, known)
    assert len(found.shown) > 200
    assert leaks(found, size) == []


@pytest.mark.parametrize("programme", DEMO_PROGRAMMES)
def test_no_finding_or_action_rests_on_a_small_base_without_saying_so(
    demo_reports: tuple[Path, Path], programme: str
) -> None:
    """Every key finding and every recommended action whose n is under min_group_size says its base."""
    import re

    import yaml

    data, reports = demo_reports
    config = yaml.safe_load((data / programme / "programme.yaml").read_text(encoding="utf-8"))
    size = config["min_group_size"]
    claims = 0
    for page in (reports / programme).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        findings = re.search(r'<ul class="findings">(.*?)</ul>', html, re.S)
        actions = re.search(r'<h2 id="actions">.*?<tbody>(.*?)</tbody>', html, re.S)
        found = re.findall(r"<li>(.*?)</li>", findings.group(1), re.S) if findings else []
        found += re.findall(r"<tr>(.*?)</tr>", actions.group(1), re.S) if actions else []
        for claim in found:
            claims += 1
            small = [int(n) for n in re.findall(r"n = (\d+)", claim) if int(n) < size]
            if small:
                assert "Based on" in claim or "Gebaseerd op" in claim, f"{page.name}: {claim}"
    assert claims > 100
