"""compare(): withdrawal proposals side by side, like the bz-compare tool."""

import math
import numbers

from . import _bufferzone as _c
from ._context import context, in_main_thread
from ._convert import _kind, polygon_handle
from ._errors import ArgumentError
from ._places import as_places
from ._zones import _names, _sides_inputs, parse_distance

__all__ = ["compare"]


def _parse_spec(name, spec):
    """('distances', da, db) or ('zone', polygon input)."""
    if isinstance(spec, numbers.Real) and not isinstance(spec, bool):
        return "distances", float(spec), float(spec)
    if isinstance(spec, tuple) and len(spec) == 2:
        return ("distances", parse_distance(spec[0], "proposal %s" % name),
                parse_distance(spec[1], "proposal %s" % name))
    if isinstance(spec, str):
        s = spec.strip()
        if s.startswith("zone:"):
            if not s[5:]:
                raise ArgumentError("proposal %s: zone: needs a file name" % name,
                                    _c.ERR_ARGUMENT)
            return "zone", s[5:]
        if s.startswith("sym:"):
            d = parse_distance(s[4:], "proposal %s" % name)
            return "distances", d, d
        if ":" in s:
            dist, seen = [0.0, 0.0], set()
            for tok in s.split(","):
                side, _, value = tok.partition(":")
                side = side.strip().lower()
                k = 0 if side in ("a", "left") else 1 if side in ("b", "right") else None
                if k is None or k in seen:
                    raise ArgumentError("proposal %s: unknown or repeated side %r (use a/b or "
                                        "left/right)" % (name, side), _c.ERR_ARGUMENT)
                seen.add(k)
                dist[k] = parse_distance(value, "proposal %s" % name)
            return "distances", dist[0], dist[1]
        if _kind(s) == "wkt":
            return "zone", s
        d = parse_distance(s, "proposal %s" % name)
        return "distances", d, d
    if _kind(spec) in ("shapely", "mapping"):
        return "zone", spec
    raise ArgumentError("proposal %s: expected metres, 'sym:10km', 'a:10km,b:0', "
                        "'left:5km,right:0', (distance_a, distance_b), 'zone:FILE' or a zone "
                        "polygon, got %r" % (name, spec), _c.ERR_ARGUMENT)


def _is_distance(x):
    try:
        parse_distance(x)
        return True
    except (ArgumentError, TypeError):
        return False


def _proposal_list(proposals):
    """[(name, spec, parsed)]: a dict {name: spec}, or a list of specs and (name, spec)
    pairs (a pair whose first item is itself a distance is a spec (distance_a, distance_b))."""
    if isinstance(proposals, dict):
        items = list(proposals.items())
    else:
        items = []
        for p in proposals:
            if (isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str)
                    and not _is_distance(p[0])):
                items.append(p)
            else:
                items.append((p if isinstance(p, str) else repr(p), p))
    if not items:
        raise ArgumentError("no proposal: give at least one", _c.ERR_ARGUMENT)
    return [(str(n), spec, _parse_spec(str(n), spec)) for n, spec in items]


def compare(line=None, *, proposals, territory=None, region=None, places=None, names=None,
            layer=None, where=None, tolerance=1000.0, threads=None):
    """Withdrawal proposals along one contact line, side by side (as ``bz-compare``): the
    area each side gives up (km², ellipsoidal), the buffer zone, the ratio between the sides
    and, with `places`, how many settlements and people lie inside each side's zone.

    Args:
        line, territory, region, layer, where, tolerance: the sides, as in :func:`zones`
            (with a territory and no line, the line is derived once for all proposals).
        proposals: a dict {name: spec} or a list of specs (each named by its text) or of
            (name, spec) pairs. A spec is one of: a distance for both sides (metres or
            "10km"), "sym:10km", a pair (distance_a, distance_b), "a:10km,b:0" /
            "left:5km,right:0" (a missing side withdraws 0), "zone:FILE" or a zone polygon
            (Shapely, GeoJSON dict, WKT): an explicit zone split between the sides.
        places: settlements (path, GeoDataFrame of points or :class:`Places`).
        names: names of sides A and B for the columns side_a/side_b (default ("A", "B") with
            a territory, else ("left", "right")).
        threads: worker threads per computation (None = one per CPU).

    Returns:
        pandas.DataFrame indexed by proposal, with the columns of ``bz-compare --csv``: spec,
        side_a, side_b, distance_a_m, distance_b_m (NaN for zones), zone_a_km2, zone_b_km2,
        buffer_zone_km2, ratio_a_b (NaN when side B gives up nothing) and, with places,
        places_a, population_a, places_b, population_b. ``df.attrs["contact_line_km"]`` is
        the contact line's length.

    Raises:
        ArgumentError for a bad spec (the message names the proposal), and everything
        :func:`zones` raises.
    """
    import pandas as pd
    plist = _proposal_list(proposals)
    nm = _names(names, ("A", "B") if territory is not None else ("left", "right"))
    ctx = context(threads)
    lh, rh, th = _sides_inputs(ctx, line, territory, region, layer, where)
    if lh is None:
        lh = _c.derive(ctx, th, rh, float(tolerance), 0.0)
    pl = None if places is None else as_places(places)
    rows, contact_km = [], math.nan
    for name, spec, parsed in plist:
        if parsed[0] == "zone":
            zh = polygon_handle(ctx, parsed[1], "zone of proposal '%s'" % name)
            z = _c.zones_from_polygon(ctx, lh, rh, th, zh)
            da = db = math.nan
        else:
            _, da, db = parsed
            z = _c.zones_compute(ctx, lh, rh, th, da, db, 0.0, True, 0.0, float(tolerance),
                                 None, in_main_thread())
        m = z.measures()
        contact_km = m["contact_length_m"] / 1e3 if math.isnan(contact_km) else contact_km
        za, zb = m["area_m2"][0] / 1e6, m["area_m2"][1] / 1e6
        row = {"proposal": name, "spec": spec if isinstance(spec, str) else repr(spec),
               "side_a": nm[0], "side_b": nm[1], "distance_a_m": da, "distance_b_m": db,
               "zone_a_km2": za, "zone_b_km2": zb, "buffer_zone_km2": m["buffer_area_m2"] / 1e6,
               "ratio_a_b": za / zb if zb > 0 else math.nan}
        if pl is not None:
            for s, key in ((0, "a"), (1, "b")):
                count, pop, _ = pl._h.within(ctx, z.geometry(ctx, "zone", s))
                row["places_" + key] = count
                row["population_" + key] = pop
        rows.append(row)
    df = pd.DataFrame(rows).set_index("proposal")
    df.attrs["contact_line_km"] = contact_km
    return df
