"""Warm kernels: one Jupyter kernel per worker, reused for several notebooks, reset in between.

Starting a kernel and importing pandas and matplotlib costs about 1.8 s; the work of one of our
notebooks is a fraction of that. A worker therefore starts its kernel once, imports what the
notebooks import (read from their import statements), and then runs notebook after notebook
through papermill (engine ``surveybrief``), so every executed notebook is still a papermill
notebook with injected parameters. Before each notebook the kernel is put back to the state it
had after warm-up: the user namespace is emptied (as ``%reset -f``), figures closed, matplotlib
settings, working folder, ``sys.path``, warning filters and the execution counter restored.
What a notebook leaves in other process-wide places (a patched module, say) is not undone; a
test checks that every notebook's outputs equal those of a fresh kernel.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

#: What :func:`restore_state` puts back; filled by :func:`snapshot_state` inside the kernel.
_SNAPSHOT: dict = {}
#: Engines this process has registered with papermill (registered once).
_REGISTERED: list[str] = []


def notebook_imports(notebooks: list[Path]) -> list[str]:
    """Return the modules the notebooks' code cells import (absolute imports only), sorted."""
    import nbformat

    modules: set[str] = set()
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            source = "\n".join(
                line
                for line in cell.source.splitlines()
                if not line.lstrip().startswith(("%", "!"))
            )
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue  # the notebook will report it when it runs
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules.add(node.module)
    return sorted(modules)


def warmup_code(modules: list[str]) -> str:
    """Return kernel code that imports ``modules`` and takes the snapshot, binding no names."""
    return f"__import__('surveybrief.run.kernels').run.kernels.warm_up({list(modules)!r})"


def warm_up(modules: list[str]) -> None:
    """Import ``modules`` inside the kernel, then record the state notebooks start from.

    A module that fails to import is skipped: the notebook importing it reports the error, at
    its own cell, when it runs.
    """
    import gc
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            continue
    snapshot_state()
    # What warm-up made (about 300,000 objects of pandas, SciPy, matplotlib ...) lives as long
    # as the kernel: moved out of the collector's sight, the collection after each notebook
    # looks at that notebook's objects only (0.15 s less per notebook). Not collected first:
    # that took as long, for the little garbage importing leaves.
    gc.freeze()


def reset_code(products_log: str | None = None, build: str | None = None) -> str:
    """Return kernel code that restores the warm-up state and says where to list products."""
    return (
        "__import__('surveybrief.run.kernels').run.kernels.restore_state("
        f"{products_log!r}, {build!r})"
    )


def snapshot_state() -> None:
    """Record, inside the kernel, the state every notebook should start from."""
    import sys
    import warnings

    _SNAPSHOT.clear()
    _SNAPSHOT.update(cwd=os.getcwd(), path=list(sys.path), filters=list(warnings.filters))
    if "matplotlib" in sys.modules:
        import matplotlib

        _SNAPSHOT["rc"] = matplotlib.rcParams.copy()


def restore_state(products_log: str | None = None, build: str | None = None) -> None:
    """Put the kernel back to the snapshot: namespace, figures, settings, folder, counter.

    ``products_log``: where the next notebook's written files are listed (its products);
    ``build``: the run folder the next notebook may write (a kernel kept across runs, as
    ``make preview`` keeps it, serves a new run each time).
    """
    import gc
    import sys
    import warnings

    from IPython import get_ipython

    from surveybrief.writers import record_products

    record_products(products_log)
    if build:
        from surveybrief.writers import BUILD_ENV

        os.environ[BUILD_ENV] = build

    shell = get_ipython()
    # What %reset -f does (user names, In/Out, _ and friends), plus a new history session so
    # that counting cells from 1 again does not clash with the last notebook's history.
    shell.reset(new_session=True)
    os.chdir(_SNAPSHOT["cwd"])
    sys.path[:] = _SNAPSHOT["path"]
    warnings.filters[:] = _SNAPSHOT["filters"]
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if "rc" in _SNAPSHOT:
        import matplotlib

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.clear()
            matplotlib.rcParams.update(_SNAPSHOT["rc"])
    gc.collect()  # free the last notebook's data before the next one loads its own


def ipc_kernel_manager(socket_dir: str):
    """Return a kernel manager class talking to kernels over local IPC sockets, not TCP."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        """Kernel manager whose sockets live in a private folder (no network ports)."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = os.path.join(socket_dir, "kernel")

    return IPCKernelManager


