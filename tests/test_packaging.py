"""The wheel a user's company installs: every module, the type marker, the license, and
metadata a license checker reads (an SPDX ``License-Expression``, no legacy classifier).

The wheel is built once for this module, from a copy of the source tree (the worktree
gets no ``build/``), with ``python -m build`` in the test environment (``setuptools`` is
in the ``test`` extra; no isolated environment to set up on every run). Building it in
isolation, as a release does, installing it into a fresh environment and running the
demo take longer than the suite should: `.ci/run` does that once, in its "wheel" step.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from email.parser import HeaderParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv*",
            "build",
            "dist",
            "*.egg-info",
            "__pycache__",
            ".*_cache",
            ".hypothesis",
        ),
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(work / "dist"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "deprecated" not in (done.stdout + done.stderr).lower()
    [built] = (work / "dist").glob("typedresp-*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def dist_info(wheel: zipfile.ZipFile, name: str) -> str:
    [path] = [
        p
        for p in wheel.namelist()
        if p.split("/")[0].endswith(".dist-info") and p.split("/", 1)[1] == name
    ]
    return wheel.read(path).decode()


def test_the_wheel_holds_every_module_and_the_type_marker_and_nothing_else(
    wheel: zipfile.ZipFile,
) -> None:
    package = {p for p in wheel.namelist() if not p.split("/")[0].endswith(".dist-info")}
    source = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "typedresp").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert "typedresp/py.typed" in source
    assert "typedresp/demo/__main__.py" in source
    assert package == source


def test_the_wheel_carries_the_mit_license_as_an_spdx_expression(
    wheel: zipfile.ZipFile,
) -> None:
    assert dist_info(wheel, "licenses/LICENSE") == (ROOT / "LICENSE").read_text()
    assert "Copyright (c) 2026 the typedresp authors" in (ROOT / "LICENSE").read_text()
    metadata = HeaderParser().parsestr(dist_info(wheel, "METADATA"))
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert not [c for c in metadata.get_all("Classifier", []) if c.startswith("License ::")]
    assert metadata["Requires-Python"] == ">=3.10"
    assert "Typing :: Typed" in metadata.get_all("Classifier", [])
