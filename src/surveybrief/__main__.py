"""Command line: ``python -m surveybrief <job>``; the Makefile targets call these jobs."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from surveybrief.config import DATA_DIR, NOTEBOOKS_DIR, OUTPUTS_DIR, PRIVATE_DIR, codebook_dir
from surveybrief.exceptions import SurveyBriefError


def _briefing(args: argparse.Namespace) -> int:
    from surveybrief.run.pipeline import run_pipeline

    run_pipeline(
        wave=args.wave,
        data_root=Path(args.data),
        outputs_root=Path(args.out),
        use_cache=not args.no_cache,
        workers=args.workers,
        langs=args.langs,
        leave_out=args.leave_out,
        wait=args.wait,
        final=args.final,
        private_root=Path(args.private),
        **({"notebooks_dir": Path(args.notebooks).resolve()} if args.notebooks else {}),
    )
    return 0


def _preview(args: argparse.Namespace) -> int:
    from functools import partial

    from surveybrief.config import resolve_wave
    from surveybrief.run.pipeline import run_pipeline
    from surveybrief.run.preview import preview, warm_pool

    notebooks = Path(args.notebooks).resolve() if args.notebooks else NOTEBOOKS_DIR
    out, wave = Path(args.out), resolve_wave(Path(args.data), args.wave or "latest")
    try:
        with warm_pool(notebooks) as pool:  # one wave, the same one all along
            run = partial(
                run_pipeline,
                wave=wave,
                data_root=Path(args.data),
                outputs_root=out,
                notebooks_dir=notebooks,
                langs=args.langs,
                pdf=args.pdf,
                wait=True,
                pool=pool,
            )
            preview(run, Path(args.data), wave, notebooks, out, args.port)
    except KeyboardInterrupt:
        print(f"preview stopped (the last report it made stays in {out})")
    return 0


def _reconstruct(args: argparse.Namespace) -> int:
    from surveybrief.config import raw_dir
    from surveybrief.inputs.codebook import load_codebook
    from surveybrief.inputs.published import load_published
    from surveybrief.inputs.wave import load_wave
    from surveybrief.tools.reconstruct import reconstruct_wave, write_reconstruction

    data_root = Path(args.data)
    wave = load_wave(data_root, args.wave)
    codebook = load_codebook(data_root, wave.codebook_version)
    publication = load_published(data_root, args.wave, codebook)
    seed = str(wave.reconstruction.get("seed", args.wave))
    frame, plans = reconstruct_wave(codebook, publication, wave.n_stated, seed)
    target = Path(args.out) if args.out else raw_dir(data_root, args.wave) / wave.export.file
    write_reconstruction(frame, target, force=args.force)
    for plan in plans:
        if plan.counts:
            exact = "exact" if plan.is_exact else "NOT attainable: nearest counts"
            print(f"{plan.question_id:20s} base {plan.base:3d}  {exact}")
    print(f"wrote {target} ({len(frame)} respondents)")
    return 0


def _init_wave(args: argparse.Namespace) -> int:
    from surveybrief.clean.draft import draft_wave, find_export
    from surveybrief.clean.draft_yaml import write_draft
    from surveybrief.inputs.codebook import load_codebook

    folder = Path(args.folder)
    data_root = Path(args.data) if args.data else folder.resolve().parents[1]
    codebook = load_codebook(data_root, args.codebook)
    export = folder / args.export if args.export else find_export(folder)
    draft = draft_wave(folder, codebook, export, args.encoding)
    target = write_draft(folder, codebook, export, args.encoding)
    print(
        f"{draft.platform} export, {draft.n_rows} rows: {len(draft.exact)} columns matched, "
        f"{len(draft.guessed)} uncertain, {len(draft.unmatched)} not matched; "
        f"{len(draft.meta)} platform and {len(draft.personal)} personal-data columns dropped; "
        f"{sum(map(len, draft.labels.values()))} answer labels guessed, "
        f"{sum(map(len, draft.unmatched_labels.values()))} not matched."
    )
    print(f"wrote {target}: fill the TODOs, check the UNCERTAIN lines, rename it wave.yaml")
    return 0


def _coding(args: argparse.Namespace) -> int:
    from surveybrief.brief.coding_book import write_coding_workbooks
    from surveybrief.clean.cleaner import run_clean_all
    from surveybrief.config import coding_dir, coding_output_dir, resolve_wave

    data_root, outputs_root = Path(args.data), Path(args.out)
    wave = resolve_wave(data_root, args.wave or "latest")
    with tempfile.TemporaryDirectory(prefix="surveybrief-coding-") as run_dir:
        run_clean_all(data_root, wave, Path(run_dir))  # never into a published run's folder
        folder = coding_output_dir(outputs_root, wave)
        written = write_coding_workbooks(data_root, wave, Path(run_dir), folder)
    for path in written:
        print(f"wrote {path}")
    if not written:
        print(f"wave {wave} has no open answers to code (none, or no code frame for them)")
    else:
        print(f"code them, then save each as {coding_dir(data_root, wave)}/<same name>.xlsx")
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from surveybrief.config import resolve_wave
    from surveybrief.run.feedback import MAIL_MERGE, feedback_alone

    data_root = Path(args.data)
    wave = resolve_wave(data_root, args.wave or "latest")
    folder = feedback_alone(data_root, wave, Path(args.private), args.lang, Path(args.out))
    sheets = len(list(folder.glob("*.html")))
    print(f"wrote {sheets} feedback sheets and {MAIL_MERGE} of wave {wave} into {folder} (private)")
    return 0


def _messages(args: argparse.Namespace) -> int:
    from surveybrief.tools.messages import update_catalogs

    for path in update_catalogs():
        print(f"wrote {path}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from surveybrief.tools.demo import run_delphi_demo, run_demo

    out = Path(args.out)
    run_demo(out)
    run_delphi_demo(out.with_name(out.name + "-delphi"), PRIVATE_DIR / "demo-delphi")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from surveybrief.tools.bench import run_bench

    run_bench(repeats=args.repeats)
    return 0


def _lab(args: argparse.Namespace) -> int:
    import subprocess

    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--notebook-dir={NOTEBOOKS_DIR}",
        "--ServerApp.ip=127.0.0.1",
    ]
    if os.environ.get("CI"):
        command.append("--no-browser")
    if os.geteuid() == 0:
        command.append("--allow-root")
    return subprocess.call(command)


def _testdata(args: argparse.Namespace) -> int:
    import shutil

    from surveybrief.inputs.codebook import load_codebook
    from surveybrief.tools.synthetic import write_wave

    data_root = Path(args.data)
    if data_root.resolve() == DATA_DIR.resolve():
        print("error: synthetic waves never go into data/; name another data root", file=sys.stderr)
        return 1
    if not codebook_dir(data_root).is_dir():
        shutil.copytree(codebook_dir(DATA_DIR), codebook_dir(data_root))
    codebook = load_codebook(data_root)
    folder = write_wave(
        codebook, data_root, args.wave, n=args.n, seed=args.seed, shape=args.shape, messy=args.messy
    )
    print(f"wrote a SYNTHETIC wave ({args.shape}, {args.n} respondents) to {folder}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with one sub-command per job."""
    parser = argparse.ArgumentParser(
        prog="surveybrief",
        description="Expert-survey waves in, an HTML and PDF policy briefing out.",
    )
    jobs = parser.add_subparsers(dest="job", required=True)
    _add_briefing(jobs)
    _add_feedback(jobs)
    _add_maintainer_jobs(jobs)
    return parser


