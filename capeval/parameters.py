"""A run's parameters: one YAML file in ``parameters/``, checked before anything runs.

Relative paths in the file (``programme``, ``out``, a notebook with a folder part) are
relative to the folder of the YAML file, never to the current directory, so a parameters
file means the same wherever ``capeval run`` is started. A bare notebook name
(``partner_report.ipynb``) is one of capeval's own notebooks.

The report and run options (``language``, ``min_group_size``, ``timeout``, …) are those
declared in :mod:`capeval.options`, written at the top level of the file; a unit's
``overrides`` take the report options. The file is read as YAML 1.2 (as programme.yaml is).

Every problem is a :class:`ParameterError` in capeval's words naming the file, the line and
the key, e.g. ``parameters/demo.yaml:4: timeout: expected a whole number, got 2.5; e.g.
timeout: 600``; an unknown key names the key it most likely meant. Only JSON values reach a
notebook: :func:`check_json` refuses dates, paths, tuples, sets, NaN and the like instead of
letting papermill turn them into strings.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePath
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from capeval.errors import ParameterError
from capeval.messages import closest_key, plain_message
from capeval.options import OPTIONS, REPORT_OPTIONS, ReportOptions, RunOptions, example, set_values
from capeval.yamlfile import parse_yaml

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


class InvalidParametersError(ParameterError):
    """Several problems in one parameters file; ``problems`` holds one error per key."""

    def __init__(self, problems: list[ParameterError]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __str__(self) -> str:
        return self.message


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Units(_Strict):
    """Which units get a report. Leave ``units`` out for every report: a partner report per
    partner, a track report per track that has partners, and the programme report. Name
    some kinds and only those are rendered (``partners: all``, ``tracks: [T1]``, ``programme: true``).
    """

    partners: list[str] | None = Field(default=None, description='partner ids, or "all" (the default)')
    tracks: list[str] | None = Field(default=None, description='track ids, or "all" (the default)')
    programme: bool | None = Field(default=None, description="the programme report (default: yes)")

    @field_validator("partners", "tracks", mode="before")
    @classmethod
    def _all(cls, value: Any) -> Any:
        return None if value == "all" else value

    def kinds(self) -> set[str]:
        """The kinds of report this run renders."""
        named = self.model_fields_set
        if not named:
            return {"partner", "track", "programme"}
        chosen = {kind for kind, key in (("partner", "partners"), ("track", "tracks")) if key in named}
        return chosen | ({"programme"} if self.programme else set())


class Notebooks(_Strict):
    """The notebook per kind of unit: a bare name is one of capeval's, a path is relative to the file."""

    partner: str = "partner_report.ipynb"
    track: str = "track_report.ipynb"
    programme: str = "programme_report.ipynb"


class Override(ReportOptions):
    """Per-unit report options (capeval.options) and notebook parameters."""

    notebook_parameters: dict[str, Any] = Field(default_factory=dict)


class Overrides(_Strict):
    partners: dict[str, Override] = Field(default_factory=dict)
    tracks: dict[str, Override] = Field(default_factory=dict)


