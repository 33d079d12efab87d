"""Shared fixtures of the Python package tests: where the sample data and the bz-* tools are,
and running a tool as a user would (its output is the independent side of many comparisons:
the tools are C programs over the same library, read through their own code paths)."""
import json
import os
import subprocess

import pytest

SOURCE_ROOT = os.environ.get("BZ_SOURCE_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(SOURCE_ROOT, "examples", "data")
TOOLS = os.environ.get("BZ_TOOLS_DIR", "")

LINE = os.path.join(DATA, "donbas_contact_line_2015.geojson")
REGION = os.path.join(DATA, "ukraine_outline.geojson")
TERRITORY = os.path.join(DATA, "donbas_breakaway_2015.geojson")
PLACES = os.path.join(DATA, "places_ne_ukraine_region.geojson")


def tool(name, *args, cwd=None):
    """Run build/examples/NAME with args; returns stdout (fails the test on a non-zero exit)."""
    exe = os.path.join(TOOLS, name)
    if not TOOLS or not os.path.exists(exe):
        pytest.skip("%s is not built (BZ_TOOLS_DIR=%r)" % (name, TOOLS))
    p = subprocess.run([exe] + [str(a) for a in args], capture_output=True, text=True,
                       cwd=cwd, timeout=600)
    assert p.returncode == 0, "%s %s -> %d\n%s" % (name, " ".join(map(str, args)),
                                                    p.returncode, p.stderr)
    return p.stdout


def tool_json(name, *args, cwd=None):
    return json.loads(tool(name, *args, "--json", cwd=cwd))


@pytest.fixture
def geopandas():
    return pytest.importorskip("geopandas")
