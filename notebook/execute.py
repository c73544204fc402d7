#!/usr/bin/python3
"""Runs notebooks top to bottom on the d2l-cl kernel with nbclient, as Jupyter would; any error fails.

    execute.py [--save] NOTEBOOK.ipynb...

Each notebook runs in its own folder, on a fresh kernel. The kernelspec `d2l-cl` is looked up where
Jupyter looks (JUPYTER_PATH first; `./d2l-cl notebook --execute` points it at notebook/target/jupyter).
With --save, each notebook that ran without error is written back with its new outputs (to a
temporary file first, then renamed over it), so the committed notebooks show what the code prints.
Exit status: 0 all ran, 1 one or more failed (each named on stderr, with its cell and error).
"""
import argparse
import os
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

KERNEL = "d2l-cl"


def execute(path, timeout):
    """Runs one notebook in place in memory; returns it."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, kernel_name=KERNEL, timeout=timeout, record_timing=False,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    client.execute()
    return notebook


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
        start = time.monotonic()
        try:
            notebook = execute(path, args.timeout)
        except CellExecutionError as error:
            print(f"d2l-cl: {path}: a cell failed:\n{error}", file=sys.stderr)
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
