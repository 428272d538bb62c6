"""Build hook: ship the repo's starter replies (`replies/`) inside the package.

Everything else about the package is declared in pyproject.toml. The starter library lives at
the repo root, where a team reads and edits it; a wheel (and so `pip install .`) must carry it
too, so `build_py` copies it to `cminbox/starter_replies/`, where
`cminbox.replies.library.starter_dir()` finds it through importlib.resources. An editable
install or a plain checkout reads the repo's folder directly.
"""

from pathlib import Path
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
STARTER = ROOT / "replies"
PACKAGED = Path("cminbox") / "starter_replies"


class build_py_with_starter_replies(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / PACKAGED
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(STARTER.glob("*.md")):
            shutil.copyfile(path, target / path.name)


setup(cmdclass={"build_py": build_py_with_starter_replies})
