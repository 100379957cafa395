#!/usr/bin/env python3
"""Runs every notebook in notebooks/ top to bottom in the real .NET Interactive kernel through Jupyter.

This is what a learner does when they press "Run All" in VS Code or JupyterLab: a Jupyter client
(nbclient, the library behind `jupyter nbconvert --execute`) starts the `.net-csharp` kernel that
`dotnet interactive jupyter install` registered, in the notebook's folder, and runs each code cell in
order. Nothing is written back: the committed outputs come from `workbook run --write-outputs`.

Usage: run_notebooks.py [NOTEBOOK ...]   (default: notebooks/*.ipynb of this repository)
Prints one line per notebook (the failing cell, its first lines and the kernel's error when one
fails) and ends with "N passed, M failed"; exits 1 when any notebook failed.
"""
import glob
import os
import shutil
import subprocess
import sys
import time

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as missing:  # the message a learner or CI needs, not a traceback
    print(f"jupyter: {missing.name} is missing: sudo apt-get install -y jupyter-nbconvert python3-nbclient "
          "jupyter-client python3-ipykernel python3-nbformat")
    print("0 passed, 1 failed")
    sys.exit(1)

KERNEL = ".net-csharp"
CELL_TIMEOUT_S = 300  # one cell; a hung cell fails its notebook instead of stalling the run
STARTUP_TIMEOUT_S = 120


def run(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, startup_timeout=STARTUP_TIMEOUT_S,
                            kernel_name=KERNEL, resources={"metadata": {"path": os.path.dirname(path)}})
    started = time.monotonic()
    number = 0
    # The kernel logs its own start-up (an HTTP listener, hosting lines) on stdout: keep it out of the report.
    with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            number = index + 1
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
                first = "\n      ".join(cell.source.splitlines()[:3])
                if getattr(error, "ename", None):
                    reason = f"{error.ename}: {str(error.evalue).strip().splitlines()[0] if error.evalue else ''}"
                else:
                    reason = next((line for line in str(error).strip().splitlines() if line.strip()), type(error).__name__)
                return False, f"cell {number} failed: {reason}\n      {first}", time.monotonic() - started
            errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            if errors:
                return False, f"cell {number} failed: {errors[0].get('ename')}: {errors[0].get('evalue')}", time.monotonic() - started
    return True, f"{sum(c.cell_type == 'code' for c in notebook.cells)} code cells", time.monotonic() - started


def tools_on_path():
    """The kernelspec that `dotnet interactive jupyter install` registers starts `dotnet-interactive` by name, from
    the global tools folder; without that folder on PATH the kernel dies at once ("Kernel died before replying to
    kernel_info"). Add it, as a learner's shell profile would."""
    tools = os.path.join(os.path.expanduser("~"), ".dotnet", "tools")
    if shutil.which("dotnet-interactive") is None and os.path.isdir(tools):
        os.environ["PATH"] = os.environ.get("PATH", "") + os.pathsep + tools
    return shutil.which("dotnet-interactive") is not None


def main(argv):
    if not tools_on_path():
        print("jupyter: dotnet-interactive is not on PATH: dotnet tool install -g Microsoft.dotnet-interactive"
              " --version 1.0.712001, then export PATH=\"$PATH:$HOME/.dotnet/tools\"")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    paths = [os.path.abspath(p) for p in argv] or sorted(glob.glob(os.path.join(root, "notebooks", "*.ipynb")))
    passed = failed = 0
    total = time.monotonic()
    for path in paths:
        try:
            ok, detail, seconds = run(path)
        except Exception as error:  # no kernel, a kernel that does not start: say so and go on
            ok, detail, seconds = False, f"{type(error).__name__}: {error}", 0.0
            if "No such kernel" in str(error):
                detail += (" (install it: dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001"
                           " && dotnet interactive jupyter install)")
        mark = "✔" if ok else "✘"
        print(f"  {mark} {os.path.basename(path)}: {detail} ({seconds:.1f} s)", flush=True)
        passed += ok
        failed += not ok
    print(f"jupyter: {len(paths)} notebooks in the {KERNEL} kernel in {time.monotonic() - total:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
