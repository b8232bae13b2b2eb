"""The public API of capeval.ingest: formats, errors for unusable input, the report."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from capeval.errors import CapevalError
from capeval.ingest import FORMATS, ExportFormatError, MappingError, import_exports, suggest_mapping
from capeval.ingest.registry import registered

REAL = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real-exports"


def test_formats_are_all_registered() -> None:
    assert FORMATS == ("kobo", "limesurvey", "googleforms", "msforms", "csv", "tmd")
    assert set(registered()) == set(FORMATS)


def test_unknown_format_is_a_capeval_error(tmp_path: Path) -> None:
    with pytest.raises(ExportFormatError, match="unknown export format 'qualtrics'") as caught:
        import_exports("qualtrics", [REAL / "google_forms_responses.csv"], mapping=None, into=tmp_path)
    assert isinstance(caught.value, CapevalError)


def test_missing_export_and_missing_mapping(tmp_path: Path) -> None:
    with pytest.raises(ExportFormatError, match="export not found"):
        import_exports("csv", [tmp_path / "nope.csv"], mapping=None, into=tmp_path / "p")
    with pytest.raises(MappingError, match="needs a mapping file"):
        import_exports("googleforms", [REAL / "google_forms_responses.csv"], mapping=None, into=tmp_path / "p")
    with pytest.raises(MappingError, match="mapping file not found"):
        import_exports(
            "googleforms", [REAL / "google_forms_responses.csv"], mapping=tmp_path / "m.yaml", into=tmp_path / "p"
        )
    assert not (tmp_path / "p").exists()


def test_unreadable_exports(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("partner: P1\nprogramme: {id: x, title: x, waves: [{id: 1, label: a}]}\n", encoding="utf-8")
    with pytest.raises(ExportFormatError, match="empty file"):
        import_exports("csv", [empty], mapping=mapping, into=tmp_path / "p")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(ExportFormatError, match="not a readable XLSX workbook: it is not a ZIP archive") as caught:
        import_exports("msforms", [fake], mapping=mapping, into=tmp_path / "p")
    assert "BadZipFile" not in str(caught.value)
    bare_zip = tmp_path / "bare.xlsx"  # a ZIP archive without [Content_Types].xml: was "(KeyError: ...)"
    with zipfile.ZipFile(bare_zip, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(ExportFormatError) as caught:
        import_exports("kobo", [bare_zip], mapping=mapping, into=tmp_path / "p")
    assert str(caught.value) == (
        "bare.xlsx: not a readable XLSX workbook: a ZIP archive without the parts of a workbook (was it renamed "
        "from another file?); open it in Excel or LibreOffice and save it again as .xlsx"
    )


def test_mapping_errors_name_the_key(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "partner: P1\nitems:\n  - {column: q, item_id: q, level: L9, scale_min: 1, scale_max: 5}\n", encoding="utf-8"
    )
    with pytest.raises(MappingError) as caught:
        import_exports("googleforms", [REAL / "google_forms_responses.csv"], mapping=mapping, into=tmp_path / "p")
    assert caught.value.column == "items.0.level"
    mapping.write_text("partner: P1\n", encoding="utf-8")
    with pytest.raises(MappingError, match="no 'programme:' block"):
        import_exports("googleforms", [REAL / "google_forms_responses.csv"], mapping=mapping, into=tmp_path / "p")
    mapping.write_text(
        "partner: {column: Organisation}\nprogramme: {id: x, title: x, waves: [{id: 1, label: a}]}\n", encoding="utf-8"
    )
    with pytest.raises(MappingError, match="partner column 'Organisation' not in the export"):
        import_exports("googleforms", [REAL / "google_forms_responses.csv"], mapping=mapping, into=tmp_path / "p")


def test_tmd_needs_no_mapping_to_suggest() -> None:
    assert "needs no mapping" in suggest_mapping("tmd", REAL / "google_forms_responses.csv")


def test_the_documented_example_mapping_is_valid() -> None:
    import yaml

    from capeval.ingest.mapping import Mapping

    text = (Path(__file__).resolve().parents[1] / "docs" / "mapping.md").read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    mapping = Mapping.model_validate(yaml.safe_load(example))
    assert [i.item_id for i in mapping.items] == ["tevreden", "cijfer", "nuttig"]
    assert mapping.items[0].scale_min == 1 and mapping.items[0].scale_max == 5
