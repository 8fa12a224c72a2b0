#!/usr/bin/env python3
"""Real clients that nobody here wrote read a running landbank server.

Usage: check.py BASE_URL   (e.g. http://127.0.0.1:8080)

Checks, each against the server's own answers:
1. pyogrio (GDAL's OAPIF driver, the GDAL bundled in the wheel) reads every collection completely through pages of
   50, then parcels within a bbox, then parcels with a `where` attribute filter that GDAL must send as CQL2 `filter=`.
2. Debian's `ogr2ogr` copies every collection into a GeoPackage, and parcels with `-where` and with `-spat`.
3. OWSLib lists the collections, a page of parcels, and one parcel by id.
4. mapbox-vector-tile decodes the server's vector tiles (all layers and the parcels collection) at z14 and z12:
   the parcels in a tile are the ones the items endpoint finds in the tile's box, and their geometries are valid,
   wound as MVT 2.1 says, and lie where the parcels are.

GDAL and ogr2ogr read the server through a small recording proxy on 127.0.0.1: the server builds its links from the
request's `Host`, so every request of a client (next pages included) goes through the proxy, which shows which
query parameters (`filter=`, `bbox=`, `limit=`) really reached the server.

Prints what it checked; exits 1 naming every failed check.
"""

import http.client
import http.server
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import traceback
import urllib.error
import urllib.parse
import urllib.request
from importlib.metadata import version

COLLECTIONS = ["zones", "parcels", "buildings", "units", "projects", "pois"]
PAGE_SIZE = 50
# The bbox test reads the south-west quarter of the parcels' extent (about 100 parcels: two pages).
BBOX_PART = (0.0, 0.0, 0.5, 0.5)
WHERE = "availability = 'available'"
CQL2_WHERE = "availability='available'"

# The server's tiles (crates/landbank-http/src/tile/mercator.rs and mvt.rs): 4096 units a side, 64 units of buffer,
# polygons simplified by 4 units and left out when smaller than 16 square units.
TILE_EXTENT = 4096
TILE_BUFFER = 64
TILE_MIN_AREA = 16.0
# How far (tile units) a decoded outline may stray from the parcel: the simplification tolerance (4) plus snapping to
# the integer grid (at most half a unit's diagonal) plus slack for the straight-in-lon/lat edges becoming slightly
# curved in Mercator.
TILE_TOLERANCE = 6.0


class CheckFailed(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise CheckFailed(message)


def ok(message):
    print(f"  ok: {message}", flush=True)


# --- the server's own answers ---------------------------------------------------------------------------------------


def get(url, accept="application/json"):
    """(status, content type, body) of a GET."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def get_json(url):
    status, _, body = get(url, "application/geo+json, application/json")
    expect(status == 200, f"GET {url} answered {status}: {body[:500]!r}")
    return json.loads(body)


def items_url(base, collection, **params):
    return f"{base}/collections/{collection}/items?{urllib.parse.urlencode(params)}"


def number_matched(base, collection, **params):
    url = items_url(base, collection, limit=1, **params)
    doc = get_json(url)
    expect("numberMatched" in doc, f"GET {url} has no numberMatched")
    return doc["numberMatched"]


def all_items(base, collection, **params):
    """Every feature of a query, following the server's `next` links."""
    url = items_url(base, collection, limit=1000, **params)
    features = []
    for _ in range(10_000):
        doc = get_json(url)
        features.extend(doc["features"])
        nxt = [l["href"] for l in doc.get("links", []) if l.get("rel") == "next"]
        if not nxt:
            return features
        url = nxt[0]
    raise CheckFailed(f"{collection}: more than 10000 pages")


def bbox_param(box):
    return ",".join(repr(float(v)) for v in box)


# --- the recording proxy --------------------------------------------------------------------------------------------

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection", "upgrade", "te"}


def serve_proxy(upstream, log_path):
    """The proxy itself (run in its own process, `check.py --proxy UPSTREAM LOG`: pyogrio holds Python's GIL while
    GDAL reads, so a proxy thread in the reading process would never answer). Prints its port, then appends every
    request target to LOG, one a line."""
    parts = urllib.parse.urlsplit(upstream)
    upstream_host, upstream_port = parts.hostname, parts.port or 80
    lock = threading.Lock()
    log = open(log_path, "a", encoding="utf-8")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def forward(self, send_body):
            with lock:
                log.write(self.path + "\n")
                log.flush()
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            connection = http.client.HTTPConnection(upstream_host, upstream_port, timeout=120)
            try:
                connection.request(self.command, self.path, headers=headers)
                response = connection.getresponse()
                body = response.read()
            finally:
                connection.close()
            self.send_response(response.status, response.reason)
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def do_GET(self):
            self.forward(True)

        def do_HEAD(self):
            self.forward(False)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


class RecordingProxy:
    """Passes requests to the server unchanged (the `Host` header too, so the server's links point back at the proxy)
    and records their targets."""

    def __init__(self, upstream, workdir):
        self.log = os.path.join(workdir, "proxy.log")
        open(self.log, "w").close()
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--proxy", upstream, self.log],
            stdout=subprocess.PIPE,
            text=True,
        )
        port = self.process.stdout.readline().strip()
        if not port.isdigit():
            self.process.kill()
            raise RuntimeError(f"the recording proxy did not start: {port!r}")
        self.base = f"http://127.0.0.1:{port}"

    def requests(self):
        with open(self.log, encoding="utf-8") as f:
            return f.read().splitlines()

    def mark(self):
        return len(self.requests())

    def since(self, mark):
        return self.requests()[mark:]

    def close(self):
        self.process.kill()
        self.process.wait()


