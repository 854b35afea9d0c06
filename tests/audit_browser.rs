//! The `kd audit` report in a real browser (Debian's headless Chromium, which `cargo xtask test`
//! installs): it loads with no console message and makes no network request, every section is
//! there, the figures in the page are those of audit.json, a screenshot is not blank, and it
//! prints to PDF with a page per section.
//!
//! Why Chromium's own flags and not a DevTools client (such as the headless_chrome crate): the
//! page has no script and carries a Content-Security-Policy of `default-src 'none'`, so the
//! browser itself refuses any request the page could make and logs the refusal as a console
//! message (`--enable-logging=stderr`), and Chromium's net log (`--log-net-log`) records every
//! request with the site that made it. Those two, with `--dump-dom`, `--screenshot` and
//! `--print-to-pdf`, check everything asked without a WebSocket client, an async runtime and
//! their dependencies in the build. A control page that breaks each rule shows the checks bite.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests may panic

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn chromium() -> String {
    let found = std::env::var("KD_CHROMIUM").ok().or_else(|| {
        ["chromium", "chromium-browser"]
            .into_iter()
            .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
            .map(str::to_owned)
    });
    found.expect(
        "the browser test needs Chromium: run it with `cargo xtask test`, which installs Debian's chromium",
    )
}

/// What the browser saw of a page.
struct Visit {
    dom: String,
    console: Vec<String>,
    page_requests: Vec<String>,
}

/// Chromium with no background traffic of its own leaving the machine (every host name
/// resolves to nothing) and a fresh profile.
fn browser(dir: &Path) -> Command {
    let mut c = Command::new(chromium());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", dir.join("profile").display()));
    c
}

fn visit(page: &Path, dir: &Path) -> Visit {
    let net = dir.join("net.json");
    let out = browser(dir)
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
        .arg(format!("--log-net-log={}", net.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    // The page's own requests carry its site (file://) in their network isolation key; the
    // browser's background requests do not.
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&net).unwrap()).unwrap();
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_u64().unwrap();
    let page_requests = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter(|e| e["params"]["network_isolation_key"].as_str().is_some_and(|k| k.contains("file://")))
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_owned))
        .collect();
    Visit { dom: String::from_utf8_lossy(&out.stdout).into_owned(), console, page_requests }
}

/// The `(key, value, text)` of every `<span class="fig">` in the page.
fn figures(dom: &str) -> Vec<(String, f64, String)> {
    let attr = |tag: &str, name: &str| {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        Some(tag[start..].split('"').next()?.to_owned())
    };
    dom.split("<span class=\"fig\"")
        .skip(1)
        .filter_map(|rest| {
            let (tag, after) = rest.split_once('>')?;
            let text = after.split("</span>").next()?.to_owned();
            Some((attr(tag, "data-key")?, attr(tag, "data-value")?.parse().ok()?, text))
        })
        .collect()
}

fn report(dir: &Path) -> PathBuf {
    let golden = common::root().join("tests/golden/validation");
    let spec = dir.join("audit.toml");
    std::fs::write(
        &spec,
        format!(
            "[data]\ndevelopment = \"{}\"\ncurrent = \"{}\"\ntarget = \"default\"\ngrade = \"grade\"\nexclude = [\"challenger\"]\n\
             [model]\nteacher = \"column:pd\"\n[comparison]\nbootstrap = 10\n[gam]\nmax_rounds = 300\nouter_bags = 2\n",
            golden.join("german_pd_baseline.csv").display(),
            golden.join("german_pd_current.csv").display()
        ),
    )
    .unwrap();
    let out = dir.join("report");
    let run = common::kd(&["audit", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    out
}

#[test]
fn the_checks_catch_a_page_that_calls_out_or_logs() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("control.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><head><title>control</title></head><body><img src=\"http://127.0.0.1:9/probe.png\">\
         <script>console.error('control')</script></body></html>",
    )
    .unwrap();
    let seen = visit(&page, dir.path());
    assert!(seen.page_requests.iter().any(|u| u.contains("127.0.0.1:9")), "{:?}", seen.page_requests);
    assert!(seen.console.iter().any(|l| l.contains("control")), "{:?}", seen.console);
    // With the report's policy the same image is refused before any request, and says so.
    let strict = dir.path().join("strict.html");
    std::fs::write(
        &strict,
        format!(
            "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"{}\"><title>s</title></head>\
             <body><img src=\"http://127.0.0.1:9/probe.png\"></body></html>",
            kd::audit::html::CONTENT_SECURITY_POLICY
        ),
    )
    .unwrap();
    let seen = visit(&strict, dir.path());
    assert!(seen.page_requests.is_empty(), "{:?}", seen.page_requests);
    assert!(seen.console.iter().any(|l| l.contains("Content Security Policy")), "{:?}", seen.console);
}

#[test]
fn the_report_loads_quietly_offline_with_every_section_and_the_json_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = report(dir.path());
    let page = out.join("report.html");
    let seen = visit(&page, dir.path());
    assert!(seen.console.is_empty(), "console messages: {:?}", seen.console);
    assert!(seen.page_requests.is_empty(), "network requests: {:?}", seen.page_requests);
    for id in
        ["summary", "data", "performance", "explanation", "comparison", "regression", "methods", "provenance"]
    {
        assert!(seen.dom.contains(&format!("<section id=\"{id}\">")), "section {id} missing");
    }
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("audit.json")).unwrap()).unwrap();
    let shown = figures(&seen.dom);
    let findings = json["findings"].as_array().unwrap();
    let mut checked = 0;
    for f in findings {
        let Some(value) = f["value"].as_f64() else { continue };
        let key = f["key"].as_str().unwrap();
        let on_page: Vec<_> = shown.iter().filter(|(k, _, _)| k == key).collect();
        assert!(!on_page.is_empty(), "finding {key} has no figure in the page");
        for (_, v, text) in on_page {
            assert_eq!(*v, value, "{key}: the page's value differs from audit.json's");
            assert_eq!(text, &kd::audit::html::number(value), "{key}: the page shows another figure");
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} figures checked");
    let auroc = json["performance"]["development"]["discrimination"]["auroc"]["value"].as_f64().unwrap();
    assert!(shown.iter().any(|(k, v, _)| k == "performance.auroc.development" && *v == auroc));
}

#[test]
fn the_report_draws_something_and_prints_a_page_per_section() {
    let dir = tempfile::tempdir().unwrap();
    let out = report(dir.path());
    let url = format!("file://{}", out.join("report.html").display());
    let shot = dir.path().join("shot.png");
    let run = browser(dir.path())
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1280,2400")
        .arg(&url)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let n = (info.width * info.height) as usize;
    let inked =
        pixels[..n * channels].chunks(channels).filter(|p| p.iter().take(3).any(|&c| c < 200)).count();
    let colours: std::collections::BTreeSet<&[u8]> = pixels[..n * channels].chunks(channels).collect();
    assert!(inked as f64 / n as f64 > 0.02, "the screenshot is nearly blank ({inked} of {n} pixels inked)");
    assert!(colours.len() > 50, "the screenshot has only {} colours", colours.len());

    let pdf = dir.path().join("report.pdf");
    let run = browser(dir.path())
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg("--no-pdf-header-footer")
        .arg(&url)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!(pages >= 8, "the PDF has {pages} pages; each of the 7 sections after the summary starts a page");
}
