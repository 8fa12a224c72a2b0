//! The MapLibre GL JS snippet of docs/API.md ("Vector tiles") works in a real browser: Debian's Chromium, driven by
//! `tests/browser/maplibre-snippet.mjs` through playwright-core, loads the running server's style and tiles and
//! renders parcels (see the script's header for what it checks). It needs Node.js, `tests/browser/node_modules`
//! (`npm ci --prefix tests/browser`) and Chromium (`LANDBANK_TEST_CHROMIUM`, else `/usr/bin/chromium`); `.ci/run`
//! installs them.

use std::path::PathBuf;
use std::process::Command;

use crate::root;
use crate::server::Server;

/// What the test needs that is missing, if anything.
fn missing() -> Vec<String> {
    let mut missing = Vec::new();
    if !Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success()) {
        missing.push("node (Node.js) on the PATH".to_owned());
    }
    let modules = root().join("tests/browser/node_modules");
    for package in ["maplibre-gl", "playwright-core"] {
        if !modules.join(package).join("package.json").is_file() {
            missing.push(format!("{} (run `npm ci --prefix tests/browser`)", modules.join(package).display()));
        }
    }
    let chromium = chromium();
    if !chromium.is_file() {
        let chromium = chromium.display();
        missing.push(format!("Chromium at {chromium} (install Debian's chromium or set LANDBANK_TEST_CHROMIUM)"));
    }
    missing
}

fn chromium() -> PathBuf {
    match std::env::var("LANDBANK_TEST_CHROMIUM") {
        Ok(path) if !path.trim().is_empty() => PathBuf::from(path),
        _ => PathBuf::from("/usr/bin/chromium"),
    }
}

/// Whether the test is skipped for what is missing; under CI nothing may be.
fn skipped(test: &str, missing: &[String]) -> bool {
    if missing.is_empty() {
        return false;
    }
    assert!(std::env::var("CI").is_err(), "{test} is required under CI; missing: {}", missing.join(", "));
    eprintln!("note: skipping {test}; missing: {}", missing.join(", "));
    true
}

/// Runs a browser script with Node.js and Chromium from the repository's root; it must succeed.
fn run_script(script: &str, args: &[&std::ffi::OsStr]) {
    let out = Command::new("node")
        .arg(script)
        .args(args)
        .current_dir(root())
        .env("LANDBANK_TEST_CHROMIUM", chromium())
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .output()
        .unwrap_or_else(|e| panic!("node {script} does not start: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed ({}):\n{stdout}\n{stderr}", out.status);
    println!("{stdout}");
}

#[test]
fn the_maplibre_snippet_of_the_api_doc_renders_parcels_in_chromium() {
    if skipped("the browser test", &missing()) {
        return;
    }
    let server = Server::start();
    run_script("tests/browser/maplibre-snippet.mjs", &[server.base.as_ref()]);
}

/// The web map at `/`, as planners and investors use it: `tests/browser/webmap.mjs` drives Debian's Chromium
/// through the page built into the binary (see the script's header for every check) and writes its screenshots to
/// `target/screenshots/`. The page must be built (`npm ci --prefix web`; `build.rs` runs `npm run build`).
#[test]
fn the_web_map_serves_investors_and_planners_in_chromium() {
    let mut missing = missing();
    if !root().join("web/dist/index.html").is_file() {
        missing
            .push("the web map's build, web/dist (run `npm ci --prefix web && npm run build --prefix web`)".to_owned());
    }
    if skipped("the web map test", &missing) {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let secret = "webmap-planner-secret";
    let token = format!("planner:{secret}:planner");
    let server = Server::with(&dir.path().join("landbank.gpkg"), &["--token", &token, "--anonymous-rate", "0"]);
    let page = crate::client::request("GET", &server.url("/"), &[("Accept", "text/html")]);
    let page = String::from_utf8_lossy(&page.body);
    assert!(
        page.contains("/app/assets/"),
        "`/` does not serve the built web map (was the binary built before web/dist?):\n{page}"
    );
    let screenshots = root().join("target/screenshots");
    std::fs::create_dir_all(&screenshots).expect("target/screenshots");
    run_script("tests/browser/webmap.mjs", &[server.base.as_ref(), secret.as_ref(), screenshots.as_os_str()]);
}
