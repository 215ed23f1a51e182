"""`make run` and `make test` name a missing prerequisite in one clear line."""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check-prerequisites.sh"


def check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (fixed script)
        ["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False
    )


def test_everything_present_passes_silently():
    result = check(dict(os.environ, PYTHON=sys.executable))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_missing_python_is_named_in_one_line():
    result = check(dict(os.environ, PYTHON="python-that-is-not-installed"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Missing prerequisite: Python 3.11 or newer")


def test_a_missing_node_is_named_in_one_line(tmp_path):
    (tmp_path / "python3").symlink_to(sys.executable)
    result = check({"PATH": str(tmp_path), "PYTHON": "python3"})
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Missing prerequisite: Node.js 20 or newer")
