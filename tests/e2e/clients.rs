//! Real clients that nobody here wrote read the running server: pyogrio (GDAL's OAPIF driver), Debian's `ogr2ogr`,
//! `OWSLib` and the `mapbox-vector-tile` decoder, driven by `tests/clients/check.py` (see its docstring for what it
//! checks) with the Python named by `LANDBANK_TEST_PYTHON`, which has `tests/clients/requirements.txt` installed
//! (`.ci/run` makes that virtual environment). QGIS reads it through its own OAPIF provider, driven by
//! `tests/clients/qgis_check.py` with Debian's `python3-qgis`.

use std::process::Command;

use crate::root;
use crate::server::Server;

/// The Python with the client packages, or `None` outside CI when `LANDBANK_TEST_PYTHON` is not set (CI sets it and
/// then requires it).
fn python() -> Option<String> {
    match std::env::var("LANDBANK_TEST_PYTHON") {
        Ok(python) if !python.trim().is_empty() => Some(python),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "LANDBANK_TEST_PYTHON is required under CI: a Python with tests/clients/requirements.txt installed"
            );
            eprintln!(
                "note: LANDBANK_TEST_PYTHON not set; point it at a Python with tests/clients/requirements.txt \
                 installed to run the client checks"
            );
            None
        }
    }
}

#[test]
fn pyogrio_ogr2ogr_owslib_and_an_mvt_decoder_read_the_running_server() {
    let Some(python) = python() else { return };
    let server = Server::start();
    let script = root().join("tests/clients/check.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&server.base)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1")
        .output()
        .unwrap_or_else(|e| panic!("{python} {} does not start: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the client checks failed ({}):\n{stdout}\n{stderr}", out.status);
    println!("{stdout}");
}

/// Debian's Python with QGIS's bindings (`python3-qgis`), or `None` outside CI when it is not installed.
fn qgis_python() -> Option<&'static str> {
    let python = "/usr/bin/python3";
    let found = Command::new(python).args(["-c", "import qgis.core"]).output().is_ok_and(|o| o.status.success());
    if found {
        return Some(python);
    }
    assert!(std::env::var("CI").is_err(), "QGIS is required under CI: apt-get install python3-qgis");
    eprintln!("note: python3-qgis not installed; apt-get install python3-qgis to run the QGIS check");
    None
}

#[test]
fn qgis_reads_every_collection_through_its_oapif_provider() {
    let Some(python) = qgis_python() else { return };
    let server = Server::start();
    let script = root().join("tests/clients/qgis_check.py");
    let out = Command::new(python)
        .arg(&script)
        .arg(&server.base)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|e| panic!("{python} {} does not start: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the QGIS checks failed ({}):\n{stdout}\n{stderr}", out.status);
    println!("{stdout}");
}
