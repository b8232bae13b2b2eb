"""Write the raw survey exports and the mapping of the ``municipal_tracks`` demo (run once).

    .venv/bin/python tools/make_exports.py [FOLDER]   (default: capeval/demo_exports/municipal_tracks)

The output (``municipal_tracks/enquete_nulmeting_2024.csv``,
``municipal_tracks/enquete_vervolgmeting_2025.csv`` and ``municipal_tracks/mapping.yaml``)
is committed and is data from then on: ``capeval demo`` imports it, it does not run this
script. Rerun it only when the generator (:mod:`capeval.demo`, the ``municipal_tracks``
specification) changes the partners, activities or answers of that programme; the tests
in tests/test_demo_exports.py fail when the shipped exports no longer match.

What the exports look like: one export per wave, as a Flemish analyst downloads it from a
survey tool and saves it from Excel: ``;`` separator, Windows-1252, CRLF, question texts
as headers, Likert answers as Dutch labels, the 0–10 recommendation as a number, a
report-card grade with a decimal comma (``7,5``), day-first dates (``21-11-2024``), a
participant code that links the two waves, the municipality by name, the session code of
the federation's activity register, a free comment. The answers are the generator's; the
grade, the wave-2 question and the comments are derived from them with their own seed.
The follow-up form differs as forms do: one question dropped (engagement), one added
(confidence), columns in another order.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from capeval.demo import generate
from capeval.demo_data import DemoSpec, demo_specs, demo_texts
from capeval.demo_exports import EXPORTED, MAPPING_FILE, ROOT

PROGRAMME = "municipal_tracks"
LIKERT = {
    5: "Helemaal mee eens",
    4: "Mee eens",
    3: "Neutraal",
    2: "Niet mee eens",
    1: "Helemaal niet mee eens",
}
WAVE_LABELS = {1: "Nulmeting", 2: "Vervolgmeting"}
RESPONDENT = "Deelnemerscode"
PARTNER = "Gemeente/stad"
WAVE = "Meting"
ACTIVITY = "Sessiecode"
NUMBER, SUBMITTED, TYPE, DATE, COMMENT = "Nr", "Ingevuld op", "Soort activiteit", "Datum sessie", "Opmerkingen"
DROPPED = "L1_engagement"  # not asked at follow-up
ADDED = "L2_confidence"  # asked at follow-up only
GRADE = "L1_rapportcijfer"
GRADE_TEXT = (
    "Welk rapportcijfer geeft u deze sessie? (1 = zeer slecht – 10 = uitstekend)",
    "Which grade do you give this session? (1 = very poor – 10 = excellent)",
)
# Item order of each form (the follow-up puts the L3/L4 questions first).
FORM_ITEMS = {
    1: [
        "L1_satisfaction",
        "L1_relevance",
        "L1_engagement",
        "L1_recommend",
        "L2_knowledge",
        "L2_attitude",
        "L2_commitment",
        "L3_application",
        "L3_drivers",
        "L3_cooperation",
        "L4_results",
        GRADE,
    ],
    2: [
        "L3_application",
        "L3_cooperation",
        "L3_drivers",
        "L4_results",
        "L1_satisfaction",
        "L1_relevance",
        GRADE,
        "L1_recommend",
        "L2_knowledge",
        "L2_confidence",
        "L2_attitude",
        "L2_commitment",
    ],
}
FORM_META = {
    1: [NUMBER, SUBMITTED, WAVE, RESPONDENT, PARTNER, ACTIVITY, TYPE, DATE],
    2: [NUMBER, SUBMITTED, WAVE, PARTNER, RESPONDENT, DATE, ACTIVITY, TYPE],
}
COMMENTS = (
    "Heel nuttige sessie, vooral de praktijkvoorbeelden uit andere gemeenten.",
    "Graag de presentatie nog doorsturen a.u.b.",
    "Te weinig tijd voor de uitwisseling tussen de deelnemers.",
    "De coördinator was goed voorbereid.",
    "Ik heb veel geleerd over de rol van het schepencollege.",
    "Het lokaal was te klein; het café beneden was een goede uitwijk.",
    "Volgende keer graag één concreet stappenplan om mee naar huis te nemen.",
    "Geïnspireerd om dit ook in onze dienst aan te pakken.",
    "Moeilijk te combineren met de gemeenteraad van die week.",
    "Goede mix van theorie en praktijk, maar de catering kon beter.",
)


def main(folder: Path | None = None) -> Path:
    """Write the exports and mapping into ``folder`` (default: the shipped demo's); return the folder."""
    spec = next(s for s in demo_specs() if s.id == PROGRAMME)
    _, tables = generate(spec)
    items = _items(spec, tables["items"])
    texts = {item["item_id"]: item["text_nl"] for item in items}
    folder = folder or ROOT / PROGRAMME
    folder.mkdir(parents=True, exist_ok=True)
    records = _records(spec, tables)
    for wave, name in zip((1, 2), EXPORTED[PROGRAMME], strict=True):
        keys = [*FORM_META[wave], *FORM_ITEMS[wave], COMMENT]
        rows = sorted((r for r in records if r[WAVE] == WAVE_LABELS[wave]), key=lambda r: r["_when"])
        with (folder / name).open("w", encoding="cp1252", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow([texts.get(key, key) for key in keys])  # items are headed by their question
            for number, record in enumerate(rows, start=1):
                record[NUMBER] = str(number)
                writer.writerow([record.get(key, "") for key in keys])
    mapping = _mapping(spec, tables["partners"], items)
    (folder / MAPPING_FILE).write_text(mapping, encoding="utf-8", newline="\n")
    return folder


def _items(spec: DemoSpec, generated: pd.DataFrame) -> list[dict[str, Any]]:
    """The generator's items plus the grade and the follow-up's new question."""
    items: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in generated.to_dict("records")]
    bank = demo_texts().item_bank["confidence"]
    level, text_en, text_nl = bank.level, bank.en, bank.nl
    items.append(
        {
            "item_id": ADDED,
            "text_nl": text_nl,
            "text_en": text_en,
            "level": level,
            "dimension": "confidence",
            "criterion": "effectiveness",
            "scale_min": 1,
            "scale_max": 5,
        }
    )
    items.append(
        {
            "item_id": GRADE,
            "text_nl": GRADE_TEXT[0],
            "text_en": GRADE_TEXT[1],
            "level": "L1",
            "dimension": "grade",
            "criterion": "relevance",
            "scale_min": 1,
            "scale_max": 10,
        }
    )
    return items


def _records(spec: DemoSpec, tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """One export row per respondent and wave, keyed by meta column names and item ids."""
    rng = np.random.default_rng(spec.seed + 1)
    names = dict(zip(tables["partners"].partner_id, tables["partners"].name, strict=True))
    activities = tables["activities"].set_index("activity_id")
    type_labels = {t.id: t.label for t in spec.activity_types}
    records: list[dict[str, Any]] = []
    responses = tables["responses"]
    for key, answers in responses.groupby(["respondent_id", "wave"], sort=True):
        respondent, wave = cast(tuple[str, int], key)
        first = answers.iloc[0]
        activity = activities.loc[first["activity_id"]]
        day = dt.date.fromisoformat(str(activity["date"]))
        values = dict(zip(answers.item_id, answers.value, strict=True))
        when = dt.datetime.combine(day + dt.timedelta(days=int(rng.integers(0, 12))), dt.time(8)) + dt.timedelta(
            minutes=int(rng.integers(0, 14 * 60))
        )
        record: dict[str, Any] = {
            "_when": (when, respondent),
            SUBMITTED: when.strftime("%d-%m-%Y %H:%M"),
            WAVE: WAVE_LABELS[wave],
            RESPONDENT: respondent,
            PARTNER: names[first["partner_id"]],
            ACTIVITY: first["activity_id"],
            TYPE: type_labels[str(activity["type"])],
            DATE: day.strftime("%d-%m-%Y"),
        }
        for item_id, value in values.items():
            record[item_id] = str(int(value)) if item_id == "L1_recommend" else LIKERT[int(value)]
        l2 = [v for k, v in values.items() if k.startswith("L2_")] or [3]
        confidence = int(np.clip(round(float(np.mean(l2)) + rng.normal(0, 0.6)), 1, 5))
        if rng.random() > 0.04:
            record[ADDED] = LIKERT[confidence]
        l1 = [v for k, v in values.items() if k.startswith("L1_") and k != "L1_recommend"] or [3]
        grade = float(np.clip(np.round((1 + (float(np.mean(l1)) - 1) * 2.25 + rng.normal(0, 0.7)) * 2) / 2, 1, 10))
        if rng.random() > 0.05:
            record[GRADE] = f"{grade:g}".replace(".", ",")
        if rng.random() < 0.12:
            record[COMMENT] = COMMENTS[int(rng.integers(len(COMMENTS)))]
        if wave == 2:
            record.pop(DROPPED, None)
        else:
            record.pop(ADDED, None)
        records.append(record)
    return records


def _mapping(spec: DemoSpec, partners: pd.DataFrame, items: list[dict[str, Any]]) -> str:
    by_id = {item["item_id"]: item for item in items}
    order = list(dict.fromkeys([*FORM_ITEMS[1], *FORM_ITEMS[2]]))
    lines = [
        f"# Mapping of the raw survey exports of the {PROGRAMME} demo (docs/mapping.md).",
        "# Written by tools/make_exports.py. `capeval demo` imports",
        f"# {' and '.join(EXPORTED[PROGRAMME])} with it into the demo folder,",
        "# whose programme.yaml, partners.csv and activities.csv (the federation's register) it has written first:",
        "#   capeval import --from csv enquete_*.csv --mapping mapping.yaml --into build/demo/municipal_tracks",
        "# Columns are matched by name: the follow-up form dropped one question, added one and moved columns.",
        f"respondent: {{column: {RESPONDENT}, namespace: {PROGRAMME}}}",
        "partner:",
        f"  column: {_q(PARTNER)}",
        "  values:",
        *(f"    {_q(name)}: {pid}" for pid, name in zip(partners.partner_id, partners.name, strict=True)),
        "wave:",
        f"  column: {WAVE}",
        f"  values: {{{WAVE_LABELS[1]}: 1, {WAVE_LABELS[2]}: 2}}",
        f"activity: {{column: {ACTIVITY}}}   # an activity_id of activities.csv (the register: date, type, hours)",
        "items:",
    ]
    anchored = False
    for item_id in order:
        item = by_id[item_id]
        lines += [
            f"  - column: {_q(item['text_nl'])}",
            f"    item_id: {item_id}",
            f"    text_nl: {_q(item['text_nl'])}",
            f"    text_en: {_q(item['text_en'])}",
            f"    level: {item['level']}",
            f"    dimension: {item['dimension']}",
        ]
        if item.get("criterion"):
            lines.append(f"    criterion: {item['criterion']}")
        if item["scale_max"] == 5:
            if anchored:
                lines.append("    labels: *eens")
            else:
                lines.append("    labels: &eens")
                lines += [f"      {label}: {value}" for value, label in LIKERT.items()]
                anchored = True
        else:
            lines += [f"    scale_min: {item['scale_min']}", f"    scale_max: {item['scale_max']}"]
    lines.append(f"ignore: [{NUMBER}, {_q(SUBMITTED)}, {_q(TYPE)}, {_q(DATE)}, {COMMENT}]")
    return "\n".join(lines) + "\n"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