class WarmKernel:
    """A kernel started once, warmed up, and reset before each notebook it runs."""

    def __init__(self, kernel_name: str, cwd: Path, socket_dir: str, modules: list[str]):
        from jupyter_core.utils import run_sync

        self._run = run_sync(self._call)
        self.km = ipc_kernel_manager(socket_dir)(kernel_name=kernel_name)
        run_sync(self.km.start_kernel)(cwd=str(cwd))
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=120)
        self._run(warmup_code(modules))

    async def _call(self, code: str) -> None:
        reply = await self.kc.execute_interactive(
            code, silent=True, store_history=False, timeout=120
        )
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError(
                f"kernel set-up failed: {content.get('ename')}: {content.get('evalue')}"
            )

    def is_alive(self) -> bool:
        """Return whether the kernel process still runs."""
        from jupyter_core.utils import run_sync

        return bool(run_sync(self.km.is_alive)())

    def reset(self, products_log: str | None = None, build: str | None = None) -> None:
        """Empty the namespace and restore the warm-up state before the next notebook."""
        self._run(reset_code(products_log, build))

    def shutdown(self) -> None:
        """Stop the client's channels and the kernel."""
        from jupyter_core.utils import run_sync

        self.kc.stop_channels()
        run_sync(self.km.shutdown_kernel)(now=True)
        run_sync(self.km.cleanup_resources)()


def register_engine() -> str:
    """Register (once per process) the papermill engine that runs notebooks in a warm kernel."""
    if _REGISTERED:
        return ENGINE
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE, _warm_kernel_engine(_written_at_the_end()))
    _REGISTERED.append(ENGINE)
    return ENGINE


def _written_at_the_end():
    """Return papermill's execution record, made to write the notebook once, at its end."""
    from papermill.engines import NotebookExecutionManager

    class WrittenAtTheEnd(NotebookExecutionManager):
        """papermill's record of an execution, written once when the notebook ends, however.

        papermill writes the whole notebook at the start and the end of every cell, so that
        a long job can be watched; ours take a second, and those writes (validated, figures
        and all) were a third of it. Ended by an error or a dead kernel, it is still written.
        """

        def save(self, **kwargs):
            """Write the notebook only once it has ended (papermill calls this at each cell)."""
            if getattr(self, "ended", False):
                super().save(**kwargs)

        def notebook_complete(self, **kwargs):
            """Mark the end (an error, a dead kernel or a SIGTERM included), then write."""
            self.ended = True
            super().notebook_complete(**kwargs)

    return WrittenAtTheEnd


def _warm_kernel_engine(record):
    """Return papermill's nbclient engine on a running kernel, keeping its record as ``record``."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.log import logger

    class WarmKernelEngine(NBClientEngine):
        """papermill's nbclient engine, but on an already running kernel (``warm_kernel``)."""

        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, log_output=False,
                             **kwargs):  # fmt: skip
            """Execute as papermill's engines do, the notebook written once at its end."""
            kwargs.pop("progress_bar", None)  # none: the run reports each notebook itself
            kwargs.pop("autosave_cell_every", None)
            nb_man = record(nb, output_path, log_output=log_output, progress_bar=False)
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            except KeyboardInterrupt:  # a SIGTERM to the worker: cut off, not completed
                _mark_interrupted(nb_man)
                raise
            finally:
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            warm_kernel=None,
            **kwargs,
        ):
            client = PapermillNotebookClient(
                nb_man,
                km=warm_kernel.km,
                kernel_name=kernel_name,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client.kc = warm_kernel.kc  # one client per kernel, kept open between notebooks
            return client.execute()

    return WarmKernelEngine


ENGINE = "surveybrief"


def _mark_interrupted(nb_man) -> None:
    """Say in a cut-off notebook that it was interrupted, at the cell that was running.

    papermill marks a cell "completed" when it ends, however it ends, and every cell still
    pending at the notebook's end too, unless one before it failed: the last cell that started
    is marked failed, so those after it stay pending.
    """
    nb_man.nb.metadata.papermill.update(exception=True, interrupted=True)
    started = [c for c in nb_man.nb.cells if c.metadata.get("papermill", {}).get("start_time")]
    if started:
        started[-1].metadata.papermill["status"] = nb_man.FAILED
