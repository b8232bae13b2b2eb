"""A failed report's error line in capeval's words: running out of memory is said as such."""

from __future__ import annotations

from capeval.engines.run import report_error
from capeval.errors import ReportCellError


def test_out_of_memory_outside_a_cell_says_so_in_our_words() -> None:
    error = report_error(MemoryError())
    # was the bare "MemoryError" on the manifest and on "failed: partner P1: MemoryError"
    assert error.message.startswith("out of memory while rendering (MemoryError): ")
    assert "--workers 1" in error.message


def test_out_of_memory_in_a_cell_names_the_cell_and_says_so() -> None:
    error = ReportCellError(
        cell=4, source="figure = draw(answers)\n", ename="MemoryError", evalue="", traceback="MemoryError", unit="P1"
    )
    assert error.message.startswith("cell 4 (figure = draw(answers)) out of memory while rendering (MemoryError): ")
