"""QGIS reads the running server through its own OGC API – Features provider, as docs/API.md tells people to
connect: the URL of the landing page and a collection id. Run with Debian's python3 and python3-qgis:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/clients/qgis_check.py http://127.0.0.1:PORT

Checks, for every collection, that the layer is valid, that QGIS counts as many features as the server's
numberMatched and reads them all (its provider pages through `next` links), and that a bbox request reads the
features the server finds in that box. Exits 1 listing every failure.
"""

import json
import os
import sys
import urllib.request

from qgis.core import Qgis, QgsApplication, QgsFeatureRequest, QgsRectangle, QgsVectorLayer

BASE = sys.argv[1].rstrip("/")
failures = []


def server(path):
    with urllib.request.urlopen(BASE + path) as answer:
        return json.load(answer)


def check(condition, message):
    print(("ok: " if condition else "FAILED: ") + message, flush=True)
    if not condition:
        failures.append(message)


app = QgsApplication([], False)
app.initQgis()
print("QGIS", Qgis.QGIS_VERSION, flush=True)

# Layers stay referenced until the end: QGIS's providers page in threads of their own.
layers = []
for collection in ["zones", "parcels", "buildings", "units", "projects", "pois"]:
    expected = server(f"/collections/{collection}/items?limit=1")["numberMatched"]
    layer = QgsVectorLayer(f"url='{BASE}' typename='{collection}' pageSize='50'", collection, "OAPIF")
    layers.append(layer)
    if not layer.isValid():
        check(False, f"{collection}: QGIS cannot open the layer: {layer.error().summary()}")
        continue
    features = list(layer.getFeatures())
    check(layer.featureCount() in (expected, -1), f"{collection}: QGIS counts {layer.featureCount()} of {expected}")
    check(len(features) == expected, f"{collection}: QGIS reads {len(features)} features of {expected}")
    if collection == "parcels":
        ids = sorted(f["id"] if "id" in f.fields().names() else f.id() for f in features)
        check(len(set(ids)) == expected, f"parcels: {len(set(ids))} distinct ids")
        crs = layer.crs().authid()
        check(crs in ("EPSG:4326", "OGC:CRS84", "EPSG:4490"), f"parcels: layer CRS {crs}")
        extent = server("/collections/parcels")["extent"]["spatial"]["bbox"][0]
        west, south, east, north = extent
        box = [west, south, (west + east) / 2, (south + north) / 2]
        in_box = server("/collections/parcels/items?limit=1&bbox=" + ",".join(map(str, box)))["numberMatched"]
        request = QgsFeatureRequest().setFilterRect(QgsRectangle(*box))
        found = sum(1 for _ in layer.getFeatures(request))
        check(found == in_box, f"parcels in the south-west quarter: QGIS reads {found}, the server finds {in_box}")

if failures:
    print(f"{len(failures)} check(s) failed", file=sys.stderr)
else:
    print("every QGIS check passed")
sys.stdout.flush()
sys.stderr.flush()
# Leave without tearing QGIS down: its teardown from Python can crash after the work is done.
os._exit(1 if failures else 0)