def _add_preview(jobs) -> None:
    """Add ``preview``: serve the HTML report, run again on every change (make preview)."""
    view = jobs.add_parser("preview", help="serve the report; re-run on a change (make preview)")
    view.add_argument("--wave", default=None, help="wave id YYYY-MM (default: the latest)")
    view.add_argument("--data", default=str(DATA_DIR), help="data root (default: data/)")
    view.add_argument(
        "--out",
        default=str(OUTPUTS_DIR / "preview"),
        help="the preview's outputs root (default: outputs/preview/)",
    )
    view.add_argument("--notebooks", default=None, help="notebooks folder (default: notebooks/)")
    view.add_argument("--langs", default=None, help="languages, e.g. en,ru (default: the wave's)")
    view.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free)")
    view.add_argument("--pdf", action="store_true", help="render the PDFs too (slower)")
    view.set_defaults(func=_preview)


def _add_switches(brief) -> None:
    """Add the briefing's on/off switches: wait for the wave's lock, publish as final."""
    brief.add_argument(
        "--wait",
        action="store_true",
        help="when another run of the wave holds its lock, wait for it instead of stopping",
    )
    brief.add_argument(
        "--final",
        action="store_true",
        help="publish without the DRAFT mark; refused while an analyst checklist item is open",
    )
    brief.add_argument(
        "--private",
        default=str(PRIVATE_DIR),
        help="a Delphi round's feedback sheets go here (default: private/)",
    )


