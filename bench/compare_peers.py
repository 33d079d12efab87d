#!/usr/bin/python3
"""bz-zones side by side with the tools users run instead (peer_shapely.py, peer_postgis.sh).

    /usr/bin/python3 bench/compare_peers.py [--build build] [--cases a,b] [--runs N] [--quick]
                                            [--markdown FILE] [--workdir DIR]

For each case it writes the inputs (GeoJSON, untimed), then runs, alternating, bz-zones and each
peer as whole processes (start to output written), N runs each, recording wall time, CPU time
(user + sys of the child, os.wait4) and peak RSS (the child's ru_maxrss). Afterwards, untimed,
it measures each peer's accuracy with pyproj only (independent of the library under test): the
outline vertices of each side's zone away from the region's edge, the line's ends and the line
itself, each measured with an exact point-to-geodesic-line distance, against d. Prints a
Markdown table (best of the N runs; the median too with --runs >= 3). Not a test.

Cases (deterministic): synthetic wiggly ~1,100 km lines at 48N (10,000 and 100,000 vertices),
across three UTM zones and at 60N (10,000 vertices), each inside a generous region around it;
with BZ_SHARED_DATA, the DeepState front of 2026-08-22 (derived with bz-derive from the
occupied area and the oblasts, longest part) densified to 100,000 vertices, region = oblasts.
d = 5 and 10 km.
"""
import argparse
import json
import math
import os
import subprocess
import sys

import numpy as np
import pyproj
from scipy.spatial import cKDTree
from shapely.geometry import LineString, Polygon, mapping, shape
from shapely.ops import transform, unary_union

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEOD = pyproj.Geod(ellps="WGS84")
PY = "/usr/bin/python3"

# name: (start lon, lat, base azimuth, vertices, length m)
SYNTHETIC = {
    "48N-10k": (24.6, 48.4, 80.0, 10000, 1.1e6),
    "48N-100k": (24.6, 48.4, 80.0, 100000, 1.1e6),
    "3utm-10k": (32.0, 45.0, 88.0, 10000, 1.1e6),
    "60N-10k": (12.0, 59.0, 75.0, 10000, 1.1e6),
}
QUICK = ["48N-10k"]


def wiggly_line(lon, lat, azi, n, length):
    """Heading swings up to +-84 deg around azi on scales of 100 m to 30 km (periods 0.6-190
    km), so the line is wiggly at every scale but never turns back and never crosses itself."""
    step = length / (n - 1)
    xs, ys = [lon], [lat]
    s = np.arange(1, n) * step
    h = (azi + 40 * np.sin(s / 30000.0) + 22 * np.sin(s / 9100.0 + 1.0)
         + 12 * np.sin(s / 2300.0 + 2.0) + 6 * np.sin(s / 600.0 + 0.5)
         + 4 * np.sin(s / 100.0 + 1.3))
    for hi in h:
        lon, lat, _ = GEOD.fwd(lon, lat, hi, step)
        xs.append(lon)
        ys.append(lat)
    return np.array(xs), np.array(ys)


def aeqd_at(lon, lat):
    p = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84"
    return (pyproj.Transformer.from_crs("EPSG:4326", p, always_xy=True),
            pyproj.Transformer.from_crs(p, "EPSG:4326", always_xy=True))


def generous_region(xs, ys, margin=60000.0):
    """A polygon about `margin` around the line (in an azimuthal plane at its middle), with
    edges cut to at most ~5 km so that lon/lat chords stay close to it."""
    m = len(xs) // 2
    fwd, inv = aeqd_at(xs[m], ys[m])
    px, py = fwd.transform(xs[::10], ys[::10])
    ring = np.array(LineString(zip(px, py)).buffer(margin, 4).simplify(1000.0).exterior.coords)
    pts = []
    for p, q in zip(ring[:-1], ring[1:]):
        k = max(1, int(np.hypot(*(q - p)) // 5000.0) + 1)
        pts.extend(p + (q - p) * np.arange(k)[:, None] / k)
    return transform(inv.transform, Polygon(pts))


def write_line(path, xs, ys):
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
          "geometry": {"type": "LineString", "coordinates": [[float(x), float(y)]
                                                             for x, y in zip(xs, ys)]}}]}
    with open(path, "w") as f:
        json.dump(fc, f)


def write_region(path, poly):
    fc = {"type": "FeatureCollection",
          "features": [{"type": "Feature", "properties": {}, "geometry": mapping(poly)}]}
    with open(path, "w") as f:
        json.dump(fc, f)


