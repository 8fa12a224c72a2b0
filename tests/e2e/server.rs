//! Starts `landbank serve` on port 0 over a fresh store (a GeoPackage file or a database) and stops it when
//! dropped.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Server {
    child: Child,
    pub base: String,
    /// The GeoPackage it serves (empty for a database).
    pub store: PathBuf,
    /// Keeps the temporary directory of [`Server::start`] alive while the server runs.
    dir: Option<tempfile::TempDir>,
}

impl Server {
    /// A server over a new store in a temporary directory: it creates the store from the embedded fixtures.
    pub fn start() -> Server {
        let dir = tempfile::tempdir().expect("temporary directory");
        let store = dir.path().join("landbank.gpkg");
        let mut server = Server::on(&store);
        server.dir = Some(dir);
        server
    }

    /// A server over the given store file.
    pub fn on(store: &Path) -> Server {
        Server::with(store, &[])
    }

    /// A server over the given store file, with more arguments to `serve`.
    pub fn with(store: &Path, args: &[&str]) -> Server {
        let mut server = Server::spawn(&[OsStr::new("--store"), store.as_os_str()], args);
        store.clone_into(&mut server.store);
        server
    }

    /// A server over a PostgreSQL database (`--database-url`), with more arguments to `serve`.
    pub fn with_database(url: &str, args: &[&str]) -> Server {
        Server::spawn(&[OsStr::new("--database-url"), OsStr::new(url)], args)
    }

    fn spawn(store: &[&OsStr], args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_landbank"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(store)
            .args(args)
            .env("LANDBANK_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("landbank starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("landbank prints its address");
        let base = line
            .trim()
            .strip_prefix("landbank listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        Server { child, base, store: PathBuf::new(), dir: None }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Server {
    /// Stops the server as a power cut would: SIGKILL, no chance to flush or clean up.
    pub fn kill_hard(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
