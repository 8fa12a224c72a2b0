#!/usr/bin/env python3
"""Turns bench/harness.py's JSON results into the Markdown table of docs/BENCHMARKS.md, with the machine, the
versions and the verdict on every target."""

import argparse
import json
import os
import platform
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sh(cmd):
    try:
        out = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (subprocess.SubprocessError, IndexError):
        return "?"


def pip_version(venv, package):
    return sh(f"{venv}/bin/python -c \"from importlib.metadata import version; print(version('{package}'))\"")


def rps(run):
    return f"{run['rps']:,.0f}" if run else "—"


def ms(us):
    return f"{us / 1000:.2f}"


def cell(run):
    if not run:
        return "—"
    return f"{run['rps']:,.0f} <br>p50 {ms(run['p50_us'])} / p99 {ms(run['p99_us'])} ms"


def ratio(a, b):
    return a["rps"] / b["rps"] if a and b and b["rps"] else None


def plain(value, fmt="{:.0f}×"):
    return "—" if value is None else fmt.format(value)


def verdict(value, target, fmt="{:.0f}×", at_least=True):
    if value is None:
        return "—"
    ok = value >= target if at_least else value <= target
    return f"{fmt.format(value)} ({'met' if ok else 'missed'}: {'≥' if at_least else '≤'} {fmt.format(target)})"


