//! API fuzzing: schemathesis, driven by `tests/clients/api_fuzz.py` (see its docstring for what it checks and leaves
//! out) with the Python named by `LANDBANK_TEST_PYTHON`, which has `tests/clients/requirements-api.txt` installed
//! (`.ci/run` makes that virtual environment), sends a bounded number of generated requests to every operation of
//! `/api` on a running server with an admin token: no 5xx, and every answer as the OpenAPI document describes it.

use std::process::Command;

use crate::root;
use crate::server::Server;

const SECRET: &str = "an-admin-secret-long-enough";

/// The Python with schemathesis, or `None` outside CI when `LANDBANK_TEST_PYTHON` is not set (CI sets it and then
/// requires it).
fn python() -> Option<String> {
    match std::env::var("LANDBANK_TEST_PYTHON") {
        Ok(python) if !python.trim().is_empty() => Some(python),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "LANDBANK_TEST_PYTHON is required under CI: a Python with tests/clients/requirements-api.txt installed"
            );
            eprintln!(
                "note: LANDBANK_TEST_PYTHON not set; point it at a Python with tests/clients/requirements-api.txt \
                 installed to fuzz the API"
            );
            None
        }
    }
}

#[test]
fn schemathesis_finds_no_server_error_and_no_answer_the_openapi_document_does_not_describe() {
    let Some(python) = python() else { return };
    let dir = tempfile::tempdir().expect("temporary directory");
    let token = format!("admin:{SECRET}:admin");
    let server = Server::with(&dir.path().join("landbank.gpkg"), &["--token", &token]);
    let script = root().join("tests/clients/api_fuzz.py");
    let out = Command::new(&python)
        .arg(&script)
        .arg(&server.base)
        .arg(SECRET)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONUNBUFFERED", "1")
        .output()
        .unwrap_or_else(|e| panic!("{python} {} does not start: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "schemathesis found problems ({}):\n{stdout}\n{stderr}", out.status);
    println!("{stdout}");
}
