"""Draft mappings and imports for the cases real exports bring: wrong files, repeated headers,
colliding ids, forms that carry the scale, LimeSurvey question-text exports, personal data by content."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
import yaml

from capeval.cli import main
from capeval.ingest import ExportFormatError, import_exports, suggest_mapping
from capeval.ingest.mapping import load_mapping
from tests.conftest import SHARED_FIXTURES

REAL = SHARED_FIXTURES / "real-exports"
LSS = REAL / "limesurvey_structure_981966.lss"


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def named(text: str, path: Path) -> Path:
    path.write_text(text.replace("EDIT: partner name", "Partner one"), encoding="utf-8")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# ---- wrong files -------------------------------------------------------------------------


def test_a_limesurvey_structure_file_is_not_responses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("partner: P1\nprogramme: {id: x, title: x, waves: [{id: 1, label: a}]}\n", encoding="utf-8")
    with pytest.raises(ExportFormatError, match=r"survey structure file \(\.lss\), not responses"):
        import_exports("limesurvey", [LSS], mapping=mapping, into=tmp_path / "p")
    assert not (tmp_path / "p").exists()
    code = main(["import", "--from", "limesurvey", "--suggest-mapping", str(LSS)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "--form" in err and "Traceback" not in err


def test_an_xlsx_that_is_no_kobo_export_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportFormatError, match="not a KoboToolbox export"):
        suggest_mapping("kobo", REAL / "google_forms_responses.xlsx")


def test_an_xlsform_given_as_export_says_to_use_form(tmp_path: Path) -> None:
    form = xlsform(tmp_path / "form.xlsx")
    with pytest.raises(ExportFormatError, match=r"XLSForm .* give it with --form"):
        suggest_mapping("kobo", form)


# ---- repeated headers and ids ------------------------------------------------------------


def test_each_repeated_header_can_be_mapped(tmp_path: Path) -> None:
    export = REAL / "kobo_dam_survey_labels.csv"
    text = suggest_mapping("kobo", export)
    assert "Repeated header names" in text and "'Cultural significance' ×2" in text
    draft = yaml.safe_load(text.replace("No: 0", "'No': 0").replace("Yes: 1", "'Yes': 1"))
    columns = [i["column"] for i in draft["items"]]
    assert "Cultural significance" in columns and "Cultural significance#2" in columns
    into = tmp_path / "p"
    import_exports("kobo", [export], mapping=named(text, tmp_path / "m.yaml"), into=into)
    answers = rows(into / "responses.csv")
    first = [float(r["value"]) for r in answers if r["item_id"] == "cultural_significance"]
    second = [float(r["value"]) for r in answers if r["item_id"] == "cultural_significance_2"]
    # counted in the export by hand: 'Always' 44 times in the river block, 65 times in the forest block
    assert (first.count(5.0), len(first)) == (44, 134)
    assert (second.count(5.0), len(second)) == (65, 134)


def test_options_with_slashes_and_long_questions_get_distinct_ids(tmp_path: Path) -> None:
    long = "Please tell us how satisfied you are with the organisation of the"
    export = write_csv(
        tmp_path / "long.csv",
        ["Nr", f"{long} first day", f"{long} second day", "Roles"],
        [
            ["1", "Satisfied", "Very satisfied", "Trainer/coach;Host"],
            ["2", "Dissatisfied", "Satisfied", "Trainer coach;Host"],
            ["3", "Satisfied", "Satisfied", "Host"],
        ],
    )
    draft = yaml.safe_load(suggest_mapping("csv", export))
    ids = [i["item_id"] for i in draft["items"]]
    assert len(ids) == len(set(ids)) == 3
    (roles,) = [i for i in draft["items"] if i["column"] == "Roles"]
    options = roles["multiple"]["options"]
    assert (
        len(set(options.values())) == len(options) == 3
    )  # 'Trainer/coach' and 'Trainer coach' both slug to trainer_coach


def test_every_problem_of_a_mapping_is_reported_at_once(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "partner: P1\nitems:\n"
        "  - {column: a, item_id: a, level: L9, scale_min: 1, scale_max: 5}\n"
        "  - {column: b, item_id: b, scale_min: one, scale_max: 5}\n",
        encoding="utf-8",
    )
    with pytest.raises(ExportFormatError) as caught:
        load_mapping(mapping)
    message = str(caught.value)
    assert "items[0] 'a'.level: expected one of" in message and "and 1 more" in message
    assert "items[1] 'b'.scale_min: expected a whole number, got 'one'" in message
    assert "pydantic" not in message and "Input should" not in message


def test_a_mapping_is_read_as_yaml_1_2(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text(
        "partner: P1\nitems:\n  - column: q\n    item_id: q\n    labels: {No: 0, Yes: 1, Off: 2}\n", encoding="utf-8"
    )
    assert load_mapping(mapping).items[0].labels == {"No": 0, "Yes": 1, "Off": 2}
    mapping.write_text("partner: P1\npartner: P2\n", encoding="utf-8")
    with pytest.raises(ExportFormatError, match=r"m.yaml:2: key 'partner' is written twice \(first at line 1\)"):
        load_mapping(mapping)


# ---- forms carry the scale ---------------------------------------------------------------


def xlsform(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "parameters"])
    survey.append(["begin_group", "feedback", "Feedback", None])
    survey.append(["select_one agree", "useful", "The training was useful", None])
    survey.append(["range", "grade", "Your grade for the day", "start=0 end=10 step=1"])
    survey.append(["select_one colour", "colour", "Favourite colour", None])
    survey.append(["calculate", "total", "", None])
    survey.append(["end_group", None, None, None])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for code, label in enumerate(
        ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"], start=1
    ):
        choices.append(["agree", str(code), label])
    for name in ("red", "blue"):
        choices.append(["colour", name, name.title()])
    workbook.save(path)
    return path


def test_a_kobo_form_gives_the_scale_nobody_answered_to_its_top(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "export.csv",
        ["feedback/useful", "feedback/grade", "feedback/colour", "feedback/total", "_uuid", "_index"],
        [["Agree", "6", "Red", "12", "u1", "1"], ["Disagree", "7", "Blue", "14", "u2", "2"]],
        delimiter=";",
    )
    text = suggest_mapping("kobo", export, form=xlsform(tmp_path / "form.xlsx"))
    draft = yaml.safe_load(text)
    items = {i["column"]: i for i in draft["items"]}
    assert items["feedback/useful"]["labels"] == {
        "Strongly disagree": 1,
        "Disagree": 2,
        "Neither agree nor disagree": 3,
        "Agree": 4,
        "Strongly agree": 5,
    }
    assert (items["feedback/grade"]["scale_min"], items["feedback/grade"]["scale_max"]) == (0, 10)
    assert "feedback/colour" in draft["ignore"] and "feedback/total" in draft["ignore"]
    into = tmp_path / "p"
    import_exports("kobo", [export], mapping=named(text, tmp_path / "m.yaml"), into=into)
    scales = {r["item_id"]: (r["scale_min"], r["scale_max"]) for r in rows(into / "items.csv")}
    assert scales == {"useful": ("1", "5"), "grade": ("0", "10")}


def test_the_cli_takes_a_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = write_csv(tmp_path / "e.csv", ["feedback/grade", "_uuid"], [["6", "u1"], ["7", "u2"]], delimiter=";")
    form = xlsform(tmp_path / "form.xlsx")
    assert main(["import", "--from", "kobo", "--suggest-mapping", str(export), "--form", str(form)]) == 0
    assert "scale 0–10 from the form" in capsys.readouterr().out


# ---- LimeSurvey question-text exports ----------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ["Response ID", "Date submitted", "Last page", "Start language", "Seed"],
        ["Antwort ID", "Datum Abgeschickt", "Letzte Seite", "Start-Sprache", "Zufallsstartwert"],
        ["Antwoord ID", "Datum verstuurd", "Laatste pagina", "Starttaal", "Seed"],
    ],
    ids=["en", "de", "nl"],
)
def test_limesurvey_question_text_exports_are_recognised(tmp_path: Path, header: list[str]) -> None:
    question = "Wie zufrieden sind Sie mit dem Workshop?"
    export = write_csv(
        tmp_path / "results.csv",
        [*header, question],
        [
            ["1", "2024-05-01 10:00:00", "2", "de", "123", "Stimme voll zu"],
            ["2", "", "1", "de", "456", "Stimme eher zu"],  # never submitted
            ["3", "2024-05-01 11:00:00", "2", "de", "789", "Stimme eher nicht zu"],
            ["4", "2024-05-02 09:30:00", "2", "de", "321", "Teils/teils"],
        ],
    )
    text = suggest_mapping("limesurvey", export)
    draft = yaml.safe_load(text)
    assert draft["respondent"] == {"column": header[0]}
    (item,) = draft["items"]
    assert item["labels"]["Stimme voll zu"] == 5 and item["labels"]["Teils/teils"] == 3
    report = import_exports("limesurvey", [export], mapping=named(text, tmp_path / "m.yaml"), into=tmp_path / "p")
    assert report.added["responses"] == 3 and report.incomplete == {"results": 1}
    assert sorted(float(r["value"]) for r in rows(tmp_path / "p" / "responses.csv")) == [2, 3, 5]


def test_german_likert_labels_without_a_middle_answer_are_asked_not_ignored(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "results.csv",
        ["id", "submitdate", "Q1"],
        [
            ["1", "2024-05-01", "Stimme voll zu"],
            ["2", "2024-05-01", "Stimme eher zu"],
            ["3", "2024-05-01", "Stimme zu"],
        ],
    )
    text = suggest_mapping("limesurvey", export)
    (item,) = yaml.safe_load(text)["items"]
    assert item["column"] == "Q1" and item["scale_min"] == "EDIT: scale"
    assert "fit several scales (agree_5, agree_4)" in text


# ---- personal data by content ------------------------------------------------------------


def test_phone_numbers_and_e_mail_addresses_are_personal_whatever_the_header(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path / "export.csv",
        ["Nr", "Contact Number", "Reach me at", "Who filled this in?", "Grade (1-10)"],
        [
            ["1", "+31 6 12345678", "an@example.org", "Anna de Vries", "8"],
            ["2", "06-87654321", "bo@example.org", "Bo Jansen", "7"],
            ["3", "+32 470 12 34 56", "cy@example.be", "Cyriel Peeters", "12"],
        ],
    )
    text = suggest_mapping("csv", export)
    draft = yaml.safe_load(text)
    assert set(draft["personal"]) >= {"Contact Number", "Reach me at", "Who filled this in?"}
    into = tmp_path / "p"
    report = import_exports("csv", [export], mapping=named(text, tmp_path / "m.yaml"), into=into)
    assert report.quarantined == {"export": 1}  # 12 is off the scale the question states
    everything = "\n".join(p.read_text(encoding="utf-8") for p in into.rglob("*.csv"))
    for secret in ("12 34 56", "470", "cy@example.be", "Cyriel", "Peeters"):
        assert secret not in everything


def test_a_draft_writes_escapes_and_bidi_overrides_of_headers_as_yaml_escapes(tmp_path: Path) -> None:
    header = "\x1b]0;owned\x07Rate us \u202e(1-5)"  # sets the terminal title, then reverses the text
    export = write_csv(
        tmp_path / "x.csv", ["Timestamp", header, "Zero\u200bwidth?"], [["1", "4", "a"], ["2", "5", "b"]]
    )
    draft = suggest_mapping("googleforms", export)
    assert not {"\x1b", "\x07", "\u202e", "\u200b"} & set(draft)  # was a raw U+202E on the column: line
    assert 'column: "\\e]0;owned\\aRate us \\u202E(1-5)"' in draft
    mapping = load_mapping(named(draft, tmp_path / "m.yaml"))
    assert [item.column for item in mapping.items] == [header]  # YAML reads the escapes back as the header
    report = import_exports("googleforms", [export], mapping=tmp_path / "m.yaml", into=tmp_path / "p")
    assert report.added["responses"] == 2
