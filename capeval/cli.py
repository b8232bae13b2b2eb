"""The command line: parse, call into capeval, print, exit (0 ok, 1 failed, 2 usage)."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from capeval import __version__
from capeval.disk import disk_error
from capeval.errors import CapevalError, UsageError
from capeval.options import OPTIONS, REPORT_OPTIONS, RUN_OPTIONS, add_flags, flag_values
from capeval.visible import visible

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="capeval",
        description="Evaluate capacity-building and training programmes: validate survey data, "
        "render one report per partner, and index them.",
    )
    parser.add_argument("--version", action="version", version=f"capeval {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="build the bundled demo programmes and render all their reports")
    demo.add_argument(
        "--data", default="build/demo", help="where the demo programme folders are written (default: build/demo)"
    )
    demo.add_argument("--out", default="reports", help="report folder (default: reports)")
    demo.add_argument("--only", nargs="+", metavar="ID", help="only these demo programmes")
    _run_options(demo)

    validate = sub.add_parser("validate", help="check a programme folder; exit 1 with one line per problem")
    validate.add_argument("programme", metavar="DIR", help="programme folder")

    imp = sub.add_parser(
        "import",
        help="survey exports -> programme folder (kobo, limesurvey, googleforms, msforms, csv, tmd)",
        description="Turn survey exports into a programme folder, or print a draft mapping to edit. "
        "Rows that cannot be imported are quarantined in DIR/_rejected/ with their reason.",
    )
    imp.add_argument(
        "--from", dest="fmt", required=True, metavar="FORMAT", help="kobo, limesurvey, googleforms, msforms, csv or tmd"
    )
    imp.add_argument("exports", nargs="*", metavar="EXPORT", help="export files (CSV or XLSX)")
    imp.add_argument("--mapping", metavar="MAP", help="mapping YAML (not needed for tmd); see docs/mapping.md")
    imp.add_argument("--into", metavar="DIR", help="programme folder to create or append to")
    imp.add_argument("--strict", action="store_true", help="import nothing when any row has a problem")
    imp.add_argument("--suggest-mapping", metavar="EXPORT", help="print a draft mapping for EXPORT and exit")
    imp.add_argument(
        "--form",
        metavar="FORM",
        help="with --suggest-mapping: the form definition, for each question's scale "
        "(a KoboToolbox XLSForm .xlsx or a LimeSurvey .lss)",
    )

    bundle = sub.add_parser(
        "bundle",
        help="zip reports to send; a partner's bundle holds only what is theirs",
        description="Zip a programme's rendered reports. With --partner, the zip holds only that partner's "
        "report (plus the programme report with --with-programme) and an index of just those.",
    )
    bundle.add_argument("--programme", required=True, metavar="ID", help="programme id (folder under --reports)")
    bundle.add_argument("--partner", metavar="ID", help="only this partner's report")
    bundle.add_argument("--with-programme", action="store_true", help="add the programme report to a partner's bundle")
    bundle.add_argument("--reports", default="reports", help="report folder (default: reports)")
    bundle.add_argument("--out", metavar="ZIP", help="zip file to write (default: REPORTS/<programme>[-<partner>].zip)")

    run = sub.add_parser(
        "run",
        help="render the reports of a programme",
        description="Render reports from a parameters file (PARAMS.yaml, paths in it relative to the file) "
        "or for a programme folder (--programme DIR). Options given here override the file's.",
    )
    run.add_argument("params", nargs="?", metavar="PARAMS.yaml", help="parameters file, e.g. parameters/<id>.yaml")
    run.add_argument("--programme", metavar="DIR", help="programme folder (instead of a parameters file)")
    run.add_argument("--partner", nargs="+", metavar="ID", help="only these partners' reports")
    run.add_argument("--track", nargs="+", metavar="ID", help="only these learning tracks' reports")
    run.add_argument(
        "--pdf", action="store_true", help="also print each rendered report to PDF (A4) with headless Chromium"
    )
    run.add_argument("--out", default=None, help="report folder (default: the file's out, else reports)")
    report_options = run.add_argument_group("report options (capeval/options.py; docs/options.md)")
    add_flags(report_options, REPORT_OPTIONS)
    _run_options(run, formats=True)

    app = sub.add_parser(
        "app",
        help="the workbench as a code-free Voilà app on 127.0.0.1",
        description="Serve the analyst workbench with Voilà on 127.0.0.1 (no code shown). Its address keeps the "
        "selection (programme, unit, tab, language), so it can be shared. Stop it with Ctrl-C.",
    )
    app.add_argument("--root", default="build/demo", help="folder of programme folders (default: build/demo)")
    app.add_argument("--out", default="reports", help="where 'render reports' writes (default: reports)")
    app.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default: 8866)")
    app.add_argument("--open", action="store_true", help="open the app in the default browser")
    return parser


def _run_options(parser: argparse.ArgumentParser, *, formats: bool = False) -> None:
    add_flags(parser, {k: v for k, v in RUN_OPTIONS.items() if formats or k not in ("formats", "internal")})
    parser.add_argument(
        "--executor", default=None, help="where reports run: local (default, a pool of processes) or dask (a cluster)"
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDR",
        default=None,
        help="the Dask scheduler for --executor dask, e.g. tcp://10.0.0.5:8786 (workers must see the same paths)",
    )
    parser.add_argument("--force", action="store_true", help="re-render reports whose inputs did not change")
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # silence debugger warnings of kernels
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupted) if main_thread else None  # SIGTERM stops as Ctrl-C does
    try:
        return int(COMMANDS[args.command](args))
    except UsageError as exc:  # asked for what cannot be: an unknown unit or executor
        _say(f"capeval: error: {visible(str(exc))}")
        return EXIT_USAGE
    except CapevalError as exc:
        _say(f"capeval: error: {visible(str(exc))}")
        return EXIT_FAILED
    except KeyboardInterrupt:
        _say("capeval: interrupted; finished reports are kept, re-run to continue")
        return 130
    except BrokenPipeError:  # `capeval validate DIR | head`: the reader has gone, and so do we, quietly
        _silence_stdout()
        return EXIT_FAILED
    except OSError as exc:  # a disk or file system problem not caught closer to where it happened
        where = Path(exc.filename).parent if exc.filename else Path.cwd()
        problem = disk_error(exc, where)
        _say(f"capeval: error: {problem or f'{exc.filename or where}: {exc.strerror or exc}'}")
        return EXIT_FAILED
    except Exception as exc:  # a bug of capeval's: one line, and the traceback only when asked for
        if os.environ.get("CAPEVAL_TRACEBACK"):
            raise
        _say(
            f"capeval: internal error: {type(exc).__name__}: {exc}\n"
            "  this is a bug of capeval; please report it with the command you ran "
            "(set CAPEVAL_TRACEBACK=1 to see where it happened)"
        )
        return EXIT_FAILED
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _say(message: str) -> None:
    """Print ``message`` on stderr, unless stderr is gone (a closed pipe or terminal)."""
    try:
        print(message, file=sys.stderr)
    except OSError:
        _silence_stdout()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush does not fail on a closed pipe."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def cmd_import(args: argparse.Namespace) -> int:
    from capeval.ingest import FORMATS, StrictImportError, import_exports, suggest_mapping

    if args.fmt not in FORMATS:
        print(
            f"capeval import: error: unknown format '{args.fmt}' (expected one of: {', '.join(FORMATS)})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.suggest_mapping:
        print(suggest_mapping(args.fmt, args.suggest_mapping, form=args.form), end="")
        return EXIT_OK
    if not args.exports or not args.into:
        print(
            "capeval import: error: give EXPORT file(s) and --into DIR (or --suggest-mapping EXPORT)", file=sys.stderr
        )
        return EXIT_USAGE
    try:
        report = import_exports(args.fmt, args.exports, mapping=args.mapping, into=args.into, strict=args.strict)
    except StrictImportError as exc:
        print(f"capeval: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(report.summary())
    return EXIT_FAILED if report.problems else EXIT_OK


def cmd_bundle(args: argparse.Namespace) -> int:
    from capeval.bundle import bundle_reports

    path = bundle_reports(
        args.reports,
        args.programme,
        partner=args.partner and args.partner.strip(),
        with_programme=args.with_programme,
        out=args.out,
    )
    print(path)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from capeval.messages import grouped_lines
    from capeval.validate import validate_programme, write_rejected

    validated = validate_programme(args.programme)
    for line in grouped_lines(validated.problems):  # a problem on many rows is one line naming the rows
        print(visible(line, one_line=True))  # a cell's escape sequences must not drive the terminal
    for line in grouped_lines(validated.notes):
        print(f"warning: {visible(line, one_line=True)}", file=sys.stderr)
    folder = write_rejected(validated)
    summary = ", ".join(
        f"{name}: {kept} kept, {rejected} rejected" for name, (kept, rejected) in validated.counts().items()
    )
    stream = sys.stderr if validated.problems else sys.stdout
    print(f"{'invalid' if validated.problems else 'valid'}: {summary}", file=stream)
    if folder is not None:
        print(f"rejected rows with their reasons: {folder}", file=stream)
    return EXIT_FAILED if validated.problems else EXIT_OK


def _report(result_entries: list[object], out: Path, quiet: bool) -> int:
    from capeval.jobs import Entry

    entries = [e for e in result_entries if isinstance(e, Entry)]
    failed = [e for e in entries if e.status == "failed"]
    for entry in failed:
        print(f"failed: {entry.kind} {entry.unit}: {entry.error}", file=sys.stderr)
    if not quiet:
        counts = {s: sum(1 for e in entries if e.status == s) for s in ("ok", "skipped", "failed")}
        print(f"{counts['ok']} rendered, {counts['skipped']} unchanged, {counts['failed']} failed", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    """The run settings given on the command line (paths made absolute: they are relative to here)."""
    given = {
        "executor": args.executor,
        "out": None if args.out is None else str(Path(args.out).resolve()),
    }
    return flag_values(args, OPTIONS) | {key: value for key, value in given.items() if value is not None}


def _executor_problem(executor: str, scheduler: str | None) -> str | None:
    """Why the executor options cannot work, or None."""
    from capeval.engines.executors import EXECUTORS

    if executor not in EXECUTORS:
        return f"unknown executor '{executor}' (expected one of: {', '.join(EXECUTORS)})"
    if executor != "dask":
        return None if scheduler is None else "--scheduler goes with --executor dask"
    if not scheduler:
        return "--executor dask needs --scheduler tcp://HOST:PORT (the address of the Dask scheduler)"
    from capeval.engines.dask_executor import check_installed

    try:
        check_installed()
    except CapevalError as exc:
        return str(exc)
    return None


def _executor_options(args: argparse.Namespace) -> dict[str, object] | None:
    return None if args.scheduler is None else {"scheduler": args.scheduler}


def cmd_run(args: argparse.Namespace) -> int:
    from capeval.parameters import load_parameters, parameters_from
    from capeval.pipeline import render_run

    if (args.params is None) == (args.programme is None):
        print("capeval run: error: give a parameters file or --programme DIR (one of them)", file=sys.stderr)
        return EXIT_USAGE
    run = load_parameters(args.params) if args.params is not None else parameters_from({"programme": args.programme})
    run = run.with_command_line(_overrides(args))
    if (problem := _executor_problem(run.executor, args.scheduler)) is not None:
        print(f"capeval run: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    result = render_run(
        run,
        partners=_ids(args.partner),  # as validate reads the tables' ids: white space around an id taken away
        tracks=_ids(args.track),
        force=args.force,
        quiet=args.quiet,
        pdf=args.pdf,
        executor_options=_executor_options(args),
    )
    code = _report(list(result.entries), run.out_dir, args.quiet)
    print(result.out / "index.html")
    return code


def cmd_demo(args: argparse.Namespace) -> int:
    from capeval.demo import build_demo
    from capeval.parameters import parameters_from
    from capeval.pipeline import render_run

    if (problem := _executor_problem(args.executor or "local", args.scheduler)) is not None:
        print(f"capeval demo: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    code = EXIT_OK
    for folder in build_demo(args.data, only=args.only):
        if not args.quiet:
            print(f"{folder.name}:", file=sys.stderr)
        run = parameters_from({"programme": str(folder)}).with_command_line(_overrides(args))
        result = render_run(run, force=args.force, quiet=args.quiet, executor_options=_executor_options(args))
        code = max(code, _report(list(result.entries), Path(args.out), args.quiet))
    print(Path(args.out).resolve() / "index.html")
    return code


def cmd_app(args: argparse.Namespace) -> int:
    from capeval.workbench.serve import serve_app

    return serve_app(args.root, args.out, port=args.port, open_browser=args.open)


COMMANDS = {
    "bundle": cmd_bundle,
    "import": cmd_import,
    "validate": cmd_validate,
    "run": cmd_run,
    "demo": cmd_demo,
    "app": cmd_app,
}


def _ids(given: list[str] | None) -> list[str] | None:
    """Unit ids from the command line as the tables hold them: white space around each taken away."""
    return None if given is None else [u.strip() for u in given]


if __name__ == "__main__":  # last: `python -m capeval.cli` runs main() here, once every name above is defined
    sys.exit(main())
