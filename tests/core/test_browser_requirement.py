"""Browser tests skip with a clear message without Chromium — except in CI, where they fail."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # starts pytest in a subprocess


def _run_browser_suite_without_chromium(ci: bool):
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"CHROMIUM_PATH": "/nonexistent/chromium", "CIVICHUB_APPS": "none"})
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-rs",
            "tests/browser/test_foundation.py::test_sign_in_and_profile_work_without_javascript",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("ci", [False, True])
def test_missing_chromium_skips_outside_ci_and_fails_in_ci(ci):
    result = _run_browser_suite_without_chromium(ci)
    assert "Chromium not found" in result.stdout
    if ci:
        assert result.returncode != 0
        assert "required in CI" in result.stdout
    else:
        assert result.returncode == 0
        assert "1 skipped" in result.stdout
