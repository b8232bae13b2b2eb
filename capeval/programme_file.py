"""programme.yaml as a person writes it: read as YAML 1.2, short forms accepted, every problem
in capeval's words (file, line, key, what was expected, an example of the right form).

No message of the validation library reaches a user: :func:`check_programme` turns each of
its errors into a :class:`~capeval.errors.Problem`, names the known key a typo meant, and
:func:`load_programme_config` raises one :class:`~capeval.errors.ProgrammeError` listing all.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pydantic

from capeval.errors import Problem, ProgrammeError
from capeval.folder import read_yaml_with_lines
from capeval.messages import closest_key, plain_message
from capeval.options import ReportOptions, programme_options
from capeval.schema import Coded, EventFeedback, MinChange, Priority, Privacy, ProgrammeConfig, Wave
from capeval.yamlfile import line_of

FILE = "programme.yaml"
# One example of the right form per key: shown with every problem of that key.
EXAMPLES: dict[str, str] = {
    "id": "id: regional_networks",
    "title": "title: Regionale leernetwerken",
    "language": "language: nl",
    "allow_small_groups": "allow_small_groups: true",
    "min_group_size": "min_group_size: 5",
    "min_comments": "min_comments: 10",
    "waves": "waves: [2024, 2025], or waves: [{id: 1, label: nulmeting, year: 2024}]",
    "services": "services: [Bijscholen, Intervisie], or services: [{id: further_training, label: Bijscholen}]",
    "scaling_ingredients": "scaling_ingredients: [Leadership, Finance], or [{id: finance, label: Financiering}]",
    "activity_types": "activity_types: [workshop, peer review]",
    "description": "description: Two years of regional learning networks",
    "privacy": "privacy: {portfolio: organisational, scaling: personal}",
    "min_change": "min_change: {points_10: 0.5, points_100: 5}",
    "criteria": "criteria: [relevance, effectiveness, impact]",
    "rating_item": "rating_item: L1_satisfaction",
    "priorities": "priorities: [{id: inclusion, label: Inclusion and diversity, activity_types: [learner_mobility], "
    "items: [L3_cooperation]}]",
    "milestone_steps": "milestone_steps: [Inventory, Baseline, Long-term goal]",
    "commitments": "commitments: [{id: keep_agreements, label: Keep agreements}]",
    "added_value": "added_value: [{id: knowledge_tools, label: Knowledge and tools}]",
    "event_feedback": "event_feedback: {activity_types: [conference], dimensions: [{id: event_programme, "
    "label: Programme}]}",
    "track_noun": "track_noun: pilot",
}
# The keys inside an entry of a key (for "did you mean" below the top level).
NESTED: dict[str, tuple[str, ...]] = {
    "waves": tuple(Wave.model_fields),
    "services": tuple(Coded.model_fields),
    "scaling_ingredients": tuple(Coded.model_fields),
    "activity_types": tuple(Coded.model_fields),
    "privacy": tuple(Privacy.model_fields),
    "min_change": tuple(MinChange.model_fields),
    "priorities": tuple(Priority.model_fields),
    "milestone_steps": tuple(Coded.model_fields),
    "commitments": tuple(Coded.model_fields),
    "added_value": tuple(Coded.model_fields),
    "event_feedback": tuple(EventFeedback.model_fields),
}


def check_programme(
    data: Mapping[str, Any], lines: Mapping[str, int], file: str = FILE
) -> tuple[ProgrammeConfig | None, list[Problem]]:
    """The programme's config, or None and every problem of ``data`` (programme.yaml's keys)."""
    problems = [_unknown_key(str(key), lines.get(str(key), 1), file) for key in data if key not in EXAMPLES]
    known = {key: value for key, value in data.items() if key in EXAMPLES}
    try:
        config = ProgrammeConfig.model_validate(known)
    except pydantic.ValidationError as exc:
        problems += [_problem(dict(error), known, lines, file) for error in exc.errors()]
        return None, sorted(problems)
    problems += _option_problems(config, lines, file)
    return (None if problems else config), sorted(problems)


# Where programme.yaml sets each report option (capeval/options.py programme_options).
OPTION_KEYS = {
    "language": "language",
    "min_group_size": "min_group_size",
    "min_change_10": "min_change.points_10",
    "min_change_100": "min_change.points_100",
}


def _option_problems(config: ProgrammeConfig, lines: Mapping[str, int], file: str) -> list[Problem]:
    """The report options programme.yaml sets, checked by the bounds a run applies (validate refuses
    what run would refuse: min_group_size 10**30 is valid YAML but no report can use it)."""
    try:
        ReportOptions.model_validate(programme_options(config))
    except pydantic.ValidationError as exc:
        found = []
        for error in exc.errors():
            where = OPTION_KEYS.get(str(error["loc"][0]), str(error["loc"][0])) if error["loc"] else "-"
            top = where.split(".")[0]
            message = plain_message(dict(error))
            example = EXAMPLES.get(top)
            found.append(Problem(file, lines.get(top, 1), where, f"{message}; e.g. {example}" if example else message))
        return found
    return []


def load_programme_config(root: Path) -> ProgrammeConfig:
    """Read and check ``root/programme.yaml``; a ProgrammeError lists every problem, one per line."""
    data, lines = read_yaml_with_lines(root / FILE)
    config, problems = check_programme(data, lines)
    if config is None:
        first, *rest = problems
        more = "".join(f"\n{problem}" for problem in rest)
        raise ProgrammeError(first.message + more, file=first.file, row=first.line, column=first.column)
    return config


def _unknown_key(key: str, line: int, file: str) -> Problem:
    close = closest_key(key, EXAMPLES)
    if close is not None:
        return Problem(file, line, key, f"unknown key; did you mean {close}? e.g. {EXAMPLES[close]}")
    return Problem(file, line, key, "unknown key; expected one of " + ", ".join(EXAMPLES))


def _problem(error: dict[str, Any], data: Mapping[str, Any], lines: Mapping[str, int], file: str) -> Problem:
    """One pydantic error as a Problem: where (``waves[2].year``), what was expected, an example."""
    loc = [str(p) for p in error["loc"]]
    top = loc[0] if loc else ""
    where = top + "".join(f"[{int(p) + 1}]" if p.isdigit() else f".{p}" for p in loc[1:])
    line = line_of(lines, loc) or 1
    if error.get("type") == "extra_forbidden" and len(loc) >= 2:
        close = closest_key(loc[-1], NESTED.get(top, ()))
        hint = f"did you mean {close}?" if close else "expected one of " + ", ".join(NESTED.get(top, ()))
        return Problem(file, line, where, f"unknown key; {hint} e.g. {EXAMPLES.get(top, '')}".rstrip())
    if error.get("type") == "missing" and len(loc) == 1:
        return Problem(file, 1, top, f"required key missing; add it, e.g. {EXAMPLES.get(top, top + ': ...')}")
    message = plain_message(error)
    example = EXAMPLES.get(top)
    return Problem(file, line, where or "-", f"{message}; e.g. {example}" if example else message)
