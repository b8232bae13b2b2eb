"""A run's parameters: one YAML file in ``parameters/``, checked before anything runs.

Relative paths in the file (``programme``, ``out``, a notebook with a folder part) are
relative to the folder of the YAML file, never to the current directory, so a parameters
file means the same wherever ``capeval run`` is started. A bare notebook name
(``partner_report.ipynb``) is one of capeval's own notebooks.

Every problem is a :class:`ParameterError` naming the file and the key, e.g.
``parameters/demo.yaml: units.partners[3]: unknown partner id 'P99'``. Only JSON values
reach a notebook: :func:`check_json` refuses dates, paths, tuples, sets, NaN and the like
instead of letting papermill turn them into strings.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePath
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from capeval.errors import ParameterError

Language = Literal["nl", "en"]
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


class Thresholds(_Strict):
    min_group_size: int | None = Field(default=None, ge=1, description="default: the programme's")


class Override(_Strict):
    """Per-unit changes to the run's settings."""

    language: Language | None = None
    min_group_size: int | None = Field(default=None, ge=1)
    notebook_parameters: dict[str, Any] = Field(default_factory=dict)


class Overrides(_Strict):
    partners: dict[str, Override] = Field(default_factory=dict)
    tracks: dict[str, Override] = Field(default_factory=dict)


class RunParameters(_Strict):
    """One run of a programme's reports, as written in ``parameters/<name>.yaml``."""

    programme: str = Field(description="programme folder")
    out: str = "reports"
    language: Language | None = None
    units: Units = Units()
    notebooks: Notebooks = Notebooks()
    thresholds: Thresholds = Thresholds()
    overrides: Overrides = Overrides()
    notebook_parameters: dict[str, Any] = Field(default_factory=dict, description="passed to every notebook")
    workers: int | None = Field(default=None, ge=1, description="default: the number of cores")
    timeout: float = Field(default=600, gt=0, description="seconds per report")
    engine: Literal["inprocess", "kernel"] = "inprocess"
    executor: str = "local"
    _source: str | None = PrivateAttr(None)
    _base: Path = PrivateAttr(default_factory=Path.cwd)

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
        return ParameterError(message, file=self._source, column=key)


def parameters_from(data: Mapping[str, Any], *, source: str | None = None, base: Path | None = None) -> RunParameters:
    """Validate ``data``; errors name ``source`` and the key."""
    try:
        run = RunParameters.model_validate(dict(data))
    except ValidationError as exc:
        problems = [ParameterError(_message(e), file=source, column=_key(e["loc"]) or None) for e in exc.errors()]
        raise (problems[0] if len(problems) == 1 else InvalidParametersError(problems)) from None
    run._source = source
    run._base = base or Path.cwd()
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
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParameterError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        raise ParameterError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=str(path), row=line) from None
    if not isinstance(data, dict):
        raise ParameterError("expected a mapping of keys (programme: ..., units: ...)", file=str(path))
    return parameters_from(data, source=str(path), base=file.resolve().parent)


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


def declared_parameters(notebook: Path) -> set[str]:
    """The names assigned in the notebook's cell tagged ``parameters`` (read with ``ast``, not run)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    names: set[str] = set()
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
    return names


def _key(loc: tuple[int | str, ...]) -> str:
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "missing (required)"
    if kind == "extra_forbidden":
        expected = _allowed_keys(error["loc"][:-1])
        return "unknown key" + (f" (expected one of: {', '.join(expected)})" if expected else "")
    message = str(error["msg"])
    return f"{message[0].lower()}{message[1:]}, got {error['input']!r}"


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    model: Any = RunParameters
    for part in loc:
        fields = getattr(model, "model_fields", {})
        if part not in fields:
            return []
        model = fields[part].annotation
    return list(getattr(model, "model_fields", {}))