def _add_feedback(jobs) -> None:
    """Add ``feedback``: a Delphi round's sheets for its panel, privately (make feedback)."""
    sheets = jobs.add_parser(
        "feedback", help="write a Delphi round's feedback sheets, one per expert (make feedback)"
    )
    sheets.add_argument("--wave", default=None, help="the round's wave id (default: the latest)")
    sheets.add_argument("--data", default=str(DATA_DIR), help="data root (default: data/)")
    sheets.add_argument(
        "--out",
        default=str(OUTPUTS_DIR),
        help="the outputs root the sheets must stay out of (default: outputs/)",
    )
    sheets.add_argument(
        "--private",
        default=str(PRIVATE_DIR),
        help="private folder (default: private/): <it>/feedback/<wave>/",
    )
    sheets.add_argument("--lang", default=None, help="the sheets' language (default: the wave's)")
    sheets.set_defaults(func=_feedback)


def _add_briefing(jobs) -> None:
    """Add the jobs analysts run: briefing, lab, init-wave and coding."""
    brief = jobs.add_parser("briefing", help="run the whole pipeline for a wave (make briefing)")
    brief.add_argument("--wave", default=None, help="wave id YYYY-MM (default: the latest)")
    brief.add_argument("--data", default=str(DATA_DIR), help="data root (default: data/)")
    brief.add_argument("--out", default=str(OUTPUTS_DIR), help="outputs root (default: outputs/)")
    brief.add_argument(
        "--no-cache",
        action="store_true",
        help="run every notebook even if nothing changed since the last run",
    )
    brief.add_argument(
        "--workers",
        type=int,
        default=None,
        help="notebooks run in parallel (default: the number of cores)",
    )
    brief.add_argument(
        "--notebooks", default=None, help="run the notebooks of this folder instead of notebooks/"
    )
    brief.add_argument(
        "--langs",
        default=None,
        help="briefing languages, e.g. en,ru,kk (default: the wave's `languages`, else en)",
    )
    brief.add_argument(
        "--leave-out",
        default=None,
        help="earlier waves to leave out of this run (and its trends), e.g. 2030-01,2030-02",
    )
    _add_switches(brief)
    brief.set_defaults(func=_briefing)
    _add_preview(jobs)
    lab = jobs.add_parser("lab", help="open JupyterLab on the notebooks (make lab)")
    lab.set_defaults(func=_lab)
    init = jobs.add_parser(
        "init-wave", help="draft a wave.yaml from an export and the codebook (make init-wave)"
    )
    init.add_argument("folder", help="the wave folder holding the export, e.g. data/raw/2026-06")
    init.add_argument("--data", default=None, help="data root of the codebook (default: ../..)")
    init.add_argument("--codebook", type=int, default=None, help="version (default: latest)")
    init.add_argument("--export", default=None, help="the export's file name in the folder")
    init.add_argument(
        "--encoding", default=None, help="a CSV's encoding when not UTF-8 (e.g. cp1251, cp1252)"
    )
    init.set_defaults(func=_init_wave)
    coding = jobs.add_parser(
        "coding", help="write the coding workbooks of a wave's open answers (make coding)"
    )
    coding.add_argument("--wave", default=None, help="wave id YYYY-MM (default: the latest)")
    coding.add_argument("--data", default=str(DATA_DIR), help="data root (default: data/)")
    coding.add_argument("--out", default=str(OUTPUTS_DIR), help="outputs root (default: outputs/)")
    coding.set_defaults(func=_coding)


