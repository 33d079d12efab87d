"""Runs the Python package tests with pytest (meson test, suite 'python').

Usage: run.py TESTS_DIR. Exits 77 (meson's "skipped") when pytest, NumPy or Shapely are not
installed, or in a sanitizer build (an instrumented extension cannot be loaded into an
uninstrumented interpreter); otherwise pytest's exit status.
"""
import os
import sys

SKIP = 77


def main():
    tests_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    sanitize = os.environ.get("BZ_SANITIZE", "none")
    if sanitize not in ("", "none"):
        print("SKIP: sanitizer build (b_sanitize=%s)" % sanitize)
        return SKIP
    for mod in ("pytest", "numpy", "shapely"):
        try:
            __import__(mod)
        except ImportError:
            print("SKIP: Python module %s is not installed (apt-get install python3-%s)"
                  % (mod, mod))
            return SKIP
    import pytest
    return pytest.main([tests_dir, "-q", "-p", "no:cacheprovider", "-rs"] + sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