def headline(results):
    """The README's summary: one line per size with the ratios the table explains."""
    lines = []
    for r in results:
        g = r["runs"].get
        line = (f"- {r['parcels']:,} parcels — items, 100 in a bbox: {g('a/landbank')['rps']:,.0f} req/s, "
                f"{plain(ratio(g('a/landbank'), g('a/tipg')))} tipg, {plain(ratio(g('a/landbank'), g('a/pygeoapi')))} "
                f"pygeoapi, {plain(ratio(g('a/landbank'), g('a/nginx')), '{:.2f}')} of nginx serving the same bytes "
                f"({plain(ratio(g('a/landbank-nocache'), g('a/tipg')))} tipg with every feature written afresh); "
                f"1,000 of 10,000: {plain(ratio(g('b/landbank'), g('b/tipg')))} tipg; z14 tiles uncached "
                f"{plain(ratio(g('c-uncached/landbank'), g('c-uncached/martin')), '{:.1f}×')} martin, "
                f"{plain(ratio(g('c-uncached/landbank'), g('c-uncached/tipg')))} tipg; a hot tile "
                f"{plain(ratio(g('c-hot/landbank'), g('c-hot/martin')), '{:.2f}×')} martin's cache")
        if r["parcels"] >= 1_000_000:
            line += (f"; start-up {r['landbank_startup_s']:.1f} s, {r['landbank_rss_after_mib'] / 1024:.2f} GiB "
                     f"resident, p99 of the bbox query {g('a/landbank')['p99_us'] / 1000:.1f} ms at 16 connections, "
                     f"one allocation plan p50 {g('e1/landbank')['p50_us'] / 1000:.1f} ms")
        lines.append(line + ".")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--headline", action="store_true", help="print the README's summary instead of the table")
    p.add_argument("--venv", required=True)
    p.add_argument("--martin", required=True)
    p.add_argument("--pg", required=True)
    p.add_argument("results", nargs="+")
    args = p.parse_args()
    results = [json.loads(Path(r).read_text()) for r in args.results]
    if args.headline:
        print(headline(results))
        return

    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem = sh("free -g | awk '/Mem:/ {print $2}'")
    out = []
    w = out.append
    w(f"Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `bench/run {' '.join(str(r['parcels']) for r in results)}`. "
      f"Machine: {os.cpu_count()} CPUs ({cpu}), {mem} GiB RAM, {platform.system()} {platform.release()}; "
      f"the servers, PostgreSQL and wrk share these cores. "
      f"Versions: landbank {sh('git -C ' + str(ROOT) + ' describe --always --dirty')}, "
      f"tipg {pip_version(args.venv, 'tipg')}, pygeoapi {pip_version(args.venv, 'pygeoapi')}, "
      f"{sh(args.martin + ' --version')}, {sh('nginx -v 2>&1')}, wrk {sh("wrk -v 2>&1 | grep -o '[0-9][0-9.]*' | head -1")}, "
      f"{sh('psql ' + args.pg + '/postgres -qAtc \"select split_part(version(), \' \', 2)\"')} with PostGIS "
      f"{sh('psql ' + args.pg + '/postgres -qAtc \"select default_version from pg_available_extensions where name = \'postgis\'\"')}.")
    w("")
    first = results[0]
    w(f"Every figure is requests per second from `wrk -t{first['threads']} -c{first['connections']} "
      f"-d{first['seconds']}s --latency` after a 3-second warm-up (p50 / p99 latency below it), with each server's "
      "answer checked first (status and number of features). tipg and pygeoapi run under gunicorn with 2 workers; "
      "martin and landbank use every core; PostgreSQL runs with `max_parallel_workers_per_gather = 0` and "
      "`jit = off`, which make the peers faster on 2 cores. nginx serves the very bytes of landbank's answer from a "
      "file: the ceiling for the same response. The peers publish a table of the same parcels with the same "
      "attributes landbank gives anonymous readers (31 of its 32; not the land class it derives), so every server "
      "answers with the same content.")
    w("")
    for r in results:
        runs = r["runs"]
        g = lambda key: runs.get(key)
        n = r["parcels"]
        w(f"### {n:,} parcels")
        w("")
        w(f"landbank started in {r['landbank_startup_s']:.2f} s from the GeoPackage (open, load, build the R-trees) "
          f"and held {r['landbank_rss_mib']:,.0f} MiB resident then ({r['landbank_rss_after_mib']:,.0f} MiB after the "
          f"runs). Load average before the runs: {min(x['load_before'] for x in runs.values()):.2f}–"
          f"{max(x['load_before'] for x in runs.values()):.2f}.")
        w("")
        w("| request | landbank | tipg | pygeoapi | martin | nginx (same bytes) | ratios |")
        w("|---|---|---|---|---|---|---|")
        a, b, c = r["a"], r["b"], r["c"]
        w(f"| (a) items in a bbox matching {a['matched']} parcels, `limit=100` ({a['bytes']:,} bytes) | "
          f"{cell(g('a/landbank'))} | {cell(g('a/tipg'))} | {cell(g('a/pygeoapi'))} | — | {cell(g('a/nginx'))} | "
          f"× tipg {verdict(ratio(g('a/landbank'), g('a/tipg')), 50)}; × pygeoapi "
          f"{verdict(ratio(g('a/landbank'), g('a/pygeoapi')), 150)}; of nginx "
          f"{verdict(ratio(g('a/landbank'), g('a/nginx')), 0.5, '{:.2f}')} |")
        w(f"| (a) the same, every feature written afresh (`--feature-cache-mib 0`) | "
          f"{cell(g('a/landbank-nocache'))} | — | — | — | — | "
          f"× tipg {plain(ratio(g('a/landbank-nocache'), g('a/tipg')))}; × pygeoapi "
          f"{plain(ratio(g('a/landbank-nocache'), g('a/pygeoapi')))}; of nginx "
          f"{plain(ratio(g('a/landbank-nocache'), g('a/nginx')), '{:.2f}')} |")
        w(f"| (b) items in a bbox matching {b['matched']:,} parcels, `limit=1000` ({b['bytes']:,} bytes) | "
          f"{cell(g('b/landbank'))} | {cell(g('b/tipg'))} | {cell(g('b/pygeoapi'))} | — | {cell(g('b/nginx'))} | "
          f"× tipg {verdict(ratio(g('b/landbank'), g('b/tipg')), 50)}; × pygeoapi "
          f"{plain(ratio(g('b/landbank'), g('b/pygeoapi')))}; of nginx "
          f"{plain(ratio(g('b/landbank'), g('b/nginx')), '{:.2f}')} |")
        w(f"| (b) the same, every feature written afresh (`--feature-cache-mib 0`) | "
          f"{cell(g('b/landbank-nocache'))} | — | — | — | — | "
          f"× tipg {plain(ratio(g('b/landbank-nocache'), g('b/tipg')))}; of nginx "
          f"{plain(ratio(g('b/landbank-nocache'), g('b/nginx')), '{:.2f}')} |")
        w(f"| (c) z14 parcel tiles, uncached: the extent's {c['tiles']:,} tiles in turn | "
          f"{cell(g('c-uncached/landbank'))} | {cell(g('c-uncached/tipg'))} | — | {cell(g('c-uncached/martin'))} | — | "
          f"× martin {verdict(ratio(g('c-uncached/landbank'), g('c-uncached/martin')), 5, '{:.1f}×')}; × tipg "
          f"{plain(ratio(g('c-uncached/landbank'), g('c-uncached/tipg')))} |")
        hot = c["hot_features"]
        w(f"| (c) one hot z14 tile ({hot['landbank']} parcels in landbank's, {hot['martin']} in martin's, "
          f"{hot['tipg']} in tipg's; {c['hot_bytes']:,} bytes), cached | "
          f"{cell(g('c-hot/landbank'))} | — | — | {cell(g('c-hot/martin'))} | {cell(g('c-hot/nginx'))} | "
          f"× martin's cache {verdict(ratio(g('c-hot/landbank'), g('c-hot/martin')), 1, '{:.2f}×')} |")
        w(f"| (d) availability search: land ≥ 40 mu, class II, seafood processing, 20 best | "
          f"{cell(g('d/landbank'))} | — | — | — | — | the peers have no such search |")
        e, e1 = g("e/landbank"), g("e1/landbank")
        one = f"one at a time (1 connection): {e1['rps']:,.0f}/s, p50 {ms(e1['p50_us'])} / p99 {ms(e1['p99_us'])} ms"
        if n >= 1_000_000:
            one += "; p99 " + verdict(e1["p99_us"] / 1000, 50, "{:.1f} ms", at_least=False)
        w(f"| (e) allocation plan: 60 mu, class II, near the middle ({r['e']['candidates']} candidates) | "
          f"{cell(e)} | — | — | — | — | {one} |")
        w("")
        if n >= 1_000_000:
            w(f"Targets at {n:,}: start-up {verdict(r['landbank_startup_s'], 5, '{:.2f} s', at_least=False)}, "
              f"resident memory {verdict(r['landbank_rss_after_mib'] / 1024, 1.5, '{:.2f} GiB', at_least=False)}, "
              f"(a) p99 at {r['connections']} connections "
              f"{verdict(g('a/landbank')['p99_us'] / 1000, 10, '{:.2f} ms', at_least=False)}.")
            w("")
    w("Commands each run used (ports and paths from that run):")
    w("")
    w("```sh")
    for r in results[-1:]:
        for key in ("a/landbank", "a/tipg", "a/pygeoapi", "a/nginx", "c-uncached/martin", "c-hot/martin"):
            if key in r["runs"]:
                w(r["runs"][key]["command"])
    w("```")
    w("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
