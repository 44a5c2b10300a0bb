"""mypy and pyright, with no plugin, infer the seed models' types and report the expected errors.

``check_seed_types.py`` holds ``assert_type`` checks (a wrong inference is an error) and lines marked
``# expect-error`` (a missing error is a failure). Each checker must report errors on exactly the marked
lines. The checks run once per ``./run test``, in the SQLite pass: they do not touch a database.
"""
import json
import os
import pathlib
import re
import subprocess
import sys
import sysconfig
import venv
import zipfile

import pytest

from tests.backends import VENDOR

pytestmark = pytest.mark.skipif(VENDOR != "sqlite", reason="type checks run once, in the SQLite pass")

HERE = pathlib.Path(__file__).parent
ROOT = HERE.parent.parent
CHECKED = HERE / "check_seed_types.py"
BIN = pathlib.Path(sys.executable).parent


@pytest.fixture(scope="module", autouse=True)
def mypy_cache(tmp_path_factory):
    """One mypy cache for the module's runs (the library's modules are analysed once)."""
    global MYPY_CACHE
    MYPY_CACHE = tmp_path_factory.mktemp("mypy_cache")


def expected_error_lines():
    """Line numbers of check_seed_types.py marked ``# expect-error``."""
    lines = CHECKED.read_text().splitlines()
    return {number for number, line in enumerate(lines, 1) if line.rstrip().endswith("# expect-error")}


def run(command, cwd, env=None):
    """Run a checker; its combined output (the checkers exit non-zero when they report errors)."""
    result = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True,
                            text=True, timeout=300)
    return result.stdout + result.stderr


def mypy(target, cwd, *extra):
    """mypy's error lines for ``target``: {(file name, line)}, and its whole output."""
    out = run([str(BIN / "mypy"), "--follow-imports=silent", "--no-error-summary", "--show-error-codes",
               "--cache-dir", str(MYPY_CACHE), *extra, str(target)], cwd)
    errors = {(pathlib.Path(m.group(1)).name, int(m.group(2)))
              for m in re.finditer(r"^(.+?\.py):(\d+): error:", out, re.M)}
    return errors, out


def pyright(target, cwd, *extra):
    """pyright's error lines for ``target``: {(file name, line)}, and its whole output."""
    out = run([str(BIN / "pyright"), "--outputjson", *extra, str(target)], cwd,
              env={"PYRIGHT_PYTHON_FORCE_VERSION": "", "NODE_OPTIONS": ""})
    report = json.loads(out[out.index("{"):])
    errors = {(pathlib.Path(d["file"]).name, d["range"]["start"]["line"] + 1)
              for d in report["generalDiagnostics"] if d["severity"] == "error"}
    return errors, out


@pytest.mark.parametrize("checker", [mypy, pyright], ids=["mypy", "pyright"])
def test_seed_model_types(checker, tmp_path):
    errors, out = checker(CHECKED, ROOT)
    want = {(CHECKED.name, line) for line in expected_error_lines()}
    assert len(want) >= 6
    assert errors == want, "unexpected: %s; missing: %s\n%s" % (sorted(errors - want), sorted(want - errors), out)


USER_CODE = '''
from typing_extensions import assert_type
from ormlette.db import models


class Customer(models.Model):
    name = models.CharField(max_length=10)


assert_type(Customer.objects.get(pk=1).name, str)
Customer.objects.get(pk=1).name = 1
'''


def user_project(tmp_path):
    """A one-file project outside the repository, so ormlette can only come from an installation."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(USER_CODE)
    return project


def interpreter_flags(checker, python):
    """How to point ``checker`` at an interpreter whose site-packages hold ormlette."""
    return ("--python-executable", str(python)) if checker is mypy else ("--pythonpath", str(python))


@pytest.mark.parametrize("checker", [mypy, pyright], ids=["mypy", "pyright"])
def test_types_reach_checkers_from_the_editable_install(checker, tmp_path):
    """The test venv holds ormlette as ``pip install -e .`` made it: checkers must find it from outside."""
    project = user_project(tmp_path)
    errors, out = checker(project / "app.py", project, *interpreter_flags(checker, sys.executable))
    assert errors == {("app.py", 11)}, out  # only the bad assignment: the import and the types resolved


def venv_with_wheel(tmp_path):
    """A fresh venv with ormlette's built wheel unpacked into it, the test venv's packages beside."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("ormlette-*.whl"))
    env = tmp_path / "env"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    with zipfile.ZipFile(wheel) as archive:
        assert "ormlette/py.typed" in archive.namelist()
        archive.extractall(purelib)
    # The dependencies (sqlalchemy, typing_extensions) from the test venv; its .pth files, the editable
    # ormlette's among them, are not read from a directory that a .pth line adds.
    (pathlib.Path(purelib) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


@pytest.mark.parametrize("checker", [mypy, pyright], ids=["mypy", "pyright"])
def test_types_reach_checkers_from_a_built_wheel(checker, tmp_path):
    """A normal install (the wheel: py.typed and the annotated modules) gives checkers the same types."""
    python = venv_with_wheel(tmp_path)
    project = user_project(tmp_path)
    errors, out = checker(project / "app.py", project, *interpreter_flags(checker, python))
    assert errors == {("app.py", 11)}, out
