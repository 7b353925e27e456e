"""Run R (Rscript with the survey package) from tests; a missing R fails the test, it never skips it."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

INSTALL_HINT = "install R and its survey package: apt-get install -y r-base-core r-cran-survey"


def rscript() -> str:
    """Path of Rscript, or fail the calling test with how to install it."""
    path = shutil.which("Rscript")
    if path is None:
        pytest.fail(f"Rscript is not on PATH; these tests compare with live R, so {INSTALL_HINT}.", pytrace=False)
    return path


def run_r(code: str, workdir: Path, timeout: float = 300) -> None:
    """Run `code` as an R script in `workdir` (files it writes land there); fail the test on any R error."""
    script = workdir / "script.R"
    script.write_text("suppressMessages(library(survey))\noptions(digits = 15, warn = 1)\n" + code, encoding="utf-8")
    done = subprocess.run(
        [rscript(), "--vanilla", str(script)], cwd=workdir, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        if "there is no package called" in done.stderr:
            pytest.fail(f"R's survey package is missing; {INSTALL_HINT}.\n{done.stderr}", pytrace=False)
        pytest.fail(f"Rscript failed ({done.returncode}):\n{done.stderr[-4000:]}", pytrace=False)


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV that R wrote with write.csv(..., row.names = FALSE)."""
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))