def query_of(target):
    """(path, {name: [values]}) of a recorded request target."""
    parts = urllib.parse.urlsplit(target)
    return parts.path, urllib.parse.parse_qs(parts.query)


def item_requests(targets, collection):
    return [query_of(t)[1] for t in targets if query_of(t)[0] == f"/collections/{collection}/items"]


def show(targets, limit=12):
    shown = "\n      ".join(urllib.parse.unquote(t) for t in targets[:limit])
    more = f"\n      … {len(targets) - limit} more" if len(targets) > limit else ""
    return f"\n      {shown}{more}"


def park_bbox(base):
    doc = get_json(f"{base}/collections/parcels")
    return doc["extent"]["spatial"]["bbox"][0][:4]


def sub_box(box, fx0, fy0, fx1, fy1):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    return [x0 + fx0 * w, y0 + fy0 * h, x0 + fx1 * w, y0 + fy1 * h]


# --- 1. pyogrio -----------------------------------------------------------------------------------------------------


def check_pyogrio(base, proxy):
    import pyogrio
    import pyogrio.raw

    print(f"pyogrio {pyogrio.__version__} with GDAL {pyogrio.__gdal_version_string__} (OAPIF driver)")
    source = f"OAPIF:{proxy.base}"

    def read(layer, **kwargs):
        meta, fids, geometry, fields = pyogrio.raw.read(source, layer=layer, return_fids=True, PAGE_SIZE=PAGE_SIZE, **kwargs)
        names = list(meta["fields"])
        return meta, fids, geometry, dict(zip(names, fields))

    # Every collection, completely, page by page.
    for collection in COLLECTIONS:
        expected = number_matched(base, collection)
        served = all_items(base, collection)
        expect(len(served) == expected, f"{collection}: numberMatched {expected} but {len(served)} features by next links")
        mark = proxy.mark()
        _, fids, geometry, fields = read(collection)
        targets = proxy.since(mark)
        expect(
            len(fids) == expected,
            f"pyogrio read {len(fids)} {collection} through OAPIF, the server's numberMatched is {expected}",
        )
        # GDAL's OAPIF driver makes integer feature ids the OGR FIDs.
        ids = sorted(int(v) for v in fids)
        served_ids = sorted(int(f["id"]) for f in served)
        expect(ids == served_ids, f"pyogrio's {collection} ids differ from the server's: {sorted(set(ids) ^ set(served_ids))[:20]}")
        with_geometry = sum(1 for f in served if f.get("geometry") is not None)
        read_geometry = 0 if geometry is None else sum(1 for g in geometry if g is not None)
        expect(
            read_geometry == with_geometry,
            f"pyogrio read {read_geometry} {collection} geometries, the server has {with_geometry}",
        )
        # GDAL may first probe a few items for the schema; the data comes in pages of PAGE_SIZE.
        pages = [p for p in item_requests(targets, collection) if p.get("limit") == [str(PAGE_SIZE)]]
        needed = math.ceil(expected / PAGE_SIZE)
        expect(
            len(pages) >= needed,
            f"pyogrio fetched {len(pages)} pages of {collection} with limit={PAGE_SIZE}, expected at least {needed}:"
            + show(targets),
        )
        ok(f"pyogrio read all {expected} {collection} ({read_geometry} geometries) in {len(pages)} pages of {PAGE_SIZE}")

    # A bbox, pushed to the server.
    box = sub_box(park_bbox(base), *BBOX_PART)
    expected = number_matched(base, "parcels", bbox=bbox_param(box))
    total = number_matched(base, "parcels")
    expect(0 < expected < total, f"the test bbox {box} should hold some but not all parcels; it holds {expected} of {total}")
    mark = proxy.mark()
    _, fids, _, fields = read("parcels", bbox=tuple(box))
    targets = proxy.since(mark)
    expect(
        len(fids) == expected,
        f"pyogrio read {len(fids)} parcels with bbox={box}; the server's numberMatched for "
        f"/collections/parcels/items?bbox={bbox_param(box)} is {expected}",
    )
    expected_ids = sorted(int(f["id"]) for f in all_items(base, "parcels", bbox=bbox_param(box)))
    expect(sorted(int(v) for v in fids) == expected_ids, "pyogrio's parcels in the bbox are not the server's")
    pages = [p for p in item_requests(targets, "parcels") if "bbox" in p]
    expect(
        len(pages) >= math.ceil(expected / PAGE_SIZE),
        f"pyogrio did not send bbox= to the server on every page of {PAGE_SIZE}:" + show(targets),
    )
    ok(
        f"pyogrio read the {expected} of {total} parcels in bbox {[round(v, 5) for v in box]}, sent as bbox= "
        f"({len(pages)} pages)"
    )

    # A `where` filter, which GDAL must translate to CQL2 and send as filter=.
    expected = number_matched(base, "parcels", filter=CQL2_WHERE)
    expect(0 < expected < total, f"the test filter should match some but not all parcels; it matches {expected} of {total}")
    mark = proxy.mark()
    _, fids, _, fields = read("parcels", where=WHERE)
    targets = proxy.since(mark)
    expect(
        len(fids) == expected,
        f"pyogrio read {len(fids)} parcels with where {WHERE!r}; the server's numberMatched for filter={CQL2_WHERE} "
        f"is {expected}",
    )
    expect(all(v == "available" for v in fields["availability"]), "pyogrio's filtered parcels are not all available")
    filters = [p["filter"][0] for p in item_requests(targets, "parcels") if "filter" in p]
    expect(
        len(filters) >= math.ceil(expected / PAGE_SIZE),
        f"pyogrio (GDAL) did not send where {WHERE!r} to the server as filter= on every page:" + show(targets),
    )
    expect(
        all("availability" in f and "available" in f for f in filters),
        f"the filter GDAL sent is not the where clause: {filters}",
    )
    ok(f"pyogrio read the {expected} available parcels; GDAL sent filter={filters[0]!r} to the server")


