//! `vlr serve`: `vlr watch` with the web edition, and the site served on 127.0.0.1 for a
//! browser that reloads itself after each good rebuild.
//!
//! The server is for the person editing, on their own machine: it listens on the loopback
//! address only, serves the files of `<out>/web` and nothing outside it, and adds to each HTML
//! page it sends a few lines of script that ask `/.vlr/build` once a second and reload the page
//! when the number there has changed. The site on disk stays free of script.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use vlr::Edition;

use crate::args::ServeCommand;
use crate::build::options;
use crate::report;

/// Where a page asks for the number of the last good build.
const BUILD_URL: &str = "/.vlr/build";

/// Added before `</body>` of every page served.
const RELOAD: &str = "<script>/* vlr serve: reload after a rebuild */(() => { let seen = null; \
setInterval(async () => { try { const n = await (await fetch('/.vlr/build', { cache: 'no-store' })).text(); \
if (seen !== null && n !== seen) location.reload(); seen = n; } catch (e) {} }, 1000); })();</script>";

pub fn serve(command: &ServeCommand) -> ExitCode {
    let mut opts = match options(&command.common) {
        Ok(o) => o,
        Err(code) => return code,
    };
    opts.out_dir = command.out.clone();
    opts.editions = command.edition.editions();
    if !opts.editions.contains(&Edition::Web) {
        opts.editions.push(Edition::Web);
    }
    let site = opts.site_dir();
    let format = command.common.format;
    let listener = match TcpListener::bind(("127.0.0.1", command.port)) {
        Ok(l) => l,
        Err(e) => {
            let mut diags = vlr::Diagnostics::default();
            diags.push(
                vlr::Diagnostic::error(vlr::Code::Serve, format!("cannot listen on 127.0.0.1:{}: {e}", command.port))
                    .hint("another program uses the port: choose another with --port (0: any free port)"),
            );
            report::diagnostics(&diags, format);
            return ExitCode::from(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(command.port);
    let builds = Arc::new(AtomicU64::new(0));
    {
        let builds = Arc::clone(&builds);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (site, builds) = (site.clone(), Arc::clone(&builds));
                std::thread::spawn(move || {
                    let _ = answer(stream, &site, &builds);
                });
            }
        });
    }
    eprintln!("serving the web edition at http://127.0.0.1:{port}/ (Ctrl-C stops)");
    let stopped = vlr::watch(opts, |outcome, line| {
        // Counted before it is told: whoever reads the line finds the new number served.
        if outcome.ok() {
            builds.fetch_add(1, Ordering::SeqCst);
        }
        report::diagnostics(&outcome.diags, format);
        eprintln!("{line}");
    });
    report::diagnostics(&stopped.diags, format);
    ExitCode::from(stopped.exit_code())
}

/// Reads one request and answers it: a file of the site, the build number, or an error.
fn answer(stream: TcpStream, site: &Path, builds: &AtomicU64) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // The headers say nothing the answer depends on.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let head = method == "HEAD";
    if method != "GET" && !head {
        return respond(stream, "405 Method Not Allowed", "text/plain; charset=utf-8", b"only GET and HEAD\n", head);
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    if path == BUILD_URL {
        let n = builds.load(Ordering::SeqCst).to_string();
        return respond(stream, "200 OK", "text/plain; charset=utf-8", n.as_bytes(), head);
    }
    let Some(file) = file_for(site, path) else {
        return respond(stream, "404 Not Found", "text/plain; charset=utf-8", b"not a file of the site\n", head);
    };
    match std::fs::read(&file) {
        Ok(bytes) => {
            let kind = content_type(&file);
            if kind.starts_with("text/html") {
                respond(stream, "200 OK", kind, &with_reload(&bytes), head)
            } else {
                respond(stream, "200 OK", kind, &bytes, head)
            }
        }
        Err(_) => respond(stream, "404 Not Found", "text/plain; charset=utf-8", b"not a file of the site\n", head),
    }
}

/// The file a URL path names under `site`: percent-decoded, a folder's `index.html`, and never
/// anything outside `site` (no `..`, no absolute part).
fn file_for(site: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut file = site.to_path_buf();
    for c in Path::new(decoded.trim_start_matches('/')).components() {
        match c {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    (!text.contains(['\0', '\\'])).then_some(text)
}

fn with_reload(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{RELOAD}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{RELOAD}").into_bytes(),
    }
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(mut stream: TcpStream, status: &str, kind: &str, body: &[u8], head: bool) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_map_to_files_inside_the_site_only() {
        let site = std::env::temp_dir().join(format!("vlr-serve-{}", std::process::id()));
        std::fs::create_dir_all(site.join("en")).unwrap();
        std::fs::write(site.join("index.html"), "<body>top</body>").unwrap();
        std::fs::write(site.join("en/a b.html"), "x").unwrap();
        std::fs::write(site.join("../vlr-serve-secret"), "no").unwrap();
        assert_eq!(file_for(&site, "/"), Some(site.join("index.html")));
        assert_eq!(file_for(&site, "/en/a%20b.html"), Some(site.join("en/a b.html")));
        for outside in
            ["/../vlr-serve-secret", "/en/../../vlr-serve-secret", "/%2e%2e/vlr-serve-secret", "/en/missing.html"]
        {
            assert_eq!(file_for(&site, outside), None, "{outside}");
        }
        assert!(String::from_utf8(with_reload(b"<body>top</body>")).unwrap().ends_with("</script></body>"));
        let _ = std::fs::remove_dir_all(&site);
        let _ = std::fs::remove_file(std::env::temp_dir().join("vlr-serve-secret"));
    }
}
