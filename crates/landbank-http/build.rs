//! Embeds the web map (`web/dist`, built by npm from `web/`) into the binary.
//!
//! When `web/dist` is missing or older than the sources and npm is on the PATH, this runs `npm ci` (only when
//! `web/node_modules` is missing) and `npm run build` in `web/`. Without npm, or when the build fails, the crate
//! still builds: it embeds nothing and `/` says how to build the page. `LANDBANK_WEB_BUILD=0` turns npm off (the
//! existing `web/dist`, if any, is still embedded).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let web = manifest.join("../../web");
    let dist = web.join("dist");
    for source in ["src", "public", "index.html", "package.json", "package-lock.json", "vite.config.js"] {
        println!("cargo:rerun-if-changed={}", web.join(source).display());
    }
    println!("cargo:rerun-if-changed={}", dist.join("index.html").display());
    println!("cargo:rerun-if-env-changed=LANDBANK_WEB_BUILD");

    let npm_allowed = std::env::var("LANDBANK_WEB_BUILD").map_or(true, |v| v != "0");
    if web.join("package.json").is_file()
        && npm_allowed
        && stale(&web, &dist)
        && let Err(message) = build(&web)
    {
        println!("cargo:warning=the web map was not built ({message}); `/` will say how to build it");
    }

    // The page is copied next to the generated code, so a rebuild of `web/dist` while the crate compiles cannot
    // leave it naming files that are gone.
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let copy = out_dir.join("web");
    let _ = std::fs::remove_dir_all(&copy);
    let mut files = Vec::new();
    if dist.join("index.html").is_file() {
        collect(&dist, &dist, &mut files);
    }
    files.sort();
    let mut out =
        String::from("/// The files of `web/dist`, by path relative to it.\npub static FILES: &[(&str, &[u8])] = &[\n");
    for (relative, source) in &files {
        let target = copy.join(relative);
        std::fs::create_dir_all(target.parent().expect("a file has a parent")).expect("creating the page's copy");
        std::fs::copy(source, &target).expect("copying the page");
        let _ = writeln!(out, "    ({relative:?}, include_bytes!({:?})),", target.display().to_string());
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("web_files.rs"), out).expect("writing web_files.rs");
}

/// Whether `dist` is missing or older than any source of the page.
fn stale(web: &Path, dist: &Path) -> bool {
    let Some(built) = modified(&dist.join("index.html")) else { return true };
    let mut newest = SystemTime::UNIX_EPOCH;
    for source in ["index.html", "package.json", "package-lock.json", "vite.config.js"] {
        newest = newest.max(modified(&web.join(source)).unwrap_or(SystemTime::UNIX_EPOCH));
    }
    for dir in ["src", "public"] {
        let mut files = Vec::new();
        collect(&web.join(dir), &web.join(dir), &mut files);
        for (_, path) in files {
            newest = newest.max(modified(&path).unwrap_or(SystemTime::UNIX_EPOCH));
        }
    }
    newest > built
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn build(web: &Path) -> Result<(), String> {
    let npm = |args: &[&str]| -> Result<(), String> {
        let status = Command::new("npm")
            .args(args)
            .args(["--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(web)
            .status()
            .map_err(|e| format!("npm could not be started: {e}"))?;
        if status.success() { Ok(()) } else { Err(format!("`npm {}` failed ({status})", args.join(" "))) }
    };
    if !web.join("node_modules").is_dir() {
        npm(&["ci"])?;
    }
    npm(&["run", "build"])
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            let relative = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            files.push((relative, path));
        }
    }
}
