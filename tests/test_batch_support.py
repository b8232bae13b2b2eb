"""Helpers for the batch tests: tiny notebooks as data, a six-partner programme, HTML reading.

The tiny notebooks do almost nothing, so these tests measure the batch machinery (fresh
processes, failures, atomic files, parameters), not the report sections.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat

PARAMETERS = 'programme = ""\npartner_id = ""\nlanguage = ""\n'


def notebook(folder: Path, *cells: str, name: str = "partner_report.ipynb", parameters: str = PARAMETERS) -> Path:
    """Write a notebook whose first cell (tagged ``parameters``) is ``parameters``, then ``cells``."""
    first = nbformat.v4.new_code_cell(parameters)
    first.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[first, *(nbformat.v4.new_code_cell(c) for c in cells)])
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)
    return folder / name


def show(expression: str, ident: str) -> str:
    """A cell that shows ``expression`` (escaped) in ``<pre id=ident>``, for the test to read back."""
    return (
        "import html as _html\nfrom IPython.display import HTML\n"
        f"HTML('<pre id=\"{ident}\">' + _html.escape(str({expression})) + '</pre>')"
    )


def shown(page: str, ident: str) -> str:
    """What :func:`show` put in ``page`` under ``ident``."""
    found = re.search(rf'<pre id="{ident}">(.*?)</pre>', page, re.S)
    assert found is not None, f"no <pre id={ident}> in the page"
    return html.unescape(found.group(1))


def six_partner_programme(root: Path) -> Path:
    """The erasmus_partnership demo cut to six partners (SIX01..SIX06), written to ``root/six``."""
    from capeval.demo import _write, generate
    from capeval.demo_data import demo_specs

    spec = next(s for s in demo_specs() if s.id == "erasmus_partnership")
    spec = spec.model_copy(update={"n_partners": 6, "id": "six"})
    config, tables = generate(spec)
    return _write(root / "six", config, tables)


def partner_ids(programme: Path) -> list[str]:
    return [line.split(",", 1)[0] for line in (programme / "partners.csv").read_text().splitlines()[1:]]
