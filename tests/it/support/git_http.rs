//! A git smart-HTTP server on 127.0.0.1: an axum server that runs `git http-backend` as a CGI program, so clients
//! (libgit2, the git CLI) fetch and push over the same protocol as against GitHub.
//!
//! Repositories are served from `root` (`GIT_PROJECT_ROOT`, every repository exported); `http://127.0.0.1:<port>/
//! <path>` serves `<root>/<path>`. Options: demand HTTP basic auth with user `x-access-token` and a token
//! (as GitHub does for HTTPS), and allow pushes (`http.receivepack`). Every request is logged, so a test can count
//! fetches ([`GitServer::upload_packs`]) or pushes ([`GitServer::receive_packs`]).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;

/// Server options.
#[derive(Debug, Clone, Default)]
pub struct GitServerOptions {
    /// Demand `Authorization: Basic base64("x-access-token:<token>")`.
    pub token: Option<String>,
    /// Accept pushes.
    pub allow_push: bool,
}

/// One logged request.
#[derive(Debug, Clone)]
pub struct GitRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub status: u16,
    /// Basic auth was presented and matched.
    pub authorized: bool,
}

struct Inner {
    root: PathBuf,
    backend: PathBuf,
    options: GitServerOptions,
    log: Mutex<Vec<GitRequest>>,
}

/// The server. Dropping it stops it.
pub struct GitServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    inner: Arc<Inner>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for GitServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl GitServer {
    /// Serve `root` anonymously, read-only.
    pub async fn start(root: &Path) -> GitServer {
        GitServer::start_with(root, GitServerOptions::default()).await
    }

    pub async fn start_with(root: &Path, options: GitServerOptions) -> GitServer {
        let exec_path = Command::new("git")
            .arg("--exec-path")
            .output()
            .expect("git is installed");
        let exec_path = String::from_utf8(exec_path.stdout).unwrap();
        let backend = Path::new(exec_path.trim()).join("git-http-backend");
        assert!(backend.exists(), "{} is missing", backend.display());
        let inner = Arc::new(Inner {
            root: root.to_owned(),
            backend,
            options,
            log: Mutex::default(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new()
            .fallback(handle)
            .layer(axum::extract::DefaultBodyLimit::disable())
            .with_state(inner.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        GitServer { url, inner, task }
    }

    /// `http://127.0.0.1:<port>/<path>`.
    pub fn url_for(&self, path: &str) -> String {
        format!("{}/{}", self.url, path.trim_start_matches('/'))
    }

    pub fn requests(&self) -> Vec<GitRequest> {
        self.inner.log.lock().unwrap().clone()
    }

    /// Fetches that got as far as negotiating a pack (`POST …/git-upload-pack`).
    pub fn upload_packs(&self) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/git-upload-pack"))
            .count()
    }

    /// Ref advertisements asked for a fetch (`GET …/info/refs?service=git-upload-pack`), i.e. fetch attempts.
    pub fn fetch_attempts(&self) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.path.ends_with("/info/refs") && r.query.contains("git-upload-pack"))
            .count()
    }

    /// Pushes (`POST …/git-receive-pack`).
    pub fn receive_packs(&self) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/git-receive-pack"))
            .count()
    }
}

/// Standard base64, for the expected basic-auth header.
pub fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let query = uri.query().unwrap_or("").to_owned();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let authorized = match &inner.options.token {
        None => false,
        Some(token) => {
            header("authorization")
                == Some(format!(
                    "Basic {}",
                    base64(format!("x-access-token:{token}").as_bytes())
                ))
        }
    };
    let log = |status: u16| {
        inner.log.lock().unwrap().push(GitRequest {
            method: method.to_string(),
            path: path.clone(),
            query: query.clone(),
            status,
            authorized,
        })
    };
    if inner.options.token.is_some() && !authorized {
        log(401);
        return Response::builder()
            .status(401)
            .header("www-authenticate", "Basic realm=\"keepopen test git\"")
            .body(Body::from("authentication required\n"))
            .unwrap();
    }
    if path.split('/').any(|s| s == "..") {
        log(403);
        return Response::builder().status(403).body(Body::empty()).unwrap();
    }
    let mut command = Command::new(&inner.backend);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GIT_PROJECT_ROOT", &inner.root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("PATH_INFO", &path)
        .env("QUERY_STRING", &query)
        .env("REQUEST_METHOD", method.as_str())
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1")
        .env("GATEWAY_INTERFACE", "CGI/1.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(v) = header("content-type") {
        command.env("CONTENT_TYPE", v);
    }
    if let Some(v) = header("content-encoding") {
        command.env("HTTP_CONTENT_ENCODING", v);
    }
    if let Some(v) = header("git-protocol") {
        command.env("HTTP_GIT_PROTOCOL", v);
    }
    if authorized {
        command.env("REMOTE_USER", "x-access-token");
    }
    if inner.options.allow_push {
        command
            .env("GIT_CONFIG_COUNT", "1")
            .env("GIT_CONFIG_KEY_0", "http.receivepack")
            .env("GIT_CONFIG_VALUE_0", "true");
    }
    let output = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<u8>> {
        let mut child = command.spawn()?;
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&body);
        });
        let mut stdout = Vec::new();
        child.stdout.take().unwrap().read_to_end(&mut stdout)?;
        let mut stderr = Vec::new();
        let _ = child.stderr.take().unwrap().read_to_end(&mut stderr);
        let _ = writer.join();
        child.wait()?;
        Ok(stdout)
    })
    .await
    .unwrap();
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            log(500);
            return Response::builder()
                .status(500)
                .body(Body::from(e.to_string()))
                .unwrap();
        }
    };
    // CGI output: headers, a blank line, the body.
    let split = output
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| {
            output
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, i + 2))
        });
    let Some((head_end, body_start)) = split else {
        log(502);
        return Response::builder()
            .status(502)
            .body(Body::from("bad CGI output"))
            .unwrap();
    };
    let head = String::from_utf8_lossy(&output[..head_end]).into_owned();
    let mut status = 200u16;
    let mut builder = Response::builder();
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            status = value
                .split_whitespace()
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(500);
        } else {
            builder = builder.header(name.trim(), value);
        }
    }
    log(status);
    builder
        .status(StatusCode::from_u16(status).unwrap())
        .body(Body::from(output[body_start..].to_vec()))
        .unwrap()
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_matches_known_values() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(
            super::base64(b"x-access-token:abc"),
            "eC1hY2Nlc3MtdG9rZW46YWJj"
        );
    }
}
