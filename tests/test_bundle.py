"""Bundles to send: a partner's zip holds only that partner's report and an index of it."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from capeval.cli import main


def entry(unit: str, kind: str = "partner", status: str = "ok") -> dict[str, object]:
    folder = {"partner": "partners", "programme": "programme"}[kind]
    return {
        "unit": unit, "kind": kind, "name": f"Name {unit}", "track_id": "T1", "status": status,
        "input_hash": "0" * 64, "seconds": 1.0, "path": f"{folder}/{unit}.html", "error": None,
    }  # fmt: skip


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports" / "prog"
    entries = [entry("P1"), entry("P2"), entry("P3", status="failed"), entry("prog", "programme")]
    for item in entries:
        if item["status"] == "ok":
            path = folder / str(item["path"])
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"<html>report {item['unit']} secret-of-{item['unit']}</html>", encoding="utf-8")
    manifest = {"schema_version": 1, "programme": "prog", "title": "Prog", "language": "nl", "reports": entries}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path / "reports"


def read_zip(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_partner_bundle_holds_only_that_partner(reports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bundle", "--programme", "prog", "--partner", "P2 ", "--reports", str(reports)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == reports / "prog-P2.zip"
    files = read_zip(path)
    assert sorted(files) == ["index.html", "partners/P2.html"]
    everything = "".join(files.values())
    assert "P1" not in everything and "secret-of-P1" not in everything and "P3" not in everything
    assert re.findall(r'<a href="([^"]+)">', files["index.html"]) == ["partners/P2.html"]
    assert '<html lang="nl">' in files["index.html"]


def test_partner_bundle_with_programme_report(reports: Path) -> None:
    out = reports / "x.zip"
    assert (
        main(
            [
                "bundle",
                "--programme",
                "prog",
                "--partner",
                "P1",
                "--with-programme",
                "--reports",
                str(reports),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert sorted(read_zip(out)) == ["index.html", "partners/P1.html", "programme/prog.html"]


def test_programme_bundle_holds_every_rendered_report(reports: Path) -> None:
    assert main(["bundle", "--programme", "prog", "--reports", str(reports)]) == 0
    assert sorted(read_zip(reports / "prog.zip")) == [
        "index.html",
        "partners/P1.html",
        "partners/P2.html",
        "programme/prog.html",
    ]


def test_bundle_is_byte_identical_for_the_same_reports(reports: Path) -> None:
    main(
        ["bundle", "--programme", "prog", "--partner", "P1", "--reports", str(reports), "--out", str(reports / "a.zip")]
    )
    main(
        ["bundle", "--programme", "prog", "--partner", "P1", "--reports", str(reports), "--out", str(reports / "b.zip")]
    )
    assert (reports / "a.zip").read_bytes() == (reports / "b.zip").read_bytes()


def test_bundle_errors(reports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bundle", "--programme", "prog", "--partner", "P9", "--reports", str(reports)]) == 2  # bad usage
    assert "unknown partner id 'P9' in prog" in capsys.readouterr().err
    assert main(["bundle", "--programme", "prog", "--partner", "P3", "--reports", str(reports)]) == 1
    assert "the report of partner 'P3' failed" in capsys.readouterr().err
    assert main(["bundle", "--programme", "nope", "--reports", str(reports)]) == 1
    assert "no rendered programme 'nope' here" in capsys.readouterr().err


def test_a_partner_id_with_path_tricks_bundles_inside_the_report_folder(
    reports: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = reports / "prog"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    tricky = {**entry("../../../../x"), "path": "partners/x-3f1c0a9d2b.html"}  # as batch names its report
    manifest["reports"].append(tricky)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (folder / "partners" / "x-3f1c0a9d2b.html").write_text("<html>tricky</html>", encoding="utf-8")
    assert main(["bundle", "--programme", "prog", "--partner", "../../../../x", "--reports", str(reports)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == reports / "prog-x-3f1c0a9d2b.zip" and path.is_file()
    assert sorted(p.name for p in reports.parent.rglob("*.zip")) == ["prog-x-3f1c0a9d2b.zip"]
    assert main(["bundle", "--programme", "../reports/prog", "--reports", str(reports)]) == 2
    assert "not a programme id: '../reports/prog'" in capsys.readouterr().err


def test_a_bundles_index_calls_tracks_by_their_names_and_the_programmes_noun(reports: Path) -> None:
    folder = reports / "prog"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    track = entry("T1") | {"kind": "track", "name": "Zuivelpilot", "path": "tracks/T1.html"}
    (folder / "tracks").mkdir()
    (folder / "tracks" / "T1.html").write_text("<html>report T1</html>", encoding="utf-8")
    manifest |= {"track_noun": "pilot", "reports": [*manifest["reports"], track]}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["bundle", "--programme", "prog", "--reports", str(reports), "--partner", "P1"]) == 0
    index = read_zip(reports / "prog-P1.zip")["index.html"]
    assert "Zuivelpilot" in index  # the track's name, not its id
    assert "Pilot" in index and "eertraject" not in index  # the programme calls its tracks pilots


def write_manifest_text(reports: Path, text: str) -> Path:
    path = reports / "prog" / "manifest.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('{"reports": [{"unit": null, "kind": 5}], "schema_version": "x"}', "report 1 has no text 'unit'"),
        ("\x00\xff garbage", "not JSON text"),
        ("[1, 2]", "no list of 'reports'"),
        ('{"reports": [{"unit": "P1", "kind": "partner", "status": "ok", "path": "partners/P1.html",'
         ' "files": ["../x"]}]}', "report 1: 'files' is not a list of {\"path\": …}"),
    ],
)  # fmt: skip
def test_a_garbage_manifest_is_named_not_a_traceback(
    reports: Path, capsys: pytest.CaptureFixture[str], text: str, why: str
) -> None:
    path = write_manifest_text(reports, text)
    assert main(["bundle", "--programme", "prog", "--partner", "P1", "--reports", str(reports)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: not a capeval manifest ({why}); render the reports again with capeval run" in err
    assert "internal error" not in err and not (reports / "prog-P1.zip").exists()


@pytest.mark.parametrize("bad", ["../../../../etc/passwd", "/etc/passwd", "partners/../../x.html"])
def test_a_manifest_path_outside_the_report_folder_is_refused(
    reports: Path, capsys: pytest.CaptureFixture[str], bad: str
) -> None:
    folder = reports / "prog"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["reports"][0]["path"] = bad
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["bundle", "--programme", "prog", "--partner", "P1", "--reports", str(reports)]) == 1
    err = capsys.readouterr().err
    assert f"{folder / 'manifest.json'}: report 1 ('P1') has the path '{bad}', outside the report folder" in err
    assert not (reports / "prog-P1.zip").exists()


def test_out_over_a_report_or_another_file_is_refused(reports: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = reports / "prog" / "partners" / "P1.html"
    before = report.read_bytes()
    assert (
        main(["bundle", "--programme", "prog", "--partner", "P1", "--reports", str(reports), "--out", str(report)]) == 2
    )
    assert f"--out: {report} is a rendered report; give a .zip path of its own" in capsys.readouterr().err
    assert report.read_bytes() == before
    other = reports / "notes.txt"
    other.write_text("mine", encoding="utf-8")
    assert main(["bundle", "--programme", "prog", "--reports", str(reports), "--out", str(other)]) == 2
    assert "exists and is not a zip" in capsys.readouterr().err and other.read_text(encoding="utf-8") == "mine"
    assert main(["bundle", "--programme", "prog", "--reports", str(reports), "--out", str(reports / "prog")]) == 2
    inside = reports / "prog" / "partners" / "P1.zip"  # a zip of its own inside the report folder is fine
    assert (
        main(["bundle", "--programme", "prog", "--partner", "P1", "--reports", str(reports), "--out", str(inside)]) == 0
    )
    assert (
        main(["bundle", "--programme", "prog", "--partner", "P1", "--reports", str(reports), "--out", str(inside)]) == 0
    )
