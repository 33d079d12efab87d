"""One headless QgsApplication for the session, with QGIS's Processing framework and our
provider (from the source tree, BZ_QGIS_PLUGINS) registered; helpers to run the bz-* tools."""

import json
import os
import subprocess
import sys

import pytest

ROOT = os.environ.get("BZ_SOURCE_ROOT",
                      os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
DATA = os.path.join(ROOT, "examples", "data")
TOOLS = os.environ.get("BZ_TOOLS_DIR", os.path.join(ROOT, "build", "examples"))
PLUGINS = os.environ.get("BZ_QGIS_PLUGINS", os.path.join(ROOT, "qgis"))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, "/usr/share/qgis/python/plugins")
sys.path.insert(0, PLUGINS)

from qgis.core import QgsApplication  # noqa: E402

_APP = None
_PROVIDER = []  # the Python object must stay alive, or QGIS sees an empty provider


def qgis_app():
    global _APP
    if _APP is None:
        profile = os.environ.get("BZ_QGIS_PROFILE")
        _APP = QgsApplication([], False, profile) if profile else QgsApplication([], False)
        _APP.initQgis()
        from processing.core.Processing import Processing
        Processing.initialize()
        from bufferzone_processing.provider import BufferzoneProvider
        _PROVIDER.append(BufferzoneProvider())
        QgsApplication.processingRegistry().addProvider(_PROVIDER[0])
    return _APP


@pytest.fixture(scope="session")
def app():
    return qgis_app()


def data(name):
    return os.path.join(DATA, name)


def tool(name, *args):
    """Run a bz-* tool; its stdout (checked)."""
    r = subprocess.run([os.path.join(TOOLS, name)] + [str(a) for a in args],
                       capture_output=True, text=True)
    assert r.returncode == 0, "%s %s: %s" % (name, args, r.stderr)
    return r.stdout


def tool_json(name, *args):
    return json.loads(tool(name, *args, "--json"))
