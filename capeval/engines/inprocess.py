"""A papermill engine that runs a notebook's code cells in this process, with IPython.

It is meant for a process that exists for one report only (see :mod:`capeval.engines.pool`):
a kernel would cost a second process, its start-up and all imports again, while here the
imports were paid once by the pre-loaded parent the report process was forked from.

Outputs are captured as a kernel would send them: ``stream`` for stdout/stderr,
``display_data`` for ``display()`` and figures left open, ``execute_result`` for a cell's
last value and ``error`` (name, value, traceback) for an exception, which stops the
notebook like nbclient does; papermill then raises its ``PapermillExecutionError``.
"""

from __future__ import annotations

import contextlib
import platform
import sys
import traceback
from typing import Any

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from nbformat import v4
from papermill.engines import Engine
from traitlets.config import Config

ENGINE_NAME = "capeval-inprocess"
new_output: Any = v4.new_output  # nbformat has no type hints


class CellOutputs:
    """The outputs of the cell being executed, in the order a kernel would send them."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._clear_on_next = False

    def add(self, output: Any) -> None:
        if self._clear_on_next:
            self.items.clear()
            self._clear_on_next = False
        self.items.append(output)

    def stream(self, name: str, text: str) -> None:
        last = self.items[-1] if self.items else None
        if last is not None and last.output_type == "stream" and last.name == name and not self._clear_on_next:
            last.text += text
        else:
            self.add(new_output("stream", name=name, text=text))

    def clear(self, wait: bool) -> None:
        if wait:
            self._clear_on_next = True
        else:
            self.items.clear()


class _Stream:
    """A text stream (stdout or stderr) writing into the cell's outputs."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, shell: NotebookShell, name: str) -> None:
        self._shell, self.name = shell, name

    def write(self, text: str) -> int:
        if text:
            self._shell.outputs.stream(self.name, text)
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


class _DisplayHook(DisplayHook):
    """A cell's last value becomes an ``execute_result`` (nothing is printed)."""

    def write_output_prompt(self) -> None:
        return None

    def write_format_data(self, format_dict: dict[str, Any], md_dict: dict[str, Any] | None = None) -> None:
        shell: Any = self.shell
        shell.outputs.add(
            new_output("execute_result", data=format_dict, metadata=md_dict or {}, execution_count=self.prompt_count)
        )

    def finish_displayhook(self) -> None:
        self._is_active = False


class _DisplayPublisher(DisplayPublisher):
    """``display()`` (and figures shown by the inline backend) become ``display_data``."""

    def publish(
        self,
        data: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        source: Any = None,
        *,
        transient: Any = None,
        update: bool = False,
        **kwargs: Any,
    ) -> None:
        shell: Any = self.shell
        shell.outputs.add(new_output("display_data", data=data, metadata=metadata or {}))

    def clear_output(self, wait: bool = False) -> None:
        shell: Any = self.shell
        shell.outputs.clear(wait)


class NotebookShell(InteractiveShell):
    """An IPython shell whose outputs go into notebook cells instead of a terminal."""

    displayhook_class = _DisplayHook
    display_pub_class = _DisplayPublisher

    def __init__(self, **kwargs: Any) -> None:
        self.outputs = CellOutputs()
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]

    def _showtraceback(self, etype: type[BaseException], evalue: BaseException, stb: list[str]) -> None:
        self.outputs.add(new_output("error", ename=etype.__name__, evalue=str(evalue), traceback=list(stb)))

    def enable_gui(self, gui: str | None = None) -> None:
        return None  # no event loop: only the inline backend makes sense for a report

    def run_code_cell(self, cell: Any) -> bool:
        """Execute one code cell into its outputs; False when it raised."""
        self.outputs = CellOutputs()
        cell.outputs = self.outputs.items
        if not cell.source.strip():
            return True
        cell.execution_count = self.execution_count
        stdout, stderr = _Stream(self, "stdout"), _Stream(self, "stderr")
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            result = self.run_cell(cell.source, store_history=True)  # type: ignore[no-untyped-call]
        error = result.error_before_exec or result.error_in_exec
        if isinstance(error, KeyboardInterrupt):
            raise KeyboardInterrupt from error  # stopped (Ctrl-C), not failed
        if error is not None and not any(o.output_type == "error" for o in self.outputs.items):
            # raised outside the cell's code (e.g. in a post-execute hook): still say what it was
            self._showtraceback(type(error), error, traceback.format_exception(error))
        return bool(result.success)


def new_shell() -> NotebookShell:
    """A shell with no history file or thread (safe to fork) and matplotlib's inline backend."""
    config = Config()
    config.HistoryManager.enabled = False
    shell = NotebookShell(config=config)
    shell.enable_matplotlib("inline")  # type: ignore[no-untyped-call]  # as in a kernel: open figures are shown
    return shell


_SHELL: list[NotebookShell] = []


def shell() -> NotebookShell:
    """The process's one shell; made at pre-load so a forked report process starts with it."""
    if not _SHELL:
        _SHELL.append(new_shell())
    return _SHELL[0]


class InProcessEngine(Engine):  # type: ignore[misc]
    """papermill engine: every code cell runs in :func:`shell`, stopping at the first error."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
        runner = shell()
        for index, cell in enumerate(nb_man.nb.cells):
            nb_man.cell_start(cell, index)
            try:
                if cell.cell_type == "code" and not runner.run_code_cell(cell):
                    nb_man.cell_exception(cell, cell_index=index)
                    break
            finally:
                nb_man.cell_complete(cell, cell_index=index)
        nb_man.nb.metadata["language_info"] = {
            "name": "python",
            "version": platform.python_version(),
            "mimetype": "text/x-python",
            "file_extension": ".py",
            "codemirror_mode": {"name": "ipython", "version": sys.version_info[0]},
            "pygments_lexer": "ipython3",
            "nbconvert_exporter": "python",
        }
        return nb_man.nb


def register() -> None:
    """Make the engine known to papermill as :data:`ENGINE_NAME`."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, InProcessEngine)
