"""An import is one transaction over the programme folder: all of it is written, or none."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest

from capeval.cli import main
from capeval.ingest import ExportFormatError, import_exports
from capeval.ingest.transaction import JOURNAL, FolderTransaction, recover
from capeval.validate import validate_programme

MAPPING = """
programme: {id: atomic, title: Atomic, waves: [{id: 1, label: "2026"}]}
partners: [{partner_id: P1, name: Partner one}]
respondent: Nr
partner: P1
items:
  - {column: Cijfer, item_id: cijfer, text_en: Grade, scale_min: 1, scale_max: 10}
  - {column: Eens, item_id: eens, text_en: Agree,
     labels: {Helemaal oneens: 1, Oneens: 2, Neutraal: 3, Eens: 4, Helemaal eens: 5}}
"""


def export(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Nr", "Cijfer", "Eens"])
        writer.writerows(rows)
    return path


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the folder (hidden ones too) with a hash of its bytes."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


def answers(root: Path) -> int:
    with (root / "responses.csv").open(encoding="utf-8") as handle:
        return sum(1 for _ in csv.DictReader(handle))


@pytest.fixture
def mapping(tmp_path: Path) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def test_a_failed_import_writes_nothing_and_a_retry_counts_once(tmp_path: Path, mapping: Path) -> None:
    into = tmp_path / "programme"
    first = export(tmp_path / "wave1.csv", [("1", "7", "Eens"), ("2", "8", "Neutraal")])
    import_exports("csv", [first], mapping=mapping, into=into)
    assert answers(into) == 4
    # the second export has a row to quarantine, but _rejected/ cannot be made (a file is in the way)
    second = export(tmp_path / "wave1b.csv", [("3", "9", "Helemaal eens"), ("4", "6", "Misschien"), ("5", "5", "")])
    (into / "_rejected").write_text("in the way", encoding="utf-8")
    before = snapshot(into)
    with pytest.raises(ExportFormatError, match="nothing was imported"):
        import_exports("csv", [second], mapping=mapping, into=into)
    assert snapshot(into) == before  # not a byte changed, no staging folder left behind
    (into / "_rejected").unlink()
    report = import_exports("csv", [second], mapping=mapping, into=into)
    assert report.added["responses"] == 3  # respondent 3: two answers; 5: one; 4 is quarantined
    assert answers(into) == 7
    again = import_exports("csv", [first, second], mapping=mapping, into=into)
    assert again.added.get("responses", 0) == 0 and answers(into) == 7
    assert validate_programme(into).counts()["responses"] == (7, 0)


def test_a_failed_import_into_a_new_folder_leaves_no_folder(tmp_path: Path, mapping: Path) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the programme folder should go", encoding="utf-8")
    source = export(tmp_path / "wave1.csv", [("1", "7", "Eens")])
    code = main(["import", "--from", "csv", str(source), "--mapping", str(mapping), "--into", str(blocker / "p")])
    assert code == 1
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_the_cli_says_nothing_was_imported(tmp_path: Path, mapping: Path, capsys: pytest.CaptureFixture[str]) -> None:
    into = tmp_path / "programme"
    into.mkdir()
    (into / "_rejected").write_text("in the way", encoding="utf-8")
    source = export(tmp_path / "wave1.csv", [("1", "7", "Misschien")])
    code = main(["import", "--from", "csv", str(source), "--mapping", str(mapping), "--into", str(into)])
    err = capsys.readouterr().err
    assert code == 1
    assert "nothing was imported" in err and "Traceback" not in err and ".capeval_import_" not in err
    assert sorted(p.name for p in into.iterdir()) == ["_rejected"]


def test_an_import_decided_but_interrupted_is_finished_by_the_next(tmp_path: Path, mapping: Path) -> None:
    into = tmp_path / "programme"
    import_exports("csv", [export(tmp_path / "a.csv", [("1", "7", "Eens")])], mapping=mapping, into=into)
    before = snapshot(into)
    transaction = FolderTransaction(into)
    staging = transaction.__enter__()
    (staging / "partners.csv").write_text("partner_id,name\nP1,Partner one\nP2,Partner two\n", encoding="utf-8")
    transaction.prepare()  # the journal is written: the import is decided; then the process dies
    assert (into / JOURNAL).is_file()
    assert {k: v for k, v in snapshot(into).items() if not k.startswith(".capeval_import")} == before
    recover(into)
    assert (into / "partners.csv").read_text(encoding="utf-8").endswith("P2,Partner two\n")
    assert not (into / JOURNAL).exists() and not list(into.glob(".capeval_import_*"))


def test_a_staging_folder_of_a_crashed_import_is_dropped(tmp_path: Path, mapping: Path) -> None:
    into = tmp_path / "programme"
    import_exports("csv", [export(tmp_path / "a.csv", [("1", "7", "Eens")])], mapping=mapping, into=into)
    before = snapshot(into)
    transaction = FolderTransaction(into)
    staging = transaction.__enter__()
    (staging / "responses.csv").write_text("garbage", encoding="utf-8")  # dies before deciding
    report = import_exports("csv", [export(tmp_path / "b.csv", [("2", "5", "Eens")])], mapping=mapping, into=into)
    assert report.added["responses"] == 2
    assert not staging.exists()
    assert answers(into) == 4 and set(snapshot(into)) == set(before)