def densify_geodesic(xs, ys, n):
    """The line with vertices along its geodesics, about n in all."""
    _, _, seg = GEOD.inv(xs[:-1], ys[:-1], xs[1:], ys[1:])
    step = float(np.sum(seg)) / (n - 1)
    ox, oy = [], []
    for i in range(len(xs) - 1):
        k = max(1, int(math.ceil(seg[i] / step)))
        ox.append(xs[i])
        oy.append(ys[i])
        if k > 1:
            for x, y in GEOD.npts(xs[i], ys[i], xs[i + 1], ys[i + 1], k - 1):
                ox.append(x)
                oy.append(y)
    ox.append(xs[-1])
    oy.append(ys[-1])
    return np.array(ox), np.array(oy), float(np.sum(seg))


def make_case(name, work, build):
    """Write the case's inputs; returns (line path, region path, description) or None."""
    lp = os.path.join(work, f"{name}_line.geojson")
    if name in SYNTHETIC:
        xs, ys = wiggly_line(*SYNTHETIC[name])
        rp = os.path.join(work, f"{name}_region.geojson")
        write_line(lp, xs, ys)
        write_region(rp, generous_region(xs, ys))
    else:
        shared = os.environ.get("BZ_SHARED_DATA")
        if not shared:
            return None
        occ = os.path.join(shared, "frontline", "deepstate_occupied_2026-08-22.geojson")
        rp = os.path.join(shared, "boundaries", "ukraine_oblasts_minregion_2020.geojson")
        derived = os.path.join(work, "deepstate_derived.geojson")
        subprocess.run([os.path.join(build, "examples", "bz-derive"), "--territory", occ,
                        "--region", rp, "-o", derived, "--overwrite"], check=True,
                       stdout=subprocess.DEVNULL)
        with open(derived) as f:
            geoms = [shape(ft["geometry"]) for ft in json.load(f)["features"]]
        parts = [g for m in geoms for g in (m.geoms if hasattr(m, "geoms") else [m])]
        best = max(parts, key=lambda g: len(g.coords))
        c = np.array(best.coords)
        xs, ys, _ = densify_geodesic(c[:, 0], c[:, 1], 100000)
        write_line(lp, xs, ys)
    _, _, seg = GEOD.inv(xs[:-1], ys[:-1], xs[1:], ys[1:])
    zones = sorted({int((x + 180) // 6) + 1 for x in (xs.min(), xs.max())})
    desc = (f"{len(xs)} vertices, {np.sum(seg) / 1000:.0f} km, lon {xs.min():.1f}..{xs.max():.1f},"
            f" lat {ys.min():.1f}..{ys.max():.1f}, UTM zones {zones[0]}..{zones[-1]}")
    return lp, rp, desc


# ------------------------------------------------------------------------------------------
# Running


# A small launcher between the harness and each measured process: the harness's own memory
# (100+ MB with the cases loaded) would otherwise count in the child's ru_maxrss, because Linux
# keeps the high-water mark of the forked copy across exec. The launcher is a fresh interpreter
# (~10 MB, below every peer's peak); it times its own child from fork to exit.
LAUNCHER = r"""
import os, sys, time
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, ru = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(f"{time.monotonic() - t0} {ru.ru_utime + ru.ru_stime} {ru.ru_maxrss} {status}")
"""


def run_child(cmd):
    """Run cmd through the launcher (stdout and stderr to files); (wall s, cpu s, peak RSS MB,
    stdout). Wall: fork to exit; CPU and RSS: the child's own rusage (os.wait4). A failing child
    raises RuntimeError with its exit code and the end of its stderr."""
    with open(OUTFILE, "w") as out, open(ERRFILE, "w") as err:
        subprocess.run([PY, "-c", LAUNCHER, STATFILE, *cmd], stdout=out, stderr=err, check=True)
    with open(STATFILE) as f:
        wall, cpu, rss, status = f.read().split()
    with open(OUTFILE) as f:
        text = f.read()
    if int(status) != 0:
        with open(ERRFILE) as f:
            msg = f.read().strip().replace("\n", " ")
        raise RuntimeError(f"exit {os.waitstatus_to_exitcode(int(status))}: {msg[-300:]}")
    return float(wall), float(cpu), int(rss) / 1024.0, text


OUTFILE = "/tmp/compare_peers_child.txt"
ERRFILE = "/tmp/compare_peers_child_err.txt"
STATFILE = "/tmp/compare_peers_child_stat.txt"


def peers(build, have_postgis):
    """name -> function (line, region, d, out) -> argv."""
    ps = {"bz-zones": lambda lp, rp, d, out: [os.path.join(build, "examples", "bz-zones"), lp,
                                              "--region", rp, "-d", f"{d}m", "-o", out,
                                              "--overwrite"],
          "shapely": lambda lp, rp, d, out: [PY, os.path.join(HERE, "peer_shapely.py"), lp, rp,
                                             "-d", str(d), "-o", out]}
    if have_postgis:
        ps["postgis"] = lambda lp, rp, d, out: [PY, os.path.join(HERE, "peer_postgis.py"), lp,
                                                rp, "-d", str(d), "-o", out]
    return ps


# ------------------------------------------------------------------------------------------
# Accuracy (pyproj + numpy only)

A_WGS, F_WGS = 6378137.0, 1 / 298.257223563
E2 = F_WGS * (2 - F_WGS)


def ecef(lon, lat):
    lo, la = np.radians(lon), np.radians(lat)
    n = A_WGS / np.sqrt(1 - E2 * np.sin(la) ** 2)
    return np.column_stack([n * np.cos(la) * np.cos(lo), n * np.cos(la) * np.sin(lo),
                            n * (1 - E2) * np.sin(la)])


class ExactDistance:
    """Exact geodesic distance from points to a line of geodesic segments: candidates from a
    3-D chord KD-tree (chord <= geodesic), then for each candidate segment the foot of the
    perpendicular found by iterating along the geodesic (pyproj's Geod.fwd / Geod.inv)."""

    def __init__(self, xs, ys):
        self.x, self.y = np.asarray(xs, float), np.asarray(ys, float)
        az, _, s = GEOD.inv(self.x[:-1], self.y[:-1], self.x[1:], self.y[1:])
        self.az, self.s = np.asarray(az), np.asarray(s)
        self.half = float(self.s.max()) / 2
        self.tree = cKDTree(ecef(self.x, self.y))

    def __call__(self, px, py, bound):
        """Distances (m) of the points; points farther than `bound` from every vertex: inf (a
        bound keeps the KD-tree search short)."""
        px, py = np.asarray(px, float), np.asarray(py, float)
        r0, i0 = self.tree.query(ecef(px, py), distance_upper_bound=bound)
        far = ~np.isfinite(r0)
        px, py, i0 = px[~far], py[~far], i0[~far]
        _, _, g0 = GEOD.inv(px, py, self.x[i0], self.y[i0])
        # every segment whose nearest point is within g0 has an end within g0 + half its length
        near = self.tree.query_ball_point(ecef(px, py), np.asarray(g0) + self.half + 1.0)
        pi, si = [], []
        last = len(self.x) - 2
        for k, vs in enumerate(near):
            segs = {j for v in vs for j in (v - 1, v) if 0 <= j <= last}
            pi.extend([k] * len(segs))
            si.extend(segs)
        pi, si = np.array(pi), np.array(si)
        lon0, lat0, az, s = self.x[si], self.y[si], self.az[si], self.s[si]
        t = np.full(len(si), 0.5)
        for it in range(12):
            qx, qy, baz = GEOD.fwd(lon0, lat0, az, t * s)
            azq = np.asarray(baz) + 180.0  # the geodesic's direction at the foot
            azp, _, dist = GEOD.inv(qx, qy, px[pi], py[pi])
            along = np.asarray(dist) * np.cos(np.radians(np.asarray(azp) - azq))
            t_new = np.clip(t + along / np.where(s > 0, s, 1.0), 0.0, 1.0)
            moved = np.abs(t_new - t) * s
            t = t_new
            if moved.max() < 1e-5:
                break
            if it == 1:  # drop the segments already clearly farther than the sample's nearest
                first = np.full(len(px), np.inf)
                np.minimum.at(first, pi, np.asarray(dist))
                keep = np.asarray(dist) <= first[pi] + 1.0
                pi, lon0, lat0, az, s, t = pi[keep], lon0[keep], lat0[keep], az[keep], \
                    s[keep], t[keep]
        qx, qy, _ = GEOD.fwd(lon0, lat0, az, t * s)
        _, _, dist = GEOD.inv(qx, qy, px[pi], py[pi])
        best = np.full(len(px), np.inf)
        np.minimum.at(best, pi, np.asarray(dist))
        out = np.full(len(far), np.inf)
        out[~far] = best
        return out


def ring_vertices(geom):
    polys = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    out = []
    for p in polys:
        if p.geom_type != "Polygon":
            continue
        for r in [p.exterior, *p.interiors]:
            out.extend(r.coords[:-1])
    return np.array(out) if out else np.zeros((0, 2))


def zones_of(path):
    """Side A's and side B's zone from a peer's GeoJSON (bz-zones: kind "zone", side
    "left"/"right"; the peers: side "A"/"B")."""
    with open(path) as f:
        feats = json.load(f)["features"]
    found = {}
    for ft in feats:
        pr = ft.get("properties") or {}
        side = pr.get("side")
        kind = pr.get("kind", "zone")
        side = {"left": "A", "right": "B"}.get(side, side)
        if kind == "zone" and side in ("A", "B"):
            found[side] = shape(ft["geometry"])
    return found.get("A"), found.get("B")


def accuracy(zone, d, exact, region_edge, ends, cap=6000):
    """Max |distance - d| (m) over the zone's outline vertices that are away from the region's
    edge (> 100 m), the line's ends (> 1.5 d) and the line itself (> 1 m); how many; and the
    most negative (short of d) and most positive (beyond d) error."""
    v = ring_vertices(zone)
    if len(v) == 0:
        return math.nan, 0
    dist_edge, _ = region_edge.tree.query(ecef(v[:, 0], v[:, 1]), distance_upper_bound=100.0)
    keep = dist_edge > 100.0
    for ex, ey in ends:
        _, _, de = GEOD.inv(v[:, 0], v[:, 1], np.full(len(v), ex), np.full(len(v), ey))
        keep &= np.asarray(de) > 1.5 * d
    v = v[keep]
    if len(v) > cap:
        v = v[np.linspace(0, len(v) - 1, cap).astype(int)]
    if len(v) == 0:
        return math.nan, 0, math.nan, math.nan
    dist = exact(v[:, 0], v[:, 1], 3 * d)
    away = dist > 1.0
    if not away.any():
        return math.nan, 0, math.nan, math.nan
    e = dist[away] - d
    return float(np.max(np.abs(e))), int(away.sum()), float(e.min()), float(e.max())


class EdgePoints:
    """The region's boundary as points every <= 20 m (lon/lat chords), in a chord KD-tree."""

    def __init__(self, region):
        pts = []
        for r in ring_lines(region):
            c = np.array(r.coords)
            for a, b in zip(c[:-1], c[1:]):
                _, _, s = GEOD.inv(a[0], a[1], b[0], b[1])
                k = max(1, int(s // 20.0))
                f = np.arange(k)[:, None] / k
                pts.append(a + f * (b - a))
        self.tree = cKDTree(ecef(*np.vstack(pts).T))


def ring_lines(g):
    polys = list(g.geoms) if hasattr(g, "geoms") else [g]
    return [r for p in polys for r in [p.exterior, *p.interiors]]


# ------------------------------------------------------------------------------------------


def fmt(x, unit=""):
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.2f}{unit}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="meson build directory")
    ap.add_argument("--cases", help="comma-separated: " + ",".join(SYNTHETIC) + ",deepstate")
    ap.add_argument("--d", default="5000,10000", help="distances in metres (default 5000,10000)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each peer per case (default 3)")
    ap.add_argument("--quick", action="store_true", help="only " + ",".join(QUICK) + ", d = 5 km")
    ap.add_argument("--no-postgis", action="store_true", help="skip the PostGIS peer")
    ap.add_argument("--markdown", help="also write the table to this file")
    ap.add_argument("--workdir", default="/tmp/compare_peers", help="inputs and outputs")
    a = ap.parse_args()

    cases = (QUICK if a.quick else a.cases.split(",") if a.cases
             else list(SYNTHETIC) + ["deepstate"])
    ds = [5000.0] if a.quick else [float(x) for x in a.d.split(",")]
    have_postgis = not a.no_postgis and \
        os.path.exists("/usr/lib/postgresql/15/bin/postgres") and \
        os.path.exists("/usr/share/postgresql/15/extension/postgis.control")
    ps = peers(a.build, have_postgis)
    os.makedirs(a.workdir, exist_ok=True)
    print(f"load average {os.getloadavg()}, {os.cpu_count()} CPUs, peers {', '.join(ps)}",
          flush=True)

    rows = []
    phase_notes = {}
    failures = {}
    for case in cases:
        made = make_case(case, a.workdir, a.build)
        if made is None:
            print(f"{case}: skipped (no BZ_SHARED_DATA)")
            continue
        lp, rp, desc = made
        print(f"\n{case}: {desc}", flush=True)
        with open(lp) as f:
            lc = np.array(json.load(f)["features"][0]["geometry"]["coordinates"])
        with open(rp) as f:
            region = unary_union([shape(ft["geometry"]) for ft in json.load(f)["features"]])
        exact = ExactDistance(lc[:, 0], lc[:, 1])
        edge = EdgePoints(region)
        ends = [tuple(lc[0]), tuple(lc[-1])]
        for d in ds:
            res = {p: [] for p in ps}
            outs = {p: os.path.join(a.workdir, f"{case}_{int(d)}_{p}.geojson") for p in ps}
            order = list(ps)
            for r in range(a.runs):
                for p in (order if r % 2 == 0 else order[::-1]):
                    try:
                        w, c, m, text = run_child(ps[p](lp, rp, d, outs[p]))
                    except RuntimeError as e:
                        failures[(p, case, d)] = str(e)
                        print(f"  d={d / 1000:g} km run {r + 1} {p:9s} FAILED {e}", flush=True)
                        continue
                    res[p].append((w, c, m))
                    ph = [ln for ln in text.splitlines() if ln.startswith("phases")]
                    if ph:
                        phase_notes[(p, case, d)] = ph[0][len("phases: "):]
                    print(f"  d={d / 1000:g} km run {r + 1} {p:9s} wall {w:6.2f} s  cpu {c:6.2f} s"
                          f"  rss {m:5.0f} MB  " + " ".join(
                              ln for ln in text.splitlines() if ln.startswith("phases")),
                          flush=True)
            best = {p: (min(x[0] for x in res[p]), min(x[1] for x in res[p]),
                        max(x[2] for x in res[p])) for p in ps if res[p]}
            for p in ps:
                if not res[p]:
                    continue
                za, zb = zones_of(outs[p])
                errs = []
                areas = []
                for z in (za, zb):
                    if z is None:
                        errs.append((math.nan, 0, math.nan, math.nan))
                        areas.append(math.nan)
                        continue
                    errs.append(accuracy(z, d, exact, edge, ends))
                    g = z
                    from shapely.geometry.polygon import orient
                    ps_ = list(g.geoms) if hasattr(g, "geoms") else [g]
                    areas.append(sum(abs(GEOD.geometry_area_perimeter(orient(q))[0])
                                     for q in ps_ if q.geom_type == "Polygon") / 1e6)
                rows.append(dict(peer=p, case=case, d=d, wall=best[p][0], cpu=best[p][1],
                                 rss=best[p][2], err=max(e[0] for e in errs),
                                 nerr=sum(e[1] for e in errs), a=areas[0], b=areas[1],
                                 lo=min(e[2] for e in errs), hi=max(e[3] for e in errs),
                                 walls=[x[0] for x in res[p]], cpus=[x[1] for x in res[p]]))
                print(f"  {p:9s} accuracy: max |error| {rows[-1]['err']:.2f} m over "
                      f"{rows[-1]['nerr']} vertices; areas A {areas[0]:.1f} B {areas[1]:.1f} km²",
                      flush=True)

    lines = ["| peer | case | d | wall s | CPU s | peak RSS MB | max error m | error range m (vertices) | "
             "area A km² | area B km² | bz/shapely wall | bz/shapely CPU |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        sh = next((x for x in rows if x["case"] == r["case"] and x["d"] == r["d"]
                   and x["peer"] == "shapely"), None)
        ratio_w = ratio_c = ""
        if r["peer"] == "bz-zones" and sh:
            ratio_w = f"**{r['wall'] / sh['wall']:.2f}**"
            ratio_c = f"**{r['cpu'] / sh['cpu']:.2f}**"
        walls = " / ".join(f"{w:.2f}" for w in r["walls"])
        cpus = " / ".join(f"{c:.2f}" for c in r["cpus"])
        lines.append(f"| {r['peer']} | {r['case']} | {r['d'] / 1000:g} km | {walls} | {cpus} | "
                     f"{r['rss']:.0f} | {fmt(r['err'])} | {fmt(r['lo'])} … {fmt(r['hi'])} ({r['nerr']}) | "
                     f"{r['a']:,.1f} | "
                     f"{r['b']:,.1f} | {ratio_w} | {ratio_c} |")
    for (p, case, d), msg in failures.items():
        lines.append(f"| {p} | {case} | {d / 1000:g} km | failed: {msg} | | | | | | | | |")
    lines.append("")
    lines.append("The peers' own phases (last run):")
    lines.append("")
    for (p, case, d), text in phase_notes.items():
        lines.append(f"- {p}, {case}, {d / 1000:g} km: {text}")
    table = "\n".join(lines)
    print("\n" + table)
    print(f"\n(wall and CPU: every run, in run order; ratios from the best run of each; "
          f"load average at the end {os.getloadavg()})")
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
