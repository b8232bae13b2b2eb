"""The evaluator's narrative: placing headings, sanitising Markdown, validating the narrative/ folder."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from capeval.cli import main
from capeval.narrative import narrative_block, narrative_digest, narrative_for, parse_narrative, render_markdown
from capeval.validate import validate_programme


def test_headings_in_english_or_dutch_place_the_parts() -> None:
    text = "Opening words.\n\n## Gaps\nThe gap is *real*.\n\n## beperkingen\nSmall n.\n## Management response\nAgreed."
    parts, problems = parse_narrative(text, "narrative/partners/P1.md")
    assert problems == []
    assert parts == {
        "summary": "Opening words.",
        "gaps": "The gap is *real*.",
        "limitations": "Small n.",
        "management_response": "Agreed.",
    }


def test_an_unknown_heading_is_a_problem_at_its_line_and_a_fenced_hash_is_not() -> None:
    text = "## Summary\nok\n```\n## not a heading\n```\n\n## Conclusions\nx"
    parts, problems = parse_narrative(text, "narrative/programme.md")
    assert [(p.file, p.line, p.column) for p in problems] == [("narrative/programme.md", 7, "heading")]
    assert "'## Conclusions' names no place" in problems[0].message
    assert "'## Limitations'" in problems[0].message
    assert "## not a heading" in parts["summary"]


class _Elements(HTMLParser):
    """The tags and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "![logo](https://tracker.example/p.png)",
        "[click](javascript:alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="https://x.org" onclick="evil()">x</a>',
        "<iframe src=https://x.org></iframe><style>body{}</style>",
    ],
)
def test_markdown_is_sanitised(markdown: str) -> None:
    parser = _Elements()
    parser.feed(render_markdown(markdown))
    for tag, attrs in parser.found:
        assert tag in {"p", "a", "em", "strong"}, tag
        assert not [name for name in attrs if name.startswith("on") or name in ("src", "style")]
        assert (attrs.get("href") or "https:").startswith(("https:", "http:", "mailto:"))


def test_safe_markdown_keeps_its_form() -> None:
    html = render_markdown("**Strong** and [a link](https://example.org) or [mail](mailto:a@b.org).\n\n- one\n- two")
    assert "<strong>Strong</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'href="mailto:a@b.org"' in html
    assert "<li>one</li>" in html


def _write(root: Path, rel: str, text: str) -> Path:
    path = root / "narrative" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_report_language_picks_its_own_file(small: Path) -> None:
    _write(small, "partners/P1.md", "## Summary\nIn any language.")
    _write(small, "partners/P1.nl.md", "## Samenvatting\nIn het Nederlands.")
    dutch, english = narrative_for(small, "partner", "P1", "nl"), narrative_for(small, "partner", "P1", "en")
    assert dutch is not None and dutch.parts == {"summary": "In het Nederlands."}
    assert english is not None and english.parts == {"summary": "In any language."}
    assert narrative_for(small, "partner", "P2", "en") is None
    block = narrative_block(dutch, "summary", "nl")
    assert 'class="narrative"' in block and "Tekst van de evaluator" in block and "In het Nederlands." in block
    assert narrative_block(dutch, "gaps", "nl") == ""


def test_editing_a_narrative_changes_only_its_units_digest(small: Path) -> None:
    before = {uid: narrative_digest(small, "partner", uid) for uid in ("P1", "P2")}
    _write(small, "partners/P1.md", "## Gaps\nNew words.")
    after = {uid: narrative_digest(small, "partner", uid) for uid in ("P1", "P2")}
    assert after["P1"] != before["P1"]
    assert after["P2"] == before["P2"]


def test_validate_names_file_and_line_of_narrative_problems(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(small, "partners/P1.md", "## Summary\nfine\n\n## Wrap-up\nx")
    _write(small, "partners/P9.md", "## Summary\nno such partner")
    _write(small, "tracks/T1.md", "## Lessen\nGoed.")
    (small / "narrative" / "programme.md").write_bytes("## Summary\nCaf\xe9".encode("cp1252"))
    lines = [str(p) for p in validate_programme(small).problems]
    assert lines[0].startswith("narrative/partners/P1.md:4: heading: '## Wrap-up' names no place")
    assert lines[1].startswith("narrative/partners/P9.md: -: not a narrative of this programme")
    assert lines[2].startswith("narrative/programme.md: -: not UTF-8")
    assert len(lines) == 3
    assert main(["validate", str(small)]) == 1
    out = capsys.readouterr()
    assert "narrative/partners/P9.md: -: not a narrative of this programme" in out.out
    assert out.err.startswith("invalid:") and "Traceback" not in out.out + out.err
