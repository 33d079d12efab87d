"""Runs the QGIS provider tests with pytest (meson test, suite 'qgis').

Usage: run.py TESTS_DIR. Exits 77 (meson's "skipped") when PyQGIS (python3-qgis), QGIS's
Processing plugin, qgis_process, pytest or Shapely are missing, and in sanitizer builds;
otherwise pytest's exit status.
"""
import os
import sys
import tempfile

SKIP = 77


def main():
    tests_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    sanitize = os.environ.get("BZ_SANITIZE", "none")
    if sanitize not in ("", "none"):
        print("SKIP: sanitizer build (b_sanitize=%s)" % sanitize)
        return SKIP
    for mod, pkg in (("pytest", "python3-pytest"), ("shapely", "python3-shapely"),
                     ("qgis.core", "qgis python3-qgis")):
        try:
            __import__(mod)
        except ImportError:
            print("SKIP: Python module %s is not installed (apt-get install %s)" % (mod, pkg))
            return SKIP
    if not os.path.isdir("/usr/share/qgis/python/plugins/processing"):
        print("SKIP: QGIS's Processing plugin is missing (apt-get install qgis)")
        return SKIP
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Qt wants a private runtime directory; QGIS keeps its settings in a throwaway profile.
    os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="bz-qgis-xdg-")
    os.chmod(os.environ["XDG_RUNTIME_DIR"], 0o700)
    os.environ["BZ_QGIS_PROFILE"] = tempfile.mkdtemp(prefix="bz-qgis-profile-")
    import pytest
    return pytest.main([tests_dir, "-q", "-p", "no:cacheprovider", "-rs"] + sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
