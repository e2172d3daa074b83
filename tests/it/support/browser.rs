//! Headless Chromium for tests of the status page: find the browser (or fail with how to install it), dump the
//! DOM after the page's scripts ran, take a screenshot; and a loopback static file server, as GitHub Pages
//! would serve the site.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The Chromium binary. Panics with an install hint when there is none: the browser test is never skipped.
pub fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("KEEPOPEN_CHROMIUM") {
        return PathBuf::from(path);
    }
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        if let Some(path) = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
        {
            return path;
        }
    }
    panic!(
        "headless Chromium is needed for the status page test and was not found on PATH\n\
         help: `sudo apt-get install chromium` (Debian/Ubuntu; .ci/run does this), or set KEEPOPEN_CHROMIUM to a Chrome binary"
    );
}

/// Run Chromium headless with `args` then `url`; returns stdout. Fails the test after 90 s.
fn run(args: &[String], url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s on {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "chromium failed on {url}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The DOM of `url` after its scripts ran.
pub fn dump_dom(url: &str) -> String {
    run(
        &["--virtual-time-budget=5000".into(), "--dump-dom".into()],
        url,
    )
}

/// A PNG screenshot of `url` at `width`×`height`, written to `path`.
pub fn screenshot(url: &str, path: &Path, width: u32, height: u32) {
    run(
        &[
            "--virtual-time-budget=5000".into(),
            format!("--screenshot={}", path.display()),
            format!("--window-size={width},{height}"),
        ],
        url,
    );
    assert!(
        path.is_file(),
        "no screenshot written to {}",
        path.display()
    );
}

/// Width and height from a PNG's IHDR chunk; panics if `bytes` is not a PNG.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.len() > 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR",
        "not a PNG"
    );
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

/// A static file server for `root` on 127.0.0.1 (an ephemeral port), on its own thread and runtime.
pub struct StaticServer {
    pub addr: SocketAddr,
}

impl StaticServer {
    pub fn start(root: &Path) -> StaticServer {
        use axum::extract::{Path as UrlPath, State};
        use axum::http::{StatusCode, header};
        use axum::response::IntoResponse;

        async fn file(
            State(root): State<PathBuf>,
            path: Option<UrlPath<String>>,
        ) -> axum::response::Response {
            let relative = path.map(|p| p.0).unwrap_or_default();
            let relative = if relative.is_empty() || relative.ends_with('/') {
                format!("{relative}index.html")
            } else {
                relative
            };
            if relative.split('/').any(|s| s == "..") {
                return StatusCode::FORBIDDEN.into_response();
            }
            match std::fs::read(root.join(&relative)) {
                Ok(bytes) => {
                    let kind = match relative.rsplit('.').next() {
                        Some("html") => "text/html; charset=utf-8",
                        Some("json") => "application/json",
                        _ => "application/octet-stream",
                    };
                    ([(header::CONTENT_TYPE, kind)], bytes).into_response()
                }
                Err(_) => StatusCode::NOT_FOUND.into_response(),
            }
        }

        let root = root.to_owned();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let app = axum::Router::new()
                    .route("/", axum::routing::get(file))
                    .route("/{*path}", axum::routing::get(file))
                    .with_state(root);
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        });
        StaticServer { addr }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }
}