# --- 2. ogr2ogr -----------------------------------------------------------------------------------------------------


def check_ogr2ogr(base, proxy, workdir):
    ogr2ogr = shutil.which("ogr2ogr")
    if ogr2ogr is None:
        expect(not os.environ.get("CI"), "ogr2ogr is required under CI; install gdal-bin")
        print("note: ogr2ogr not found; install gdal-bin to run the ogr2ogr checks (skipped)")
        return
    version = subprocess.run([ogr2ogr, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"ogr2ogr: {version}")
    source = f"OAPIF:{proxy.base}"

    def run(out, *args):
        mark = proxy.mark()
        command = [ogr2ogr, "-f", "GPKG", out, source, "-oo", f"PAGE_SIZE={PAGE_SIZE}", *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        expect(done.returncode == 0, f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}\n{done.stdout}")
        return proxy.since(mark)

    def count(gpkg, table):
        with sqlite3.connect(gpkg) as db:
            tables = {r[0] for r in db.execute("select table_name from gpkg_contents")}
            expect(table in tables, f"{gpkg} has no table {table}: {sorted(tables)}")
            return db.execute(f'select count(*) from "{table}"').fetchone()[0]

    everything = os.path.join(workdir, "all.gpkg")
    targets = run(everything)
    for collection in COLLECTIONS:
        expected = number_matched(base, collection)
        copied = count(everything, collection)
        expect(copied == expected, f"ogr2ogr copied {copied} {collection}; the server's numberMatched is {expected}")
        pages = [p for p in item_requests(targets, collection) if p.get("limit") == [str(PAGE_SIZE)]]
        expect(
            len(pages) >= math.ceil(expected / PAGE_SIZE),
            f"ogr2ogr fetched only {len(pages)} pages of {collection}:" + show(targets),
        )
        ok(f"ogr2ogr copied all {expected} {collection} into a GeoPackage ({len(pages)} pages)")

    box = sub_box(park_bbox(base), *BBOX_PART)
    expected = number_matched(base, "parcels", bbox=bbox_param(box))
    spat = os.path.join(workdir, "spat.gpkg")
    targets = run(spat, "parcels", "-spat", *(repr(v) for v in box))
    copied = count(spat, "parcels")
    expect(copied == expected, f"ogr2ogr -spat {box} copied {copied} parcels; the server's numberMatched is {expected}")
    pages = [p for p in item_requests(targets, "parcels") if "bbox" in p]
    expect(len(pages) >= math.ceil(expected / PAGE_SIZE), "ogr2ogr -spat did not send bbox=:" + show(targets))
    ok(f"ogr2ogr -spat copied the {expected} parcels in the bbox, sent as bbox= ({len(pages)} pages)")

    expected = number_matched(base, "parcels", filter=CQL2_WHERE)
    where = os.path.join(workdir, "where.gpkg")
    targets = run(where, "parcels", "-where", WHERE)
    copied = count(where, "parcels")
    expect(copied == expected, f"ogr2ogr -where {WHERE!r} copied {copied} parcels; the server's numberMatched is {expected}")
    # Debian 12's GDAL 3.6 translates -where to CQL2 too.
    filters = [p["filter"][0] for p in item_requests(targets, "parcels") if "filter" in p]
    expect(filters, f"ogr2ogr -where {WHERE!r} was not sent to the server as filter=:" + show(targets))
    ok(f"ogr2ogr -where copied the {expected} available parcels; GDAL sent filter={filters[0]!r}")


# --- 3. OWSLib ------------------------------------------------------------------------------------------------------


def check_owslib(base):
    import owslib
    from owslib.ogcapi.features import Features

    print(f"OWSLib {owslib.__version__}")
    api = Features(base)
    ids = [c["id"] for c in api.collections()["collections"]]
    expect(set(COLLECTIONS) <= set(ids), f"OWSLib lists collections {ids}, missing {sorted(set(COLLECTIONS) - set(ids))}")
    ok(f"OWSLib lists the collections {ids}")

    total = number_matched(base, "parcels")
    page = api.collection_items("parcels", limit=10)
    expect(len(page["features"]) == 10, f"OWSLib got {len(page['features'])} parcels with limit=10")
    expect(page.get("numberMatched") == total, f"OWSLib's numberMatched {page.get('numberMatched')} is not {total}")
    ok(f"OWSLib reads a page of 10 parcels, numberMatched {total}")

    first = page["features"][0]
    item = api.collection_item("parcels", str(first["id"]))
    expect(str(item.get("id")) == str(first["id"]), f"OWSLib asked for parcel {first['id']} and got {item.get('id')}")
    expect(item.get("properties") == first.get("properties"), f"parcel {first['id']} alone differs from the page's")
    expect(item.get("geometry", {}).get("type") in ("Polygon", "MultiPolygon"), "parcel has no polygon geometry")
    ok(f"OWSLib reads parcel {first['id']} by id")


# --- 4. vector tiles ------------------------------------------------------------------------------------------------


def lonlat_to_world(lon, lat):
    """Web Mercator square coordinates, 0..1 from the north-west corner."""
    lat = max(min(lat, 85.0511287798066), -85.0511287798066)
    s = math.sin(math.radians(lat))
    return (lon + 180.0) / 360.0, 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)


def world_to_lonlat(wx, wy):
    return wx * 360.0 - 180.0, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * wy))))


