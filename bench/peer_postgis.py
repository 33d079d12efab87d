#!/usr/bin/python3
"""The PostGIS way to the same zones, in a throwaway cluster this script starts and deletes.

    /usr/bin/python3 bench/peer_postgis.py LINE REGION -d METRES -o OUT.geojson

Needs Debian 12's postgresql-15-postgis-3 (PostGIS 3.3, GEOS 3.11). The job:

  1. initdb in a temporary directory, postgres started as this script's own child, listening on
     a Unix socket in that directory only (listen_addresses = ''), CREATE EXTENSION postgis;
  2. read the line and the region (GeoJSON) with pg_read_file + ST_GeomFromGeoJSON, the
     region's polygons united (ST_Union);
  3. side A = ST_Buffer(line::geography, d, 'side=left'), side B = ... 'side=right' (PostGIS
     buffers geography in a planar projection it picks for the bounding box, _ST_BestSRID);
  4. clip: ST_Intersection(zone::geometry, region) on geometry (lon/lat);
  5. areas: ST_Area(zone::geography) (ellipsoidal);
  6. write GeoJSON from SQL (json_agg), then stop the server and delete the cluster.

Because postgres runs as this process's child (not daemonized by pg_ctl), its CPU time and peak
memory reach the harness through wait4. When run as root, the server runs as the `postgres`
user (initdb refuses root). It prints its phases and the output path. Not a test.
"""
import argparse
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

T0 = time.monotonic()
PGBIN = "/usr/lib/postgresql/15/bin"

SQL = r"""
\set ON_ERROR_STOP on
CREATE EXTENSION postgis;
\echo extension
CREATE TABLE line AS
  SELECT ST_LineMerge(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON((f -> 'geometry')::text), 4326))) g
  FROM json_array_elements(pg_read_file(:'line')::json -> 'features') f;
CREATE TABLE region AS
  SELECT ST_Union(ST_SetSRID(ST_GeomFromGeoJSON((f -> 'geometry')::text), 4326)) g
  FROM json_array_elements(pg_read_file(:'region')::json -> 'features') f;
\echo loaded
CREATE TABLE zones AS
  SELECT 'A' AS side, ST_Intersection(ST_Buffer(line.g::geography, :d, 'side=left')::geometry,
                                      region.g) AS g FROM line, region
  UNION ALL
  SELECT 'B', ST_Intersection(ST_Buffer(line.g::geography, :d, 'side=right')::geometry,
                              region.g) FROM line, region;
\echo computed
\pset format unaligned
\pset tuples_only on
\o :out
SELECT json_build_object('type', 'FeatureCollection', 'features', json_agg(
         json_build_object('type', 'Feature',
                           'properties', json_build_object('side', side,
                                                           'area_km2', ST_Area(g::geography) / 1e6),
                           'geometry', ST_AsGeoJSON(g, 9)::json) ORDER BY side))
  FROM zones;
\o
\echo written
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("line", help="the contact line (GeoJSON)")
    ap.add_argument("region", help="the region (GeoJSON polygons; united)")
    ap.add_argument("-d", type=float, required=True, help="withdrawal distance in metres")
    ap.add_argument("-o", required=True, help="output GeoJSON")
    a = ap.parse_args()
    phases = []

    def mark(name, t=[T0]):
        now = time.monotonic()
        phases.append((name, now - t[0]))
        t[0] = now

    drop = None
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")

        def drop():
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)

    tmp = tempfile.mkdtemp(prefix="bz_postgis_")
    if os.geteuid() == 0:
        os.chown(tmp, pw.pw_uid, pw.pw_gid)
    data = os.path.join(tmp, "data")
    out_tmp = os.path.join(tmp, "out.geojson")
    server = None
    try:
        subprocess.run([f"{PGBIN}/initdb", "-D", data, "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--no-sync"], check=True, preexec_fn=drop,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        mark("initdb")
        server = subprocess.Popen([f"{PGBIN}/postgres", "-D", data, "-k", tmp, "-c",
                                   "listen_addresses=", "-c", "fsync=off"], preexec_fn=drop,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            if subprocess.run([f"{PGBIN}/pg_isready", "-q", "-h", tmp]).returncode == 0:
                break
            time.sleep(0.05)
        mark("start")
        psql = subprocess.Popen([f"{PGBIN}/psql", "-X", "-q", "-h", tmp, "-U", "postgres",
                                 "-d", "postgres", "-v", f"line={os.path.abspath(a.line)}",
                                 "-v", f"region={os.path.abspath(a.region)}",
                                 "-v", f"d={a.d!r}", "-v", f"out={out_tmp}"],
                                preexec_fn=drop, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                text=True)
        psql.stdin.write(SQL)
        psql.stdin.close()
        steps = {"extension": "create extension", "loaded": "read", "computed": "buffer+clip",
                 "written": "areas+write"}
        for ln in psql.stdout:  # the \echo marks come as each step ends
            if ln.strip() in steps:
                mark(steps[ln.strip()])
        if psql.wait() != 0:
            raise RuntimeError("psql failed")
        shutil.copyfile(out_tmp, a.o)
        mark("copy out")
    finally:
        if server:
            server.terminate()  # SIGTERM: smart shutdown
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    mark("stop")
    print("phases: " + ", ".join(f"{n} {s:.3f} s" for n, s in phases))
    print(f"wrote {a.o}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
