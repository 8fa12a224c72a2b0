#!/usr/bin/env python3
"""Side-by-side HTTP benchmark of landbank and the servers users would otherwise pick, on the same parcels.

For one size N: generates the synthetic park (seeded) into a GeoPackage for landbank and into PostGIS for the
peers, starts landbank, tipg, pygeoapi, martin and nginx on loopback, checks every answer (status and feature
count) before timing it, drives each with wrk (fixed threads, connections and duration, after a warm-up) and writes
the figures as JSON. `bench/run` calls it for each size and `bench/table.py` turns the JSON into the table of
docs/BENCHMARKS.md. Run `bench/run --help` for the whole procedure.
"""

import argparse
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREADS = 2
CONNECTIONS = 16
PORTS = {"landbank": 18101, "landbank-nocache": 18102, "tipg": 18103, "pygeoapi": 18104, "martin": 18105,
         "martin-nocache": 18106, "nginx": 18107}
Z = 14


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    log("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run(cmd, check=True, **kw)


def psql(url, sql, db_url=None):
    out = subprocess.run(["psql", db_url or url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def get(url, body=None, headers=None):
    """Status, headers and body of one request."""
    req = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def wait_until_up(url, proc, seconds=600):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server for {url} exited with {proc.returncode}")
        try:
            status, _, _ = get(url)
            if status < 500:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def wait_for_quiet(threshold=1.0, seconds=180):
    """Waits until the 1-minute load average falls below `threshold` (at most `seconds`)."""
    deadline = time.time() + seconds
    while os.getloadavg()[0] >= threshold and time.time() < deadline:
        time.sleep(5)
    log(f"load average {os.getloadavg()[0]:.2f}")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Servers:
    """The servers under test; all stopped on exit."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.procs = {}

    def start(self, name, cmd, probe, env=None, cwd=None):
        logf = open(self.workdir / f"{name}.log", "w")
        proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
                                cwd=cwd, start_new_session=True)
        self.procs[name] = proc
        wait_until_up(probe, proc)
        return proc

    def stop(self, name):
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop_all(self):
        for name in list(self.procs):
            self.stop(name)


def start_landbank(servers, args, store, name, extra):
    """Starts landbank and measures the time until it listens and its resident memory then."""
    port = PORTS[name]
    started = time.time()
    proc = subprocess.Popen([args.landbank, "serve", "--store", store, "--listen", f"127.0.0.1:{port}",
                             "--anonymous-rate", "0", *extra], stdout=subprocess.PIPE,
                            stderr=open(servers.workdir / f"{name}.log", "w"), env={**os.environ, "LANDBANK_LOG": "warn"},
                            start_new_session=True, text=True)
    line = proc.stdout.readline()
    if "listening" not in line:
        raise SystemExit(f"landbank did not start: {line!r}; see {servers.workdir / (name + '.log')}")
    startup = time.time() - started
    servers.procs[name] = proc
    return startup, rss_mib(proc.pid)


def tile_of(lon, lat, z=Z):
    n = 2 ** z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def bbox_matching(base, center, target):
    """A square bbox around `center` whose parcels number about `target` (landbank's numberMatched)."""
    lo, hi = 1e-4, 2.0
    best = None
    for _ in range(40):
        half = math.sqrt(lo * hi)
        bbox = (center[0] - half, center[1] - half * 0.93, center[0] + half, center[1] + half * 0.93)
        q = ",".join(f"{v:.5f}" for v in bbox)
        status, _, body = get(f"{base}/collections/parcels/items?bbox={q}&limit=1")
        assert status == 200, body[:300]
        matched = json.loads(body)["numberMatched"]
        best = (q, matched)
        if abs(matched - target) <= target * 0.1:
            return best
        if matched < target:
            lo = half
        else:
            hi = half
    return best


def count_features(body):
    doc = json.loads(body)
    return len(doc["features"])


def mvt_features(body, layer):
    import mapbox_vector_tile

    if not body:
        return 0
    decoded = mapbox_vector_tile.decode(body)
    return len(decoded.get(layer, {}).get("features", []))


WRK_LUA_PATHS = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""

WRK_LUA_POST = """
wrk.method = "POST"
wrk.body = [[%s]]
wrk.headers["Content-Type"] = "application/json"
"""

WRK_LUA_DONE = """
done = function(summary, latency, requests)
  local s = summary
  io.write(string.format("JSON {\\"requests\\":%d,\\"duration_us\\":%d,\\"bytes\\":%d,\\"errors_connect\\":%d,"
    .. "\\"errors_read\\":%d,\\"errors_write\\":%d,\\"errors_status\\":%d,\\"errors_timeout\\":%d,"
    .. "\\"p50_us\\":%d,\\"p90_us\\":%d,\\"p99_us\\":%d,\\"mean_us\\":%f}\\n",
    s.requests, s.duration, s.bytes, s.errors.connect, s.errors.read, s.errors.write, s.errors.status,
    s.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean))
end
"""


def wrk(url, seconds, lua=None, workdir=None, lua_name=None, connections=CONNECTIONS):
    """Runs wrk with a warm-up and returns its figures; any error or non-2xx answer fails the benchmark."""
    script = Path(workdir) / "wrk.lua"
    script.write_text((lua or "") + WRK_LUA_DONE)
    # The slowest peers take seconds per answer under 16 connections: wrk's 2-second default would count them as
    # errors.
    base = ["wrk", f"-t{min(THREADS, connections)}", f"-c{connections}", "--timeout", "60s", "-s", str(script)]
    subprocess.run([*base, "-d3s", url], check=True, capture_output=True)
    load = os.getloadavg()[0]
    out = subprocess.run([*base, f"-d{seconds}s", url], check=True, capture_output=True, text=True).stdout
    figures = json.loads(re.search(r"^JSON (.*)$", out, re.M).group(1))
    errors = sum(v for k, v in figures.items() if k.startswith("errors_"))
    if errors:
        raise SystemExit(f"wrk saw errors against {url}: {figures}\n{out}")
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["load_before"] = load
    shown = base[:-2] + (["-s", lua_name] if lua_name else [])
    figures["command"] = " ".join([*shown, f"-d{seconds}s", "--latency", url])
    if figures["requests"] == 0:
        raise SystemExit(f"no request to {url} completed in {seconds} s")
    return figures


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--parcels", type=int, required=True)
    p.add_argument("--landbank", required=True)
    p.add_argument("--martin", required=True)
    p.add_argument("--venv", required=True, help="the Python environment with tipg and pygeoapi")
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server (no database)")
    p.add_argument("--seconds", type=int, default=10)
    p.add_argument("--data", default=str(ROOT / "target/bench"))
    p.add_argument("--out", required=True)
    args = p.parse_args()

    n = args.parcels
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"landbank-bench-{n}-"))
    result = {"parcels": n, "seconds": args.seconds, "threads": THREADS, "connections": CONNECTIONS}

    # The data: the same seeded park in a GeoPackage (landbank) and in PostGIS (the peers).
    store = data / f"synthetic-{n}.gpkg"
    if not store.exists():
        t = time.time()
        run([args.landbank, "gen", "--parcels", str(n), "--out", str(store)])
        result["gen_gpkg_s"] = time.time() - t
    db = f"landbank_bench_{n}"
    db_url = f"{args.pg}/{db}"
    if psql(f"{args.pg}/postgres", f"select count(*) from pg_database where datname = '{db}'") == "0":
        psql(f"{args.pg}/postgres", f"create database {db}")
        psql(db_url, "create extension postgis; create extension btree_gist")
        t = time.time()
        run([args.landbank, "gen", "--parcels", str(n), "--out", db_url])
        result["gen_postgis_s"] = time.time() - t
    columns = "select count(*) from information_schema.columns where table_name = 'parcels' and column_name = %s"
    if psql(db_url, columns % "'government_caused'") == "0":
        # The peers' table: the parcels with the attributes landbank gives anonymous readers (the stored public
        # ones, the zone's code and the areas landbank computes; all but the land class, which landbank derives
        # from the land-use code), so every server answers with the same content; the outline in EPSG:4326
        # (CGCS2000 and WGS 84 differ by centimetres), a primary key and a GiST index, as a GIS team would
        # publish them.
        psql(db_url, """
            drop table if exists parcels;
            create table parcels as
              select p.fid as id, p.plot_no, p.parcel_code, z.code as zone, p.zone_id, p.land_use_system,
                     p.land_use_code, p.availability, p.dev_stage, p.supply_method, p.revitalized,
                     round(p.area_m2::numeric, 2)::float8 as area_m2,
                     round((p.area_m2 * 15 / 10000)::numeric, 3)::float8 as area_mu, p.stated_area_mu,
                     round((p.stated_area_mu * 10000 / 15)::numeric, 2)::float8 as stated_area_m2, p.term_years,
                     p.price_wan_per_mu, p.plot_ratio_min, p.plot_ratio_max, p.coverage_min, p.height_max_m,
                     p.power_available_kva, p.project_id, p.available_from, p.supply_date, p.agreed_start_date,
                     p.agreed_completion_date, p.actual_start_date, p.required_gfa_m2, p.built_gfa_m2,
                     p.suspended_since, p.government_caused,
                     st_setsrid(p.geom, 4326)::geometry(polygon, 4326) as geom
              from parcel p left join zone z on z.fid = p.zone_id;
            alter table parcels add primary key (id);
            create index parcels_geom on parcels using gist (geom);
            analyze parcels;""")
    # The profile the peers run fastest with on 2 cores (see bench/README.md).
    psql(db_url, f"alter database {db} set max_parallel_workers_per_gather = 0; alter database {db} set jit = off")
    count = int(psql(db_url, "select count(*) from parcels"))
    assert count == n, f"{db} holds {count} parcels, not {n}"
    # Freshly loaded tables would be vacuumed by autovacuum in the middle of the runs: do it now, then let the
    # machine settle before anything is timed.
    psql(db_url, "vacuum analyze")
    wait_for_quiet()

    servers = Servers(workdir)
    try:
        bench(args, servers, store, db_url, workdir, result)
    finally:
        servers.stop_all()
    Path(args.out).write_text(json.dumps(result, indent=1))
    log(f"wrote {args.out}")


def bench(args, servers, store, db_url, workdir, result):
    n = args.parcels
    venv = Path(args.venv)
    result["landbank_startup_s"], result["landbank_rss_mib"] = start_landbank(
        servers, args, str(store), "landbank", [])
    lb = f"http://127.0.0.1:{PORTS['landbank']}"
    start_landbank(servers, args, str(store), "landbank-nocache", ["--tile-cache-mib", "0", "--feature-cache-mib", "0"])
    lb_nocache = f"http://127.0.0.1:{PORTS['landbank-nocache']}"

    servers.start("tipg", [venv / "bin/gunicorn", "tipg.main:app", "-k", "uvicorn.workers.UvicornWorker",
                           "-w", "2", "-b", f"127.0.0.1:{PORTS['tipg']}"],
                  f"http://127.0.0.1:{PORTS['tipg']}/collections",
                  env={"DATABASE_URL": db_url, "TIPG_NAME": "tipg", "TIPG_DB_SCHEMAS": '["public"]',
                       "TIPG_DB_TABLES": '["public.parcels"]', "TIPG_MAX_FEATURES_PER_QUERY": "10000"})
    tipg = f"http://127.0.0.1:{PORTS['tipg']}"

    config = workdir / "pygeoapi.yml"
    config.write_text(PYGEOAPI_CONFIG.format(port=PORTS["pygeoapi"], db=db_url.rsplit("/", 1)[1]))
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(workdir / "pygeoapi-openapi.yml")}
    run([venv / "bin/pygeoapi", "openapi", "generate", str(config), "--output-file", env["PYGEOAPI_OPENAPI"]],
        env={**os.environ, **env}, capture_output=True)
    servers.start("pygeoapi", [venv / "bin/gunicorn", "pygeoapi.flask_app:APP", "-w", "2",
                               "-b", f"127.0.0.1:{PORTS['pygeoapi']}"],
                  f"http://127.0.0.1:{PORTS['pygeoapi']}/collections?f=json", env=env)
    pygeoapi = f"http://127.0.0.1:{PORTS['pygeoapi']}"

    servers.start("martin", [args.martin, "--listen-addresses", f"127.0.0.1:{PORTS['martin']}", db_url],
                  f"http://127.0.0.1:{PORTS['martin']}/catalog")
    martin = f"http://127.0.0.1:{PORTS['martin']}"
    servers.start("martin-nocache", [args.martin, "--listen-addresses", f"127.0.0.1:{PORTS['martin-nocache']}",
                                     "--cache-size", "0", db_url],
                  f"http://127.0.0.1:{PORTS['martin-nocache']}/catalog")
    martin_nocache = f"http://127.0.0.1:{PORTS['martin-nocache']}"

    # The requests, found on landbank and checked on every server.
    status, _, body = get(f"{lb}/collections/parcels")
    extent = json.loads(body)["extent"]["spatial"]["bbox"][0]
    center = ((extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2)
    bbox_a, matched_a = bbox_matching(lb, center, 100)
    bbox_b, matched_b = bbox_matching(lb, center, 10_000)
    result["a"] = {"bbox": bbox_a, "matched": matched_a, "limit": 100}
    result["b"] = {"bbox": bbox_b, "matched": matched_b, "limit": 1000}

    www = workdir / "www"
    www.mkdir()
    # nginx's workers run as an unprivileged user: they must be able to read the answers.
    workdir.chmod(0o755)
    nginx_conf = workdir / "nginx.conf"
    nginx_conf.write_text(NGINX_CONFIG.format(port=PORTS["nginx"], root=www, tmp=workdir))

    runs = {}
    for key, limit, bbox in (("a", 100, bbox_a), ("b", 1000, bbox_b)):
        expected = min(limit, result[key]["matched"])
        urls = {
            "landbank": f"{lb}/collections/parcels/items?bbox={bbox}&limit={limit}",
            "landbank-nocache": f"{lb_nocache}/collections/parcels/items?bbox={bbox}&limit={limit}",
            "tipg": f"{tipg}/collections/public.parcels/items?bbox={bbox}&limit={limit}",
            "pygeoapi": f"{pygeoapi}/collections/parcels/items?bbox={bbox}&limit={limit}&f=json",
            "nginx": f"http://127.0.0.1:{PORTS['nginx']}/{key}.json",
        }
        status, _, body = get(urls["landbank"], headers={"Accept-Encoding": "identity"})
        (www / f"{key}.json").write_bytes(body)
        result[key]["bytes"] = len(body)
        if key == "a":
            servers.start("nginx", ["nginx", "-c", str(nginx_conf), "-g", "daemon off;"],
                          f"http://127.0.0.1:{PORTS['nginx']}/a.json")
        for name, url in urls.items():
            status, _, body = get(url)
            got = count_features(body) if status == 200 else None
            if got != expected:
                raise SystemExit(f"({key}) {name} answered {status} with {got} features, not {expected}: {url}")
        for name, url in urls.items():
            log(f"({key}) {name}")
            runs[f"{key}/{name}"] = wrk(url, args.seconds, workdir=workdir)

    # (c) z14 tiles: every tile of the park's extent in turn (uncached), and one tile at its centre (hot).
    x0, y1 = tile_of(extent[0], extent[1])
    x1, y0 = tile_of(extent[2], extent[3])
    tiles = [(x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
    hx, hy = tile_of(*center)
    result["c"] = {"z": Z, "tiles": len(tiles), "hot": [Z, hx, hy]}
    tile_paths = {
        "landbank": (lb_nocache, lambda x, y: f"/collections/parcels/tiles/WebMercatorQuad/{Z}/{y}/{x}", "parcels"),
        "tipg": (tipg, lambda x, y: f"/collections/public.parcels/tiles/WebMercatorQuad/{Z}/{x}/{y}", "default"),
        "martin": (martin_nocache, lambda x, y: f"/parcels/{Z}/{x}/{y}", "parcels"),
    }
    counts = {}
    for name, (base, path, layer) in tile_paths.items():
        status, _, body = get(base + path(hx, hy))
        if status != 200:
            raise SystemExit(f"(c) {name} answered {status} for the hot tile: {base + path(hx, hy)}")
        counts[name] = mvt_features(body, layer)
    result["c"]["hot_features"] = counts
    # Servers differ in the buffer they draw around a tile and in the slivers they drop, so parcels near its edges
    # may be in one and not in another; the bulk must agree.
    if max(counts.values()) > 1.25 * min(counts.values()) or min(counts.values()) == 0:
        raise SystemExit(f"(c) the servers' hot tiles hold very different numbers of parcels: {counts}")
    for name, (base, path, _) in tile_paths.items():
        listing = workdir / f"tiles-{name}.txt"
        listing.write_text("\n".join(path(x, y) for x, y in tiles) + "\n")
        log(f"(c) uncached {name}")
        runs[f"c-uncached/{name}"] = wrk(base + "/", args.seconds, WRK_LUA_PATHS % listing, workdir,
                                         f"tiles-{name}.lua")
    status, _, body = get(f"{lb}/collections/parcels/tiles/WebMercatorQuad/{Z}/{hy}/{hx}",
                          headers={"Accept-Encoding": "identity"})
    (www / "tile.mvt").write_bytes(body)
    result["c"]["hot_bytes"] = len(body)
    hot = {
        "landbank": f"{lb}/collections/parcels/tiles/WebMercatorQuad/{Z}/{hy}/{hx}",
        "martin": f"{martin}/parcels/{Z}/{hx}/{hy}",
        "nginx": f"http://127.0.0.1:{PORTS['nginx']}/tile.mvt",
    }
    for name, url in hot.items():
        log(f"(c) hot {name}")
        runs[f"c-hot/{name}"] = wrk(url, args.seconds, workdir=workdir)

    # (d) an availability search and (e) an allocation plan: landbank's own (the peers have neither).
    d = f"{lb}/availability/land?min_area_mu=40&class=II&industry=seafood_processing&limit=20"
    status, _, body = get(d)
    assert status == 200, body[:300]
    result["d"] = {"url": d, "found": len(json.loads(body)["features"])}
    log("(d) landbank")
    runs["d/landbank"] = wrk(d, args.seconds, workdir=workdir)
    plan = json.dumps({"industry": "seafood_processing", "class": "II", "fixed_asset_investment_wan": 15000,
                       "land_mu": 60, "near": list(center)})
    status, _, body = get(f"{lb}/allocation-plans", plan.encode(), {"Content-Type": "application/json"})
    assert status == 200, body[:300]
    result["e"] = {"body": plan, "candidates": len(json.loads(body)["candidates"])}
    log("(e) landbank")
    runs["e/landbank"] = wrk(f"{lb}/allocation-plans", args.seconds, WRK_LUA_POST % plan, workdir, "plan.lua")
    # How long one plan takes when it does not wait behind 15 others.
    log("(e) landbank, one connection")
    runs["e1/landbank"] = wrk(f"{lb}/allocation-plans", args.seconds, WRK_LUA_POST % plan, workdir, "plan.lua",
                              connections=1)

    result["runs"] = runs
    result["landbank_rss_after_mib"] = rss_mib(servers.procs["landbank"].pid)


PYGEOAPI_CONFIG = """
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: 100, max_items: 10000}}
  map: {{url: 'https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png', attribution: OpenStreetMap}}
logging:
  level: ERROR
metadata:
  identification: {{title: landbank benchmark, description: parcels, keywords: [parcels], keywords_type: theme,
                   terms_of_service: none, url: http://127.0.0.1}}
  license: {{name: none, url: 'http://127.0.0.1'}}
  provider: {{name: landbank, url: 'http://127.0.0.1'}}
  contact: {{name: landbank, position: none, address: none, city: none, stateorprovince: none, postalcode: none,
            country: none, phone: none, fax: none, email: none, url: 'http://127.0.0.1', hours: none,
            instructions: none, role: pointOfContact}}
resources:
  parcels:
    type: collection
    title: parcels
    description: parcels
    keywords: [parcels]
    extents:
      spatial: {{bbox: [-180, -90, 180, 90], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: PostgreSQL
        data: {{host: 127.0.0.1, port: 5432, dbname: {db}, user: postgres, password: '', search_path: [public]}}
        id_field: id
        table: parcels
        geom_field: geom
"""

NGINX_CONFIG = """
worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  types {{ application/geo+json json; application/vnd.mapbox-vector-tile mvt; }}
  server {{
    listen 127.0.0.1:{port};
    root {root};
  }}
}}
"""

if __name__ == "__main__":
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing (apt-get install wrk)")
    main()
