"""Hotspots: density clusters of pins (DBSCAN) in SWEREF 99 TM, the only form in which pins are shown publicly."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import Delaunay, QhullError, cKDTree

from trygg.geo.coordinates import FloatArray, to_sweref, to_wgs84

_RADIUS_STEP_M = 10


@dataclass(frozen=True, slots=True)
class Hotspot:
    """A cluster of pins: centroid ``lat``/``lon`` (WGS84 decimal degrees), ``count`` pins, and ``radius_m``, the
    distance in metres from the centroid that covers every pin, rounded up to a multiple of 10 (at least 10)."""

    lat: float
    lon: float
    count: int
    radius_m: int


def find_hotspots(lat: ArrayLike, lon: ArrayLike, *, eps_m: float = 150.0, min_points: int = 5) -> list[Hotspot]:
    """Cluster pins (decimal degrees, WGS84) by density and return the clusters, largest first.

    The clustering is DBSCAN (see :func:`dbscan_labels`) on SWEREF 99 TM coordinates: pins within ``eps_m``
    metres are neighbours, and a pin with at least ``min_points`` neighbours (itself included) is a core pin.
    Noise pins are dropped, and a cluster with fewer than ``min_points`` pins is never returned, because a single
    pin can identify a home; ``min_points`` must therefore be at least 2.

    No pins, or only noise, give ``[]``. Duplicate pins each count. Ties in size are ordered by latitude,
    then longitude. Raises ``ValueError`` for invalid coordinates (as in
    :func:`trygg.geo.coordinates.checked_lat_lon`), a non-positive ``eps_m`` or ``min_points`` below 2.
    """
    if isinstance(min_points, bool) or not isinstance(min_points, int) or min_points < 2:
        raise ValueError(f"A hotspot needs min_points of at least 2, so no single pin is shown; got {min_points!r}.")
    east, north = to_sweref(lat, lon)
    labels = dbscan_labels(east, north, eps_m=eps_m, min_points=min_points)
    clustered = labels >= 0
    if not clustered.any():
        return []
    labels, east, north = labels[clustered], east[clustered], north[clustered]
    counts = np.bincount(labels)
    centre_e = np.bincount(labels, weights=east) / counts
    centre_n = np.bincount(labels, weights=north) / counts
    radius = np.zeros(counts.size)
    np.maximum.at(radius, labels, np.hypot(east - centre_e[labels], north - centre_n[labels]))
    # A border pin can be claimed by a neighbouring cluster, leaving this one below min_points.
    big = np.flatnonzero(counts >= min_points)
    centre_lat, centre_lon = to_wgs84(centre_e[big], centre_n[big])
    hotspots = [
        Hotspot(lat=la, lon=lo, count=int(c), radius_m=_rounded_radius(r))
        for la, lo, c, r in zip(
            centre_lat.tolist(), centre_lon.tolist(), counts[big].tolist(), radius[big].tolist(), strict=True
        )
    ]
    return sorted(hotspots, key=lambda h: (-h.count, h.lat, h.lon))


def dbscan_labels(east: ArrayLike, north: ArrayLike, *, eps_m: float, min_points: int) -> NDArray[np.intp]:
    """DBSCAN cluster labels for points in metres (SWEREF 99 TM or another metric projection).

    Two points are neighbours when at most ``eps_m`` metres apart; a core point has at least ``min_points``
    neighbours, itself included (scikit-learn's convention). Core points linked by chains of neighbouring core
    points form a cluster; a non-core point within ``eps_m`` of a core point joins the cluster of its nearest core
    point; everything else is noise, labelled -1. Clusters are numbered 0, 1, … in order of their first point.

    Runs in O(n log n) time and O(n) memory however dense the points are: core points come from the
    ``min_points``-th nearest neighbour, and clusters from the Delaunay triangulation, which contains every edge of
    the minimum spanning tree and so links exactly what chains of neighbours link. Duplicate points are neighbours
    at distance 0. No points give an empty array. Raises ``ValueError`` for arrays of different length or
    non-finite values, a non-positive ``eps_m`` or a ``min_points`` below 1.
    """
    east_a = np.atleast_1d(np.asarray(east, dtype=np.float64))
    north_a = np.atleast_1d(np.asarray(north, dtype=np.float64))
    if east_a.ndim != 1 or east_a.shape != north_a.shape:
        raise ValueError("Easting and northing must be one-dimensional sequences of the same length.")
    if not (np.isfinite(east_a).all() and np.isfinite(north_a).all()):
        raise ValueError("Easting and northing must be finite numbers (no NaN or infinity).")
    if not (isinstance(eps_m, int | float) and math.isfinite(eps_m) and eps_m > 0):
        raise ValueError(f"The neighbour distance eps_m must be a positive number of metres, not {eps_m!r}.")
    if isinstance(min_points, bool) or not isinstance(min_points, int) or min_points < 1:
        raise ValueError(f"min_points must be a whole number of at least 1, not {min_points!r}.")
    labels = np.full(east_a.size, -1, dtype=np.intp)
    if east_a.size < min_points:
        return labels
    # Centring keeps Qhull's precision on 7-digit SWEREF northings.
    points = np.column_stack([east_a - east_a.mean(), north_a - north_a.mean()])
    # cKDTree's distance_upper_bound excludes the bound itself; DBSCAN includes it.
    reach = float(np.nextafter(eps_m, math.inf))
    distance, _ = cKDTree(points).query(points, k=[min_points], distance_upper_bound=reach)
    core = np.flatnonzero(np.asarray(distance)[:, 0] <= eps_m)
    if core.size == 0:
        return labels
    labels[core] = _link(points[core], eps_m)
    border = np.flatnonzero(labels < 0)
    if border.size:
        distance_to_core, nearest = cKDTree(points[core]).query(points[border], distance_upper_bound=reach)
        joined = np.isfinite(distance_to_core)
        labels[border[joined]] = labels[core[np.asarray(nearest)[joined]]]
    return _numbered_by_first_point(labels)


def _link(points: FloatArray, eps_m: float) -> NDArray[np.intp]:
    unique, inverse = np.unique(points, axis=0, return_inverse=True)
    edges = _delaunay_edges(unique)
    length = np.hypot(*(unique[edges[:, 0]] - unique[edges[:, 1]]).T)
    edges = edges[length <= eps_m]
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(len(unique), len(unique)))
    _, component = connected_components(graph, directed=False)
    return np.asarray(component, dtype=np.intp)[inverse.ravel()]


def _delaunay_edges(points: FloatArray) -> NDArray[np.intp]:
    if len(points) >= 3:
        try:
            triangulation = Delaunay(points)
        except QhullError:
            pass  # all points on one line: the chain below is their triangulation
        else:
            triangles = triangulation.simplices
            # Qhull may leave a point that is a hair from a vertex out of every triangle; tie it to that vertex.
            coplanar = triangulation.coplanar
            return np.vstack([triangles[:, [0, 1]], triangles[:, [1, 2]], triangles[:, [0, 2]], coplanar[:, [0, 2]]])
    along_line = np.lexsort((points[:, 1], points[:, 0]))
    return np.column_stack([along_line[:-1], along_line[1:]]).astype(np.intp)


def _numbered_by_first_point(labels: NDArray[np.intp]) -> NDArray[np.intp]:
    clustered = labels >= 0
    old, first = np.unique(labels[clustered], return_index=True)
    renumber = np.empty(old.size, dtype=np.intp)
    renumber[np.argsort(first)] = np.arange(old.size)
    result = labels.copy()
    result[clustered] = renumber[np.searchsorted(old, labels[clustered])]
    return result


def _rounded_radius(radius_m: float) -> int:
    return max(_RADIUS_STEP_M, _RADIUS_STEP_M * math.ceil(radius_m / _RADIUS_STEP_M))
