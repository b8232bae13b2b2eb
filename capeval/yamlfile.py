"""Reading the YAML files people write (programme.yaml, mapping files) as YAML 1.2.

ruamel.yaml parses the file into nodes; this module turns the nodes into plain values by
YAML 1.2's core schema itself, so none of YAML 1.1's surprises reach a programme: ``yes``,
``no``, ``on`` and ``off`` stay text, ``010`` is ten (not eight), ``1_0`` and
``2024-01-01 12:00:00`` stay the text written. A key written twice, a key that is not text,
an explicit tag other than the core ones (``!!binary``, ``!!python/...``), nesting deeper
than anyone writes by hand, a file that is not UTF-8, aliases that would blow up in
memory, a whole number of more than 1,000 digits and a list or mapping of more than 10,000
entries (a millisecond each to read) are each refused with capeval's own message naming the
file and line.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent, MappingStartEvent, NodeEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from capeval.errors import CapevalError

MAX_NODES = 200_000  # values after aliases are expanded: a few thousand in any real file
MAX_ENTRIES = 10_000  # entries of one list or mapping: waves, services, export columns number tens to hundreds
MAX_EVENTS = 100_000  # values in the whole file before aliases: the round-trip reader takes ~0.1 ms each
MAX_DEPTH = 64  # levels of nesting: a real file has four or five
MAX_DIGITS = 1_000  # digits of a whole number: Python refuses to read past 4,300; shorter ones meet the bounds
MAX_BYTES = 4 * 2**20  # a programme.yaml or mapping file is a few kB; ruamel takes seconds per MB of flow text
CORE = "tag:yaml.org,2002:"
# The tags a plain value may carry; the value is read again by the core schema below.
SCALAR_TAGS = {CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
NULL = re.compile(r"~|null|Null|NULL|")
TRUE = re.compile(r"true|True|TRUE")
FALSE = re.compile(r"false|False|FALSE")
DECIMAL = re.compile(r"[-+]?[0-9]+")
OCTAL = re.compile(r"0o[0-7]+")
HEXADECIMAL = re.compile(r"0x[0-9a-fA-F]+")
FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
INFINITY = re.compile(r"([-+]?)\.(?:inf|Inf|INF)")
NAN = re.compile(r"\.(?:nan|NaN|NAN)")


def read_yaml(path: Path, error: type[CapevalError]) -> tuple[Any, dict[str, int]]:
    """The YAML document in ``path`` as plain Python (dict, list, str, int, float, bool, None) and
    the line of each key (``title``; nested: ``programme.title``, ``items.3.level``, list entries
    counted from 0); problems raise ``error`` with file, line and what to do."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise error(
                f"file of {size:,} bytes; capeval reads YAML files of at most {MAX_BYTES:,} bytes "
                "(is it the right file?)",
                file=path.name,
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8 (in Notepad: Save as → "
            "Encoding: UTF-8)",
            file=path.name,
            row=line,
        ) from exc
    return parse_yaml(text, path.name, error)


def parse_yaml(text: str, name: str, error: type[CapevalError]) -> tuple[Any, dict[str, int]]:
    """:func:`read_yaml` for text already read (``name`` is the file shown in messages)."""
    yaml = YAML(typ="rt")
    try:
        _check_depth(yaml, text, name, error)
        root = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        raise error(
            f"not valid YAML: {problem}; quote text that holds ':', '#', '?' or starts with '[', '{{' or '*'",
            file=name,
            row=mark.line + 1 if mark is not None else None,
        ) from exc
    except YAMLError as exc:
        raise error(f"not valid YAML: {exc}", file=name) from exc
    if root is None:
        return None, {}
    builder = _Builder(name, error)
    return builder.value(root, 0, ""), builder.lines


def line_of(lines: Mapping[str, int], where: Sequence[object]) -> int | None:
    """The line of the deepest key of ``where`` (a path such as pydantic's ``loc``) in ``lines``."""
    parts = [str(p) for p in where]
    for end in range(len(parts), 0, -1):
        line = lines.get(".".join(parts[:end]))
        if line is not None:
            return line
    return None


def _check_depth(yaml: YAML, text: str, name: str, error: type[CapevalError]) -> None:
    """Refuse nesting deeper than MAX_DEPTH before the (recursive) composer meets it, and a list or mapping of
    more than MAX_ENTRIES entries (or more than MAX_EVENTS values in all) before the round-trip composer spends
    a millisecond on each: read by libyaml's fast parser; a file it cannot read is left to the composer's message."""
    _check_brackets(text, name, error)
    sizes: list[list[int]] = []  # per open list or mapping: values in it so far, its line, 1 for a mapping
    events = 0
    try:
        for event in YAML(typ="safe", pure=False).parse(text):
            if isinstance(event, NodeEvent):
                events += 1
                if events > MAX_EVENTS:
                    raise error(
                        f"more than {MAX_EVENTS:,} values; a programme.yaml or mapping file holds a few hundred "
                        "(is it the right file?)",
                        file=name,
                        row=event.start_mark.line + 1,
                    )
                if sizes:
                    _count_entry(sizes[-1], name, error)
            if isinstance(event, CollectionStartEvent):
                if len(sizes) >= MAX_DEPTH:
                    raise error(
                        f"nested too deeply (more than {MAX_DEPTH} levels of lists or mappings); "
                        "expected text, a number or a short list, e.g. title: Regionale leernetwerken",
                        file=name,
                        row=event.start_mark.line + 1,
                    )
                sizes.append([0, event.start_mark.line + 1, int(isinstance(event, MappingStartEvent))])
            elif isinstance(event, CollectionEndEvent):
                sizes.pop()
    except YAMLError:
        return  # not valid YAML: the composer below says where, in the words the tests and docs know