def tile_of(lon, lat, z):
    wx, wy = lonlat_to_world(lon, lat)
    n = 2**z
    return int(wx * n), int(wy * n)


def tile_box(z, x, y, buffer=0):
    """The lon/lat box of tile z/x/y grown by `buffer` tile units."""
    n = 2**z
    m = buffer / TILE_EXTENT
    west, north = world_to_lonlat((x - m) / n, (y - m) / n)
    east, south = world_to_lonlat((x + 1 + m) / n, (y + 1 + m) / n)
    return [west, south, east, north]


def check_tiles(base):
    import mapbox_vector_tile
    import numpy
    import shapely
    from shapely.geometry import box as shapely_box
    from shapely.geometry import shape

    print(f"mapbox-vector-tile {version('mapbox-vector-tile')} with shapely {shapely.__version__}")
    park = park_bbox(base)
    lon, lat = (park[0] + park[2]) / 2, (park[1] + park[3]) / 2

    # A tile far from the park: nothing in it.
    status, _, body = get(f"{base}/tiles/WebMercatorQuad/14/0/0", "*/*")
    expect(status == 204 and not body, f"GET /tiles/WebMercatorQuad/14/0/0 (empty ocean) answered {status}, {len(body)} bytes")
    ok("a tile far from the park, /tiles/WebMercatorQuad/14/0/0, answers 204 No Content")

    def decode(path):
        status, content_type, body = get(f"{base}{path}", "application/vnd.mapbox-vector-tile")
        expect(status == 200, f"GET {path} answered {status}: {body[:300]!r}")
        expect(
            content_type.startswith("application/vnd.mapbox-vector-tile"), f"GET {path} has Content-Type {content_type}"
        )
        try:
            return mapbox_vector_tile.decode(body, default_options={"y_coord_down": True})
        except Exception as e:
            raise CheckFailed(f"mapbox-vector-tile cannot decode {path}: {e!r}") from e

    for z in (14, 12):
        x, y = tile_of(lon, lat, z)
        n = 2**z
        collection_path = f"/collections/parcels/tiles/WebMercatorQuad/{z}/{y}/{x}"
        dataset_path = f"/tiles/WebMercatorQuad/{z}/{y}/{x}"
        one = decode(collection_path)
        expect(list(one) == ["parcels"], f"{collection_path} has layers {list(one)}, not just parcels")
        layer = one["parcels"]
        expect(layer["extent"] == TILE_EXTENT, f"{collection_path}: layer extent {layer['extent']}")
        expect(layer["version"] == 2, f"{collection_path}: layer version {layer['version']}")
        features = layer["features"]
        tile_ids = [f["id"] for f in features]
        expect(all(isinstance(i, int) for i in tile_ids), f"{collection_path}: features without an id")
        expect(len(set(tile_ids)) == len(tile_ids), f"{collection_path}: repeated feature ids")

        exact = tile_box(z, x, y)
        buffered = tile_box(z, x, y, TILE_BUFFER)
        in_exact = {int(f["id"]): f for f in all_items(base, "parcels", bbox=bbox_param(exact))}
        in_buffered = {int(f["id"]): f for f in all_items(base, "parcels", bbox=bbox_param(buffered))}

        def to_tile(lo, la, _z=None):
            wx, wy = lonlat_to_world(lo, la)
            return (wx * n - x) * TILE_EXTENT, (wy * n - y) * TILE_EXTENT

        def to_tile_geometry(geometry):
            return shapely.transform(geometry, lambda c: numpy.array([to_tile(a, b) for a, b in c]).reshape(-1, 2))

        # Parcels too small to draw at this zoom (the server leaves them out) are not expected.
        too_small = {i for i, f in in_exact.items() if to_tile_geometry(shape(f["geometry"])).area < TILE_MIN_AREA}
        missing = sorted(set(in_exact) - too_small - set(tile_ids))
        extra = sorted(set(tile_ids) - set(in_buffered))
        expect(
            not missing,
            f"{collection_path} lacks parcels {missing[:20]} that GET /collections/parcels/items?bbox={bbox_param(exact)} "
            f"finds in the tile's own bounds",
        )
        expect(
            not extra,
            f"{collection_path} has parcels {extra[:20]} that GET /collections/parcels/items?bbox={bbox_param(buffered)} "
            f"does not find in the tile's buffered bounds",
        )
        expect(len(in_exact) > 0, f"{collection_path} covers no parcel; pick another tile")

        clip = shapely_box(-TILE_BUFFER, -TILE_BUFFER, TILE_EXTENT + TILE_BUFFER, TILE_EXTENT + TILE_BUFFER)
        clipped = 0
        worst = 0.0
        for feature in features:
            pid = feature["id"]
            where = f"{collection_path} parcel {pid}"
            geometry = shape(feature["geometry"])
            expect(geometry.geom_type in ("Polygon", "MultiPolygon"), f"{where} is a {geometry.geom_type}")
            expect(geometry.is_valid, f"{where} is not valid: {shapely.is_valid_reason(geometry)}")
            expect(not geometry.is_empty and geometry.area > 0, f"{where} is empty")
            for polygon in getattr(geometry, "geoms", [geometry]):
                # MVT 2.1 §4.3.4.4: in tile coordinates (y down), exteriors have a positive surveyor's area.
                expect(_surveyor(polygon.exterior.coords) > 0, f"{where}: exterior ring wound the wrong way")
                for hole in polygon.interiors:
                    expect(_surveyor(hole.coords) < 0, f"{where}: interior ring wound the wrong way")
            expect(geometry.within(clip.buffer(1)), f"{where} reaches beyond the tile's buffer")
            served = in_buffered[pid]
            expect(
                str(feature["properties"].get("parcel_code")) == str(served["properties"].get("parcel_code")),
                f"{where}: parcel_code {feature['properties'].get('parcel_code')!r} in the tile, "
                f"{served['properties'].get('parcel_code')!r} from the items endpoint",
            )
            expected = to_tile_geometry(shape(served["geometry"])).intersection(clip)
            distance = geometry.hausdorff_distance(expected)
            worst = max(worst, distance)
            expect(
                distance <= TILE_TOLERANCE,
                f"{where} lies {distance:.1f} tile units from the parcel's outline (clipped to the buffered tile); "
                f"at most {TILE_TOLERANCE} expected",
            )
            # And back in lon/lat: the decoded outline lies on the parcel.
            back = shapely.transform(
                geometry,
                lambda c: numpy.array(
                    [world_to_lonlat((a / TILE_EXTENT + x) / n, (b / TILE_EXTENT + y) / n) for a, b in c]
                ).reshape(-1, 2),
            )
            expect(back.intersects(shape(served["geometry"])), f"{where}, back in lon/lat, misses the parcel")
            if not expected.equals(to_tile_geometry(shape(served["geometry"]))):
                clipped += 1
        metres = worst * 40075016.686 * math.cos(math.radians(lat)) / n / TILE_EXTENT
        ok(
            f"tile {z}/{y}/{x}: mapbox-vector-tile decodes {len(features)} parcels, exactly those the items endpoint "
            f"finds in the tile ({len(in_exact)} in its bounds, {len(in_buffered)} in its buffer, "
            f"{len(too_small)} too small to draw); {clipped} clipped; all valid, MVT 2.1 winding, within "
            f"{worst:.1f} tile units (~{metres:.1f} m) of the parcels"
        )

        # The dataset tile holds the same parcels layer beside the other layers.
        everything = decode(dataset_path)
        expect(
            set(everything) <= {"zones", "parcels", "buildings", "units", "pois"} and "parcels" in everything,
            f"{dataset_path} has layers {list(everything)}",
        )
        same = {f["id"]: f["geometry"] for f in everything["parcels"]["features"]}
        expect(
            same == {f["id"]: f["geometry"] for f in features},
            f"the parcels layer of {dataset_path} differs from {collection_path}",
        )
        for name, other in everything.items():
            for feature in other["features"]:
                geometry = shape(feature["geometry"])
                expect(geometry.is_valid, f"{dataset_path} {name} {feature['id']} is not valid")
        layers_summary = ", ".join(f"{k}: {len(v['features'])}" for k, v in everything.items())
        ok(
            f"tile {z}/{y}/{x} of all layers decodes ({layers_summary}); "
            "its parcels layer equals the collection's tile"
        )