def _add_maintainer_jobs(jobs) -> None:
    """Add the jobs of the tools: reconstruct, demo, testdata, bench."""
    rec = jobs.add_parser(
        "reconstruct", help="rebuild a wave's respondent-level data from published figures"
    )
    rec.add_argument("--wave", required=True, help="wave id YYYY-MM")
    rec.add_argument("--data", default=str(DATA_DIR), help="data root (default: data/)")
    rec.add_argument("--out", default=None, help="write here instead of raw/<wave>/<export file>")
    rec.add_argument("--force", action="store_true", help="overwrite an existing export file")
    rec.set_defaults(func=_reconstruct)

    messages = jobs.add_parser(
        "messages", help="extract the briefing's messages and update the ru/kk catalogs"
    )
    messages.set_defaults(func=_messages)

    demo = jobs.add_parser(
        "demo", help="render SYNTHETIC briefings: three waves, and a Delphi panel (make demo)"
    )
    demo.add_argument(
        "--out", default=str(OUTPUTS_DIR / "demo"), help="outputs root (default: outputs/demo/)"
    )
    demo.set_defaults(func=_demo)

    from surveybrief.tools.shapes import SHAPES

    test = jobs.add_parser("testdata", help="write a SYNTHETIC wave in an export shape")
    test.add_argument("--data", required=True, help="data root to write into (not data/)")
    test.add_argument("--wave", default="2030-06", help="wave id YYYY-MM")
    test.add_argument("--n", type=int, default=60, help="respondents")
    test.add_argument("--seed", type=int, default=1, help="random seed")
    test.add_argument("--shape", choices=SHAPES, default="google_csv", help="export shape")
    test.add_argument("--messy", action="store_true", help="BOM, ';', CRLF, case, duplicates")
    test.set_defaults(func=_testdata)

    bench = jobs.add_parser("bench", help="the performance benchmark (make bench)")
    bench.add_argument(
        "--repeats",
        type=int,
        default=int(os.environ.get("BENCH_REPEATS", 3)),
        help="runs per scenario, median reported (default 3)",
    )
    bench.set_defaults(func=_bench)


def main(argv: list[str] | None = None) -> int:
    """Run one job; errors of the pipeline print one clear line and exit 1 (Ctrl-C: 130)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SurveyBriefError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "interrupted: nothing was published (the previous results, if any, are as they "
            "were; the next run removes what this one left)"
        )
        return 130


def run_and_exit(argv: list[str] | None = None) -> NoReturn:
    """Run :func:`main` as the command, then exit without tearing the interpreter down.

    A run has imported pandas, SciPy, nbconvert and WeasyPrint; freeing them one by one at exit
    took 0.5 s of a 7.5 s cold ``make briefing``. Nothing is lost by skipping it: every file is
    written and closed before ``main`` returns, the run's pool is stopped, and the exit
    handlers still run and the streams are flushed first (a reader that went away, as
    ``| head`` does, is not an error). Threads are not waited for: ``threading._shutdown`` is
    skipped with the rest, so a thread still importing (``pipeline._preload``) just ends. Under a
    profiler or a tracer (``python -m cProfile``, coverage) the interpreter ends as usual, for
    it to report.
    """
    code = main(argv)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or its reader went away
            stream.flush()
    os._exit(int(code or 0))


if __name__ == "__main__":
    run_and_exit()
