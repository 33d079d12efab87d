"""geodesy.py — independent WGS84 truth for the tool tests, in closed form or by quadrature,
written from the textbook formulas (not from the library):

- meridian_arc(lat): distance along a meridian from the equator (numerical integration of
  the meridian radius of curvature; a meridian is a geodesic);
- lat_at_meridian_distance(d): its inverse (Newton);
- band_area(lat0, lat1, dlon): ellipsoidal area between two parallels over a longitude span,
  from the authalic-latitude function q (Snyder, Map Projections, eq. 3-12);
- vincenty(lon1, lat1, lon2, lat2): geodesic distance (Vincenty 1975), for line lengths.
"""
import math

A = 6378137.0
F = 1.0 / 298.257223563
B = A * (1.0 - F)
E2 = F * (2.0 - F)
E = math.sqrt(E2)


def meridian_arc(lat_deg, steps=2000):
    phi = math.radians(lat_deg)
    h = phi / steps
    def m(t):
        return A * (1.0 - E2) / (1.0 - E2 * math.sin(t) ** 2) ** 1.5
    s = m(0.0) + m(phi)
    for i in range(1, steps):
        s += (4 if i % 2 else 2) * m(i * h)
    return s * h / 3.0


def lat_at_meridian_distance(d):
    lat = math.degrees(d / A)
    for _ in range(20):
        phi = math.radians(lat)
        m = A * (1.0 - E2) / (1.0 - E2 * math.sin(phi) ** 2) ** 1.5
        lat -= math.degrees((meridian_arc(lat) - d) / m)
    return lat


def _q(phi):
    s = math.sin(phi)
    return (1.0 - E2) * (s / (1.0 - E2 * s * s) - (1.0 / (2.0 * E)) * math.log((1.0 - E * s) / (1.0 + E * s)))


def band_area(lat0_deg, lat1_deg, dlon_deg):
    """Area (m²) between parallels lat0 and lat1 over dlon degrees of longitude."""
    return 0.5 * A * A * abs(_q(math.radians(lat1_deg)) - _q(math.radians(lat0_deg))) * math.radians(dlon_deg)


def parallel_length(lat_deg, dlon_deg):
    phi = math.radians(lat_deg)
    n = A / math.sqrt(1.0 - E2 * math.sin(phi) ** 2)
    return n * math.cos(phi) * math.radians(dlon_deg)


def vincenty(lon1, lat1, lon2, lat2):
    """Geodesic distance in metres (Vincenty's inverse; sub-millimetre for non-antipodal points)."""
    if lon1 == lon2 and lat1 == lat2:
        return 0.0
    L = math.radians(lon2 - lon1)
    U1 = math.atan((1 - F) * math.tan(math.radians(lat1)))
    U2 = math.atan((1 - F) * math.tan(math.radians(lat2)))
    sinU1, cosU1, sinU2, cosU2 = math.sin(U1), math.cos(U1), math.sin(U2), math.cos(U2)
    lam = L
    for _ in range(200):
        sinl, cosl = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cosU2 * sinl, cosU1 * sinU2 - sinU1 * cosU2 * cosl)
        if sin_sigma == 0:
            return 0.0
        cos_sigma = sinU1 * sinU2 + cosU1 * cosU2 * cosl
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cosU1 * cosU2 * sinl / sin_sigma
        cos2_alpha = 1 - sin_alpha ** 2
        cos2sm = cos_sigma - 2 * sinU1 * sinU2 / cos2_alpha if cos2_alpha else 0.0
        C = F / 16 * cos2_alpha * (4 + F * (4 - 3 * cos2_alpha))
        prev = lam
        lam = L + (1 - C) * F * sin_alpha * (
            sigma + C * sin_sigma * (cos2sm + C * cos_sigma * (-1 + 2 * cos2sm ** 2)))
        if abs(lam - prev) < 1e-13:
            break
    u2 = cos2_alpha * (A * A - B * B) / (B * B)
    Ak = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
    Bk = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
    dsigma = Bk * sin_sigma * (cos2sm + Bk / 4 * (cos_sigma * (-1 + 2 * cos2sm ** 2) - Bk / 6 * cos2sm * (-3 + 4 * sin_sigma ** 2) * (-3 + 4 * cos2sm ** 2)))
    return B * Ak * (sigma - dsigma)


def line_length(coords):
    return sum(vincenty(a[0], a[1], b[0], b[1]) for a, b in zip(coords, coords[1:]))
