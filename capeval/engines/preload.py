"""Imported once by the fork server that report processes are forked from.

Importing this module pays, once per run, what every report would otherwise pay again:
the imports (capeval, pandas, pyarrow, seaborn, papermill, nbconvert, IPython), an IPython
shell with the inline backend, and first-use caches (fonts, templates, Parquet reader).
The warm-up touches no programme and defines nothing a report could see: it only fills
caches with what any report fills them with.
"""

from __future__ import annotations

import gc
import io
import logging
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from nbformat import v4

import capeval.jobs
import capeval.report
from capeval.engines.inprocess import register, shell
from capeval.engines.run import execute_job
from capeval.figures import gap_bars, png_bytes
from capeval.i18n import table
from capeval.log import logger
from capeval.render import notebook_to_html

nbv4: Any = v4  # nbformat has no type hints


def warm_up() -> None:
    """Fill first-use caches: labels, font lookup, figure drawing, Parquet reading, HTML templates."""
    table()
    frame = pd.DataFrame({"label": ["a", "b"], "gap": [1.0, 2.0], "median_gap": [1.5, float("nan")]})
    png_bytes(gap_bars(frame, label_column="label", gap_label="gap", median_label="median", axis_title="x"))
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame), buffer)
    pq.read_table(io.BytesIO(buffer.getvalue()), filters=[("label", "in", ["a"])]).to_pandas()
    frame.groupby("label")["gap"].agg(["mean", "median"])
    cell = nbv4.new_code_cell("x", outputs=[nbv4.new_output("display_data", data={"text/html": "<p/>"})])
    notebook_to_html(nbv4.new_notebook(cells=[cell]), title="warm-up", language="en", toc_label="-")


register()
shell()
try:
    warm_up()
except Exception:  # a failed warm-up only costs speed; reports will say what is wrong
    logging.getLogger(logger.name).warning("warm-up of the report processes failed", exc_info=True)
assert capeval.jobs and capeval.report and callable(execute_job)  # imported for the forked report processes
gc.freeze()  # what was loaded here is never collected: report processes neither scan nor copy it
