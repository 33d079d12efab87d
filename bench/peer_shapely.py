#!/usr/bin/python3
"""The Shapely + pyproj pipeline a competent user would write instead of bz-zones.

    /usr/bin/python3 bench/peer_shapely.py LINE REGION -d METRES -o OUT.geojson [--reader R]

Debian 12's python3-shapely (1.8, GEOS 3.11) and python3-pyproj (3.4). The job, the same one
bz-zones does in its line + region form:

  1. read the line and the region (GeoJSON; the region's polygons are united);
  2. project both to the UTM zone of the line's centroid (pyproj Transformer, always_xy);
  3. side A = buffer(d, single_sided=True) (left of the line's direction), side B =
     buffer(-d, single_sided=True) (right), default resolution (16 segments per quarter circle);
  4. clip each to the region;
  5. back-project and take ellipsoidal areas with pyproj.Geod.geometry_area_perimeter;
  6. write GeoJSON (both zones with their areas).

Reading: geopandas.read_file by default, because that is what a user writing this pipeline
reaches for (it reads any GIS format, and .unary_union / .to_file come with it); its imports
(pandas, fiona) cost about a second of the process's time, which is part of what such a user
pays. `--reader json` reads and writes with the json module instead, to show that cost.

It prints its phases (seconds) and the output path; the harness (compare_peers.py) times the
whole process from outside. Not a test.
"""
import argparse
import sys
import time

T0 = time.monotonic()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("line", help="the contact line (GeoJSON, LineString or MultiLineString)")
    ap.add_argument("region", help="the region (GeoJSON polygons; united)")
    ap.add_argument("-d", type=float, required=True, help="withdrawal distance in metres")
    ap.add_argument("-o", required=True, help="output GeoJSON")
    ap.add_argument("--reader", choices=["geopandas", "json"], default="geopandas",
                    help="how to read and write GeoJSON (default geopandas)")
    a = ap.parse_args()

    phases = []

    def mark(name, t=[T0]):
        now = time.monotonic()
        phases.append((name, now - t[0]))
        t[0] = now

    import pyproj
    from shapely.geometry import mapping, shape
    from shapely.geometry.polygon import orient
    from shapely.ops import linemerge, transform, unary_union

    if a.reader == "geopandas":
        import geopandas
    else:
        import json
    mark("import")

    if a.reader == "geopandas":
        line = unary_union(list(geopandas.read_file(a.line).geometry))
        region = geopandas.read_file(a.region).geometry.unary_union
    else:
        with open(a.line) as f:
            line = unary_union([shape(ft["geometry"]) for ft in json.load(f)["features"]])
        with open(a.region) as f:
            region = unary_union([shape(ft["geometry"]) for ft in json.load(f)["features"]])
    if line.geom_type == "MultiLineString":
        line = linemerge(line)
    mark("read")

    lon = line.centroid.x
    zone = int((lon + 180.0) // 6.0) % 60 + 1
    epsg = (32600 if line.centroid.y >= 0 else 32700) + zone
    fwd = pyproj.Transformer.from_crs("EPSG:4326", f"EPSG:{epsg}", always_xy=True)
    inv = pyproj.Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True)
    pline = transform(fwd.transform, line)
    pregion = transform(fwd.transform, region)
    mark("project")

    left = pline.buffer(a.d, single_sided=True)
    right = pline.buffer(-a.d, single_sided=True)
    mark("buffer")

    zones = [left.intersection(pregion), right.intersection(pregion)]
    mark("clip")

    geod = pyproj.Geod(ellps="WGS84")
    out = []
    for z in zones:
        g = transform(inv.transform, z)
        if g.geom_type == "Polygon":
            g = orient(g)
        else:
            g = type(g)([orient(p) for p in g.geoms])
        area, _ = geod.geometry_area_perimeter(g)
        out.append((g, abs(area)))
    mark("areas")

    names = ["A", "B"]
    if a.reader == "geopandas":
        gdf = geopandas.GeoDataFrame(
            {"side": names, "area_km2": [ar / 1e6 for _, ar in out]},
            geometry=[g for g, _ in out], crs="EPSG:4326")
        gdf.to_file(a.o, driver="GeoJSON")
    else:
        fc = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"side": n, "area_km2": ar / 1e6},
             "geometry": mapping(g)} for n, (g, ar) in zip(names, out)]}
        with open(a.o, "w") as f:
            json.dump(fc, f)
    mark("write")

    print("phases: " + ", ".join(f"{n} {s:.3f} s" for n, s in phases))
    print(f"utm EPSG:{epsg}, area A {out[0][1] / 1e6:.3f} km2, area B {out[1][1] / 1e6:.3f} km2")
    print(f"wrote {a.o}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
