"""The README's "From Python" example runs as written (from a directory laid out like the
project root), prints the table the README shows, and saves the map as a PNG; and the
Quick start's first command installs what the Python package and its tests need."""
import contextlib
import io
import os
import re

import pytest

from conftest import SOURCE_ROOT

README = os.path.join(SOURCE_ROOT, "README.md")


def section(text, title):
    m = re.search(r"^## %s\n(.*?)(?=^## )" % re.escape(title), text, re.S | re.M)
    assert m, "README has no '## %s' section" % title
    return m.group(1)


def test_python_example_runs_as_written(tmp_path, monkeypatch):
    pytest.importorskip("geopandas")
    pytest.importorskip("matplotlib")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    import matplotlib
    matplotlib.use("Agg")
    text = section(open(README).read(), "From Python")
    blocks = re.findall(r"```(\w*)\n(.*?)```", text, re.S)
    code = [b for lang, b in blocks if lang == "python"]
    shown = [b for lang, b in blocks if lang == ""]
    assert len(code) == 1 and shown, "expected one python block and its output"
    os.symlink(os.path.join(SOURCE_ROOT, "examples"), tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code[0], "README.md: From Python", "exec"), {"__name__": "__readme__"})
    assert out.getvalue() == shown[0]
    png = tmp_path / "zones.png"
    assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import matplotlib.pyplot as plt
    plt.close("all")


def test_quick_start_installs_the_python_packages():
    qs = section(open(README).read(), "Quick start")
    first = re.search(r"```sh\n(.*?)```", qs, re.S).group(1)
    for pkg in ("python3-dev", "python3-numpy", "python3-shapely", "python3-geopandas",
                "python3-pytest", "python3-matplotlib"):
        assert re.search(r"apt-get install[^&]*\b%s\b" % re.escape(pkg), first), pkg
