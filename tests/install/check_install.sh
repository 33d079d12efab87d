#!/usr/bin/env bash
# Installs the build into a scratch DESTDIR, then builds and runs a consumer program with
# nothing but pkg-config, and checks that the library exports only bz_ symbols.
# With PYTHON given (the Python package was built), imports the installed package with it.
# Usage: check_install.sh BUILD_DIR SOURCE_DIR [PYTHON]
set -euo pipefail
build=$1
src=$2
python=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

meson install -C "$build" --destdir "$tmp/root" --no-rebuild --quiet >/dev/null
pcdir=$(dirname "$(find "$tmp/root" -name bufferzone.pc | head -n 1)")
[ -n "$pcdir" ] || { echo "bufferzone.pc was not installed"; exit 1; }
libdir=$(dirname "$pcdir")
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$tmp/root"
test -f "$(find "$tmp/root" -name bufferzone.h | head -n 1)" || { echo "header not installed"; exit 1; }

# Only the documented API is exported.
lib=$(find "$libdir" -name 'libbufferzone.so.0*' -type f | head -n 1)
others=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v '^bz_' || true)
if [ -n "$others" ]; then
  echo "exported symbols without the bz_ prefix:"; echo "$others"; exit 1
fi
readelf -d "$lib" | grep -q 'SONAME.*libbufferzone.so.0' || { echo "soname is not libbufferzone.so.0"; exit 1; }

# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -pedantic -Werror -o "$tmp/consumer" "$src/tests/install/consumer.c" \
  $(pkg-config --cflags --libs bufferzone)
out=$(LD_LIBRARY_PATH="$libdir" "$tmp/consumer")
echo "$out"
# Independent value: Kyiv (30.5234E 50.4501N) - Kharkiv (36.2304E 49.9935N) on WGS84 from PROJ's
# command-line tool: echo "50.4501 30.5234 49.9935 36.2304" | geod +ellps=WGS84 -I -> 410332.2788 m.
length=$(echo "$out" | awk '{print $4}')
awk -v l="$length" 'BEGIN { d = l - 410332.28; if (d < 0) d = -d; exit !(d < 0.2) }' ||
  { echo "length $length differs from 410332.28 m"; exit 1; }
# GEOS called directly on the library's line: one part of the two points given.
parts=$(echo "$out" | awk '{print $6 " " $8}')
[ "$parts" = "1 2" ] || { echo "GEOS sees parts/points '$parts', expected '1 2'"; exit 1; }

# README's "The library in 30 lines", as printed there, built the same way. It must succeed on
# the bundled data and exit non-zero when any step fails: here the write, as the output exists
# the second time (no overwrite), and the read of an input that is missing.
awk '/^## The library in 30 lines/ { on = 1; next }
     on && /^```c/ { code = 1; next }
     code && /^```/ { exit }
     code { print }' "$src/README.md" > "$tmp/readme_example.c"
[ -s "$tmp/readme_example.c" ] || { echo "README has no C example under 'The library in 30 lines'"; exit 1; }
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -pedantic -Werror -o "$tmp/readme_example" "$tmp/readme_example.c" \
  $(pkg-config --cflags --libs bufferzone)
mkdir "$tmp/run"
cp "$src/examples/data/donbas_contact_line_2015.geojson" "$tmp/run/line.geojson"
cp "$src/examples/data/ukraine_outline.geojson" "$tmp/run/country.geojson"
# Under CI's ASan step the library is instrumented: GDAL's own exit-time allocations are not
# ours to report (tests/lsan.supp names GDAL only; ignored outside sanitizer builds).
run_example() { (cd "$tmp/run" && LSAN_OPTIONS="suppressions=$src/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
  LD_LIBRARY_PATH="$libdir" "$tmp/readme_example" 2>"$tmp/run/err"); }
out=$(run_example) || { echo "README example failed:"; cat "$tmp/run/err"; exit 1; }
echo "README example: $out"
echo "$out" | grep -q '^left gives up [0-9.]* km2, right [0-9.]* km2' ||
  { echo "README example printed '$out'"; exit 1; }
[ -s "$tmp/run/zones.geojson" ] || { echo "README example wrote no zones.geojson"; exit 1; }
if run_example >/dev/null; then
  echo "README example exits 0 although zones.geojson exists and was not replaced"; exit 1
fi
grep -q 'zones.geojson' "$tmp/run/err" ||
  { echo "README example's message does not name zones.geojson:"; cat "$tmp/run/err"; exit 1; }
rm "$tmp/run/line.geojson" "$tmp/run/zones.geojson"
if run_example >/dev/null; then
  echo "README example exits 0 although line.geojson is missing"; exit 1
fi
grep -q 'line.geojson' "$tmp/run/err" ||
  { echo "README example's message does not name line.geojson:"; cat "$tmp/run/err"; exit 1; }
echo "installed library OK"

# The Python package: installed where that Python looks (its sys.path, once DESTDIR is gone),
# and importable with the installed library.
if [ -n "$python" ]; then
  ext=$(find "$tmp/root" -name '_bufferzone*.so' | head -n 1)
  [ -n "$ext" ] || { echo "the Python extension was not installed"; exit 1; }
  pkgdir=$(dirname "$(dirname "$ext")")
  site=${pkgdir#"$tmp/root"}
  prefix=$(meson introspect "$build" --buildoptions |
           "$python" -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
  if [ "$prefix" = /usr/local ]; then
    "$python" -c 'import sys; sys.exit(sys.argv[1] not in sys.path)' "$site" ||
      { echo "the package went to $site, which $python does not search"; exit 1; }
  fi
  for f in __init__.py __init__.pyi py.typed _zones.py; do
    test -f "$pkgdir/bufferzone/$f" || { echo "bufferzone/$f not installed"; exit 1; }
  done
  (cd "$tmp" && PYTHONPATH="$pkgdir" LD_LIBRARY_PATH="$libdir" "$python" -c '
import sys, bufferzone as bz
assert bz.__file__.startswith(sys.argv[1]), bz.__file__
d = bz.distance("LINESTRING (30.5234 50.4501, 36.2304 49.9935)", 30.5234, 50.4501)
assert d == 0.0, d
print("installed Python package OK:", bz.__file__)' "$pkgdir") || { echo "importing the installed package failed"; exit 1; }
  # The QGIS plugin: where Debian's QGIS looks with --prefix=/usr (PREFIX/share/qgis/python/
  # plugins), every file of the source folder, and valid Python.
  plugdir="$tmp/root$prefix/share/qgis/python/plugins/bufferzone_processing"
  for f in "$src"/qgis/bufferzone_processing/*; do
    test -f "$plugdir/$(basename "$f")" ||
      { echo "QGIS plugin file $(basename "$f") not installed in $plugdir"; exit 1; }
  done
  "$python" -c 'import ast, glob, sys
for f in glob.glob(sys.argv[1] + "/*.py"):
    ast.parse(open(f).read(), f)' "$plugdir" || { echo "the installed QGIS plugin is not valid Python"; exit 1; }
  echo "installed QGIS plugin OK: $plugdir"
fi
