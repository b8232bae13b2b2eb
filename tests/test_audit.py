"""The leak audit finds another partner's data in a report, and finds none in real reports."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from capeval.audit import audit_partner_reports, visible_text

pytestmark = pytest.mark.slow


def test_rendered_reports_hold_no_other_partners_data(rendered_small: Path) -> None:
    programme = rendered_small.parent / "small"
    assert audit_partner_reports(programme, rendered_small / "small") == []


def test_audit_catches_a_planted_leak(rendered_small: Path, tmp_path: Path) -> None:
    copy = tmp_path / "small"
    shutil.copytree(rendered_small / "small", copy)
    page = copy / "partners" / "P1.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>Compare: Gamma Group, R3</p></main>"))
    leaks = audit_partner_reports(rendered_small.parent / "small", copy)
    assert sorted((leak.report, leak.owner, leak.kind) for leak in leaks) == [
        ("partners/P1.html", "P2", "respondent_id"),
        ("partners/P1.html", "P3", "name"),
    ]


def test_visible_text_ignores_markup() -> None:
    assert visible_text("<style>.R3{}</style><p title='P2'>A &amp; B</p>").split() == ["A", "&", "B"]
