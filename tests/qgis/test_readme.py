"""The README's "From QGIS" qgis_process commands run as written, from a directory laid out
like the project root after a build, and write the zones the section promises."""

import os
import re
import subprocess

from conftest import ROOT
from helpers import layer_features


def sh_block(title):
    text = open(os.path.join(ROOT, "README.md")).read()
    m = re.search(r"^## %s\n(.*?)(?=^## )" % re.escape(title), text, re.S | re.M)
    assert m, "README has no '## %s' section" % title
    blocks = re.findall(r"```sh\n(.*?)```", m.group(1), re.S)
    assert len(blocks) == 1, blocks
    return blocks[0]


def test_readme_qgis_process_commands(app, tmp_path):
    from qgis.core import QgsVectorLayer
    root = tmp_path / "project"
    (root / "build").mkdir(parents=True)
    os.symlink(os.path.join(ROOT, "examples"), root / "examples")
    os.symlink(os.path.join(ROOT, "qgis"), root / "qgis")
    os.symlink(os.environ["PYTHONPATH"].split(os.pathsep)[0], root / "build" / "python")
    env = dict(os.environ, HOME=str(tmp_path / "home"))
    r = subprocess.run(["bash", "-euo", "pipefail", "-c", sh_block("From QGIS")], cwd=root,
                       env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    zones = QgsVectorLayer(str(root / "zones.gpkg"), "zones", "ogr")
    assert sorted(a["side"] for a, g in layer_features(zones)) == ["Donbass", "Ukraine"]