def _surveyor(coords):
    coords = list(coords)
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(coords, coords[1:]))


# --- main -----------------------------------------------------------------------------------------------------------


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--proxy":
        serve_proxy(sys.argv[2], sys.argv[3])
        return 0
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    base = sys.argv[1].rstrip("/")
    print(f"checking {base} with real clients")
    failures = []
    with tempfile.TemporaryDirectory(prefix="landbank-clients-") as workdir:
        proxy = RecordingProxy(base, workdir)
        try:
            for name, run in [
                ("pyogrio", lambda: check_pyogrio(base, proxy)),
                ("ogr2ogr", lambda: check_ogr2ogr(base, proxy, workdir)),
                ("OWSLib", lambda: check_owslib(base)),
                ("vector tiles", lambda: check_tiles(base)),
            ]:
                print(f"\n== {name}", flush=True)
                try:
                    run()
                except CheckFailed as e:
                    print(f"  FAILED: {e}", flush=True)
                    failures.append(f"{name}: {e}")
                except Exception:
                    trace = traceback.format_exc()
                    print(f"  FAILED with an exception:\n{trace}", flush=True)
                    failures.append(f"{name}: {trace.strip().splitlines()[-1]}")
        finally:
            proxy.close()
    if failures:
        print("\nFAILED:\n" + "\n".join(f"- {f}" for f in failures), file=sys.stderr)
        return 1
    print("\nall client checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
