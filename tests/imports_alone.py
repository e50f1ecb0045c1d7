"""Each module of the four layers imported alone, in a fresh interpreter of its own.

The interpreters take about a second each (the libraries they load), seventy of them: so the
check starts with the run, in its main process (conftest.py), and runs beside the tests; a
pytest-xdist worker would otherwise repeat it, once per worker. Its results go to a file
that the environment names, which the workers inherit; tests/test_structure.py reads them.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("api", "resources", "models", "schemas")
THIS_CHECK = ROOT / "tests" / "test_structure.py"
RESULTS = "CONDUIT_IMPORTS_ALONE"  # the variable naming the file of results
WAIT_SECONDS = 600


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(path for layer in LAYERS for path in (ROOT / layer).rglob("*.py"))


def import_alone(name: str) -> list:
    """[module, exit code, the last line of what it printed on stderr]. Once imported, the
    interpreter ends at once: its usual teardown, a fifth of its time, tells nothing of the
    import (a failed one has already exited 1)."""
    done = subprocess.run(
        [sys.executable, "-c", f"import {name}; import os; os._exit(0)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return [name, done.returncode, done.stderr.strip().splitlines()[-1:]]


def every_module() -> list[list]:
    return [import_alone(module_name(path)) for path in MODULES]


def runs_the_check(args: list[str]) -> bool:
    """Whether the run's paths (as pytest was given them) reach tests/test_structure.py."""
    return any(THIS_CHECK.is_relative_to(Path(arg.split("::")[0]).resolve()) for arg in args)


def start() -> Path:
    """Begin in the background; the results are written to the file returned, once all done."""
    path = Path(tempfile.mkdtemp(prefix="imports-alone-")) / "results.json"
    os.environ[RESULTS] = str(path)

    def run() -> None:
        try:
            found = every_module()
        except Exception as error:  # a failure to report, not a wait of WAIT_SECONDS
            found = [["(the check itself)", 1, [repr(error)]]]
        written = path.with_suffix(".partial")
        try:
            written.write_text(json.dumps(found))
            written.replace(path)  # whole, or not there
        except OSError:
            pass  # the run ended first, and took its directory with it

    threading.Thread(target=run, daemon=True, name="imports-alone").start()
    return path


def clean_up(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)


def results() -> list[list]:
    """The results of the run's check, waited for; where no run started one (a process of its
    own, outside pytest's main process), made here and now."""
    where = os.environ.get(RESULTS)
    if where is None:
        return every_module()
    path = Path(where)
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no results in {path} after {WAIT_SECONDS} s")
        time.sleep(0.2)
    return json.loads(path.read_text())