def _count_entry(size: list[int], name: str, error: type[CapevalError]) -> None:
    size[0] += 1
    mapping = size[2] == 1
    if size[0] > MAX_ENTRIES * (2 if mapping else 1):  # a mapping's entry is a key and its value
        kind = "keys in one mapping" if mapping else "entries in one list"
        raise error(
            f"more than {MAX_ENTRIES:,} {kind}; capeval reads at most {MAX_ENTRIES:,} (a programme has a few "
            "waves and services, a mapping one entry per export column)",
            file=name,
            row=size[1],
        )


def _check_brackets(text: str, name: str, error: type[CapevalError]) -> None:
    """Refuse more than MAX_DEPTH '[' or '{' open at once, counted on the bare text: ruamel's scanner
    takes time growing with the square of the nesting (2 s for 20,000 '[' in 40 kB)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for match in _BRACKET.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            raise error(
                f"nested too deeply (more than {MAX_DEPTH} '[' or '{{' open at once); expected text, a number or "
                "a short list, e.g. title: Regionale leernetwerken",
                file=name,
                row=text.count("\n", 0, match.start()) + 1,
            )


_BRACKET = re.compile(r"[\[\]{}]")


class _Builder:
    """Plain values from ruamel's nodes, aliases expanded within a budget of MAX_NODES."""

    def __init__(self, name: str, error: type[CapevalError]) -> None:
        self.name = name
        self.error = error
        self.budget = MAX_NODES
        self.lines: dict[str, int] = {}  # dotted path of each key -> its line

    def fail(self, node: Node, message: str) -> CapevalError:
        return self.error(message, file=self.name, row=node.start_mark.line + 1)

    def value(self, node: Node, depth: int, path: str) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.error(
                f"more than {MAX_NODES:,} values once its aliases are expanded; write the file out", file=self.name
            )
        if depth > MAX_DEPTH:  # an alias that holds itself
            raise self.fail(node, f"nested too deeply (more than {MAX_DEPTH} levels); write the value out")
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            self.plain_tag(node, CORE + "seq")
            return [self.value(item, depth + 1, f"{path}.{i}".lstrip(".")) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            self.plain_tag(node, CORE + "map")
            return self.mapping(node, depth, path)
        raise self.fail(node, "not a value YAML knows")  # pragma: no cover - ruamel has three kinds of node

    def plain_tag(self, node: Node, expected: str) -> None:
        if node.tag != expected:
            shown = str(node.tag).replace(CORE, "!!")
            raise self.fail(
                node,
                f"the YAML tag {shown} is not accepted; write plain text, a number, a list or a mapping without a tag",
            )

    def scalar(self, node: ScalarNode, path: str) -> Any:
        if node.tag == CORE + "str" or node.tag == CORE + "merge":
            return str(node.value)
        if node.tag not in SCALAR_TAGS:
            self.plain_tag(node, CORE + "str")
        text = str(node.value)
        digits = _whole_number_digits(text)
        if digits > MAX_DIGITS:
            leaf = next((part for part in reversed(path.split(".")) if part and not part.isdigit()), "value")
            raise self.fail(
                node,
                f"{path or 'value'}: a whole number of {digits:,} digits is out of range; expected a number of "
                f"at most {MAX_DIGITS:,} digits, e.g. {leaf}: 5 (quote it if it is text)",
            )
        return core_scalar(text)

    def mapping(self, node: MappingNode, depth: int, path: str) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        own: dict[str, Any] = {}
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == CORE + "merge":  # `<<: *anchor` copies the keys not written here
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for source in sources:
                    if not isinstance(source, MappingNode):
                        raise self.fail(source, "'<<' merges a mapping, e.g. <<: *defaults")
                    for key, value in self.value(source, depth + 1, path).items():
                        merged.setdefault(key, value)
                continue
            key = self.value(key_node, depth + 1, path)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise self.fail(key_node, f"a key must be text, got {_kind(key)}; quote it, e.g. '1': ...")
            if key in first:
                raise self.fail(key_node, f"key '{key}' is written twice (first at line {first[key]}); keep one")
            first[key] = line
            where = f"{path}.{key}" if path else key
            self.lines.setdefault(where, line)
            own[key] = self.value(value_node, depth + 1, where)
        return {**merged, **own}


def core_scalar(text: str) -> Any:
    """A plain scalar by YAML 1.2's core schema: null, true/false, an int, a float, else the text."""
    if NULL.fullmatch(text):
        return None
    if TRUE.fullmatch(text):
        return True
    if FALSE.fullmatch(text):
        return False
    if DECIMAL.fullmatch(text):
        return int(text)
    if OCTAL.fullmatch(text):
        return int(text[2:], 8)
    if HEXADECIMAL.fullmatch(text):
        return int(text[2:], 16)
    if FLOAT.fullmatch(text):
        return float(text)
    infinity = INFINITY.fullmatch(text)
    if infinity:
        return -math.inf if infinity.group(1) == "-" else math.inf
    if NAN.fullmatch(text):
        return math.nan
    return text


def _whole_number_digits(text: str) -> int:
    """How many digits ``text`` has if the core schema reads it as a whole number, else 0."""
    if DECIMAL.fullmatch(text):
        return len(text.lstrip("+-"))
    if OCTAL.fullmatch(text) or HEXADECIMAL.fullmatch(text):
        return len(text) - 2
    return 0


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    return "a mapping"
