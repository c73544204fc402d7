#!/usr/bin/python3
"""Runs notebooks top to bottom on the d2l-cl kernel with nbclient, as Jupyter would; any error fails.

    execute.py [--save] NOTEBOOK.ipynb...

Each notebook runs in its own folder, on a fresh kernel. The kernelspec `d2l-cl` is looked up where
Jupyter looks (JUPYTER_PATH first; `./d2l-cl notebook --execute` points it at notebook/target/jupyter).
With --save, each notebook that ran without error is written back with its new outputs (to a
temporary file first, then renamed over it), so the committed notebooks show what the code prints;
without it, a notebook whose file does not hold the outputs of one run from the top fails too.
Exit status: 0 all ran, 1 one or more failed (each named on stderr, with its cell and error).
"""
import argparse
import os
import re
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = "d2l-cl"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def unsaved(notebook):
    """The code cells whose outputs were not saved from one run top to bottom (their indices)."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    return [i for i, cell in enumerate(code) if cell.get("execution_count") != i + 1]


def execute(notebook, path, timeout):
    """Runs the notebook read from path, in its folder; its cells take their new outputs."""
    client = NotebookClient(notebook, kernel_name=KERNEL, timeout=timeout, record_timing=False,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    client.execute()


def failure(notebook):
    """The failed cell as the notebook shows it: its number among the code cells, its code, its error."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code, start=1):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                lines = [f"code cell {number} failed:"]
                lines += ["    " + line for line in cell.source.splitlines()]
                lines += ["  " + ANSI.sub("", line) for line in output.traceback] or [f"  {output.ename}: {output.evalue}"]
                return "\n".join(lines)
    return None


def save(notebook, path):
    """Writes the notebook whole: a temporary file beside it, renamed over it."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".execute-", suffix=".ipynb", dir=folder)
    try:
        os.chmod(temporary, os.stat(path).st_mode & 0o777)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            nbformat.write(notebook, out)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main():
    parser = argparse.ArgumentParser(description="Run notebooks top to bottom on the d2l-cl kernel.")
    parser.add_argument("--save", action="store_true", help="write the outputs back into each notebook")
    parser.add_argument("--timeout", type=int, default=300, help="seconds a cell may run (default 300)")
    parser.add_argument("notebooks", nargs="+")
    args = parser.parse_args()
    failed = []
    for path in args.notebooks:
        stale = [] if args.save else unsaved(nbformat.read(path, as_version=4))
        if stale:
            print(f"d2l-cl: {path}: code cell {stale[0] + 1} holds no output of a run from the top;"
                  f" to save them: ./d2l-cl notebook --save", file=sys.stderr)
            failed.append(path)
            continue
        start = time.monotonic()
        notebook = nbformat.read(path, as_version=4)
        try:
            execute(notebook, path, args.timeout)
        except CellExecutionError as error:
            print(f"d2l-cl: {path}: {failure(notebook) or error}", file=sys.stderr)
            failed.append(path)
            continue
        except Exception as error:  # the kernel did not start or died: no cell to name
            print(f"d2l-cl: {path}: {type(error).__name__}: {error}", file=sys.stderr)
            failed.append(path)
            continue
        cells = sum(1 for cell in notebook.cells if cell.cell_type == "code")
        print(f"{path}: {cells} cells ran in {time.monotonic() - start:.1f} s", file=sys.stderr)
        if args.save:
            save(notebook, path)
    if failed:
        print(f"d2l-cl: {len(failed)} of {len(args.notebooks)} notebooks failed: {', '.join(failed)}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
