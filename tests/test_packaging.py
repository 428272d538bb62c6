"""The starter replies travel with the package: an installed cminbox finds them, not only a checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STARTER = sorted(p.name for p in (ROOT / "replies").glob("*.md"))


def _source_copy(tmp_path: Path) -> Path:
    """What a build sees, copied away from the worktree (builds write build/ and *.egg-info)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "replies", src / "replies")
    shutil.copytree(ROOT / "cminbox", src / "cminbox", ignore=shutil.ignore_patterns("__pycache__", "starter_replies"))
    return src


def _setuptools_builds_wheels() -> bool:
    try:
        import setuptools
    except ImportError:
        return False
    major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (77, 0)  # bdist_wheel from 70.1; `license = "MIT"` (SPDX) from 77


def test_the_build_hook_puts_the_starter_replies_in_the_package_and_they_are_found_there(tmp_path):
    pytest.importorskip("setuptools")
    src = _source_copy(tmp_path)
    lib = tmp_path / "lib"
    subprocess.run([sys.executable, "setup.py", "-q", "build_py", "-d", str(lib)], cwd=src, check=True, capture_output=True)
    packaged = lib / "cminbox" / "starter_replies"
    assert sorted(p.name for p in packaged.glob("*.md")) == STARTER
    # Imported from the built tree (as from site-packages), the lookup resolves inside the package.
    code = (
        "from cminbox.replies import starter_dir, load_library; from pathlib import Path\n"
        "print(starter_dir()); print(len(load_library(Path('/nonexistent')).replies))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(lib)},
                         capture_output=True, text=True, check=True)
    where, count = out.stdout.split()
    assert Path(where) == packaged and int(count) == len(STARTER) - 1  # README.md is not a reply


@pytest.mark.skipif(not _setuptools_builds_wheels(), reason="needs setuptools >= 77 (the test extra) to build a wheel offline")
def test_the_wheel_carries_the_starter_replies(tmp_path):
    src = _source_copy(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), "."],
        cwd=src, capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr
    [wheel] = (tmp_path / "dist").glob("cminbox-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("cminbox/starter_replies/")) == STARTER
    assert "cminbox/replies/library.py" in names
