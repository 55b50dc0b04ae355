"""Regenerate requirements/prod.txt and requirements/dev.txt (pinned) from pyproject.toml.

Pins come from what is installed in .venv, so: adjust pyproject.toml, `pip install` the new package
into .venv, then `make lock`.
"""

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP = [sys.executable, "-m", "pip"]


def resolve(requirements: list[str], constraints: str) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run(
            [
                *PIP,
                "install",
                "-q",
                "--dry-run",
                "--ignore-installed",
                "--report",
                report.name,
                "-c",
                constraints,
                *requirements,
            ],
            check=True,
        )
        data = json.loads(Path(report.name).read_text())
    return sorted(f"{i['metadata']['name']}=={i['metadata']['version']}" for i in data["install"])


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    freeze = subprocess.run(
        [*PIP, "freeze", "--exclude-editable"], check=True, capture_output=True, text=True
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as constraints:
        constraints.write("\n".join(line for line in freeze.splitlines() if not line.startswith("civichub")))
    prod = resolve(project["dependencies"], constraints.name)
    everything = resolve(project["dependencies"] + project["optional-dependencies"]["dev"], constraints.name)
    header = "# Generated from pyproject.toml by `make lock`; pinned so installs repeat.\n"
    (ROOT / "requirements/prod.txt").write_text(header + "\n".join(prod) + "\n")
    dev = [p for p in everything if p not in prod]
    (ROOT / "requirements/dev.txt").write_text(header + "-r prod.txt\n" + "\n".join(dev) + "\n")


if __name__ == "__main__":
    main()