class RunParameters(ReportOptions, RunOptions):
    """One run of a programme's reports, as written in ``parameters/<name>.yaml``: where, which
    units, and the options of :mod:`capeval.options` at the top level."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    programme: str = Field(description="programme folder")
    out: str = "reports"
    units: Units = Units()
    notebooks: Notebooks = Notebooks()
    overrides: Overrides = Overrides()
    notebook_parameters: dict[str, Any] = Field(default_factory=dict, description="passed to every notebook")
    executor: str = "local"
    _source: str | None = PrivateAttr(None)
    _base: Path = PrivateAttr(default_factory=Path.cwd)
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)
    _command_line: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> str | None:
        """The YAML file these parameters came from (None: built in code or from the command line)."""
        return self._source

    def path(self, value: str) -> Path:
        """``value`` resolved against the folder of the parameters file (or the current folder)."""
        return (self._base / value).resolve()

    @property
    def programme_dir(self) -> Path:
        return self.path(self.programme)

    @property
    def out_dir(self) -> Path:
        return self.path(self.out)

    def notebook(self, kind: str = "partner") -> Path:
        name = str(getattr(self.notebooks, kind))
        return NOTEBOOKS / name if PurePath(name).name == name else self.path(name)

    def error(self, key: str, message: str) -> ParameterError:
        """A problem with ``key`` (``overrides.partners.P1.min_group_size``), naming the file and line."""
        line = self._lines.get(re.split(r"[.\[]", key, maxsplit=1)[0])  # the line of its top-level key
        return ParameterError(message, file=self._source, row=line, column=key)

    @property
    def command_line(self) -> dict[str, Any]:
        """The options given on the command line (they win over the file's, a unit's overrides too)."""
        return dict(self._command_line)

    def with_command_line(self, given: Mapping[str, Any]) -> RunParameters:
        """These parameters with the options ``given`` on the command line over the file's."""
        unknown = sorted(set(given) - set(OPTIONS) - {"out", "executor"})
        if unknown:
            raise ParameterError(f"not an option: {', '.join(unknown)}")
        data = self.model_dump(exclude_unset=True) | dict(given)
        run = parameters_from(data, source=self._source, base=self._base)
        run._lines, run._command_line = self._lines, {k: v for k, v in given.items() if k in REPORT_OPTIONS}
        return run

    def report_layers(self, kind: str, unit_id: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """The report options set for one unit, strongest first: command line, the unit's override, the file."""
        override = {"partner": self.overrides.partners, "track": self.overrides.tracks}.get(kind, {}).get(unit_id)
        return self.command_line, set_values(override) if override else {}, set_values(self)


def parameters_from(data: Mapping[str, Any], *, source: str | None = None, base: Path | None = None) -> RunParameters:
    """Validate ``data``; errors name ``source`` and the key."""
    return _validated(data, source=source, base=base, lines={})


def _validated(
    data: Mapping[str, Any], *, source: str | None, base: Path | None, lines: dict[str, int]
) -> RunParameters:
    try:
        run = RunParameters.model_validate(dict(data))
    except ValidationError as exc:
        problems = [_problem(dict(e), source, lines) for e in exc.errors()]
        raise (problems[0] if len(problems) == 1 else InvalidParametersError(problems)) from None
    run._source = source
    run._base = base or Path.cwd()
    run._lines = lines
    for key, value in run.notebook_parameters.items():
        check_json(value, f"notebook_parameters.{key}", source=source)
    for group, overrides in (("partners", run.overrides.partners), ("tracks", run.overrides.tracks)):
        for uid, override in overrides.items():
            for key, value in override.notebook_parameters.items():
                check_json(value, f"overrides.{group}.{uid}.notebook_parameters.{key}", source=source)
    return run


def load_parameters(path: str | Path) -> RunParameters:
    """Read and validate a parameters YAML file; paths in it are relative to its folder."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ParameterError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    except UnicodeDecodeError:
        raise ParameterError("not UTF-8 text; save the file as UTF-8", file=str(path)) from None
    data, lines = parse_yaml(text, str(path), ParameterError)  # YAML 1.2, as programme.yaml
    if not isinstance(data, dict):
        raise ParameterError("expected a mapping of keys (programme: ..., units: ...)", file=str(path))
    return _validated(data, source=str(path), base=file.resolve().parent, lines=lines)


def check_units(run: RunParameters, known: Iterable[str], tracks: Iterable[str] = ()) -> None:
    """Every partner and track id named in ``units`` and ``overrides`` exists."""
    problems: list[ParameterError] = []
    for group, ids, label in (("partners", set(known), "partner"), ("tracks", set(tracks), "track")):
        named: list[str] = getattr(run.units, group) or []
        problems += [
            run.error(f"units.{group}[{i}]", f"unknown {label} id '{uid}'")
            for i, uid in enumerate(named)
            if uid not in ids
        ]
        problems += [
            run.error(f"overrides.{group}.{uid}", f"unknown {label} id '{uid}'")
            for uid in getattr(run.overrides, group)
            if uid not in ids
        ]
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidParametersError(problems)


def check_json(value: Any, key: str, *, source: str | None = None) -> None:
    """Raise unless ``value`` is JSON (None, bool, int, finite float, str, list, dict with str keys)."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParameterError(f"{value} is not a JSON number", file=source, column=key)
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            check_json(item, f"{key}[{i}]", source=source)
        return
    if isinstance(value, dict):
        for name, item in value.items():
            if not isinstance(name, str):
                raise ParameterError(f"key {name!r} is not text; JSON keys are strings", file=source, column=key)
            check_json(item, f"{key}.{name}", source=source)
        return
    raise ParameterError(_not_json(value), file=source, column=key)


def _not_json(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return f"a {type(value).__name__} is not a JSON value; quote it ('{value.isoformat()}') to pass text"
    if isinstance(value, PurePath):
        return f"a path is not a JSON value; pass str(path): '{value}'"
    if isinstance(value, tuple | set | frozenset):
        return f"a {type(value).__name__} is not a JSON value; pass a list"
    return f"{type(value).__name__} {value!r} is not a JSON value"


# Examples of the keys that are not options (the options' own come from capeval.options).
EXAMPLES: dict[str, str] = {
    "programme": "programme: ../build/demo/municipal_tracks",
    "out": "out: ../reports",
    "units": "units: {partners: [P1, P2], programme: true}",
    "notebooks": "notebooks: {partner: partner_report.ipynb}",
    "overrides": "overrides: {partners: {P1: {language: nl, min_group_size: 8}}}",
    "notebook_parameters": "notebook_parameters: {colour: blue}",
    "executor": "executor: local",
}


def _problem(error: dict[str, Any], source: str | None, lines: Mapping[str, int]) -> ParameterError:
    """One pydantic error in capeval's words: file, line, key, what was expected, an example."""
    loc = error["loc"]
    key = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(loc))
    top = str(loc[0]) if loc else ""
    line = lines.get(top)
    if error["type"] == "missing":
        return ParameterError(f"missing (required); e.g. {EXAMPLES.get(top, top + ': ...')}", file=source, column=key)
    if error["type"] == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        close = closest_key(str(loc[-1]), allowed)
        if str(loc[-1]) == "thresholds" and len(loc) == 1:  # the group of earlier versions
            hint = "write its keys at the top level, e.g. min_group_size: 5"
        elif close is not None:
            hint = (
                f"did you mean {close}? e.g. {_example(close) if len(loc) == 1 or close in OPTIONS else _example(top)}"
            )
        else:
            hint = "expected one of: " + ", ".join(allowed)
        return ParameterError(f"unknown key; {hint}", file=source, row=line, column=key)
    named = [str(part) for part in loc if str(part) in OPTIONS]  # formats[1] is the option formats
    option = named[-1] if named else (top if top in EXAMPLES else None)
    message = plain_message(error)
    return ParameterError(
        f"{message}; e.g. {_example(option)}" if option else message, file=source, row=line, column=key
    )


def _example(key: str) -> str:
    return example(key) if key in OPTIONS else EXAMPLES.get(key, f"{key}: ...")


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys allowed where ``loc`` points (a unit id inside ``overrides.partners`` keeps its model)."""
    model: Any = RunParameters
    for part in loc:
        fields = getattr(model, "model_fields", {})
        if part in fields:
            annotation = fields[part].annotation
            models = [a for a in (annotation, *get_args(annotation)) if hasattr(a, "model_fields")]
            model = models[-1] if models else None  # dict[str, Override] -> Override
    return sorted(getattr(model, "model_fields", {}), key=lambda key: key in OPTIONS)  # the options last
