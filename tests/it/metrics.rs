//! An operator watches Sésame with Prometheus: `sesame serve --metrics-listen` serves
//! `/metrics` on an address of its own, `--metrics-token-file` also on the main address behind
//! a bearer token, and without either there is no `/metrics` at all. The real binary serves
//! sign-ins (right, wrong, throttled), reads, an invitation that cannot leave (the SMTP server
//! is down) and imports; each scrape is parsed by Python's `prometheus_client` — the classic
//! text format by its Prometheus parser, OpenMetrics (what Prometheus asks for) by its strict
//! OpenMetrics parser — and the figures are those of what was done. No login, token, password
//! or id appears in them. A second instance on the same database reports the same outbox.

use crate::cli::{init_org, invite_zoe, my_id, serve_with, sign_in_at, stop};
use crate::harness::{ADMIN_PASSWORD, Db, Server, SmtpSink, python};
use crate::nginx::free_port;
use crate::on_every_database;
use serde_json::Value;
use std::collections::HashMap;

/// A login nobody has, tried with wrong passwords: it must never show in the metrics.
const STRANGER: &str = "intrus.inconnu";
const METRICS_TOKEN: &str = "metrics-token-0123456789-abcdefghij";

/// One scrape, parsed by `prometheus_client`: each sample's name and labels, and its value.
struct Scrape {
    text: String,
    samples: Vec<(String, HashMap<String, String>, f64)>,
    /// Each family's type, as the parser read it.
    types: HashMap<String, String>,
}

impl Scrape {
    /// The value of the sample `name` whose labels include `labels`; 0 when absent (a counter
    /// not yet touched).
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.samples
            .iter()
            .filter(|(n, l, _)| {
                n == name
                    && labels
                        .iter()
                        .all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v))
            })
            .map(|(_, _, v)| *v)
            .sum()
    }
}

/// Parses `text` with the parser of `format` (`prometheus` or `openmetrics`); a parse error
/// fails the test.
fn parse(text: &str, format: &str) -> Scrape {
    let script = r#"
import json, sys
from prometheus_client.parser import text_string_to_metric_families as classic
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
text = sys.stdin.read()
parse = classic if sys.argv[1] == "prometheus" else openmetrics
samples, types = [], {}
for family in parse(text):
    types[family.name] = family.type
    for s in family.samples:
        samples.append([s.name, s.labels, s.value])
print(json.dumps({"samples": samples, "types": types}))
"#;
    let mut child = std::process::Command::new(python())
        .args(["-c", script, format])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run python");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(text.as_bytes()).expect("write");
    }
    let out = child.wait_with_output().expect("python");
    assert!(
        out.status.success(),
        "prometheus_client could not parse the {format} scrape: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Value = serde_json::from_slice(&out.stdout).expect("json");
    let samples = parsed["samples"]
        .as_array()
        .expect("samples")
        .iter()
        .map(|s| {
            let labels = s[1]
                .as_object()
                .expect("labels")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect();
            (
                s[0].as_str().expect("name").to_string(),
                labels,
                s[2].as_f64().expect("value"),
            )
        })
        .collect();
    let types = parsed["types"]
        .as_object()
        .expect("types")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
        .collect();
    Scrape {
        text: text.to_string(),
        samples,
        types,
    }
}

/// Scrapes `url`, in OpenMetrics when `openmetrics` (as Prometheus asks), else in the
/// classic format; `token` as a bearer token.
async fn scrape(
    http: &reqwest::Client,
    url: &str,
    openmetrics: bool,
    token: Option<&str>,
) -> Scrape {
    let mut req = http.get(url);
    if openmetrics {
        req = req.header(
            "Accept",
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5",
        );
    }
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.expect("scrape");
    assert_eq!(r.status(), 200, "{url}");
    let content_type = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = r.text().await.expect("text");
    if openmetrics {
        assert!(
            content_type.starts_with("application/openmetrics-text; version=1.0.0"),
            "{content_type}"
        );
        parse(&text, "openmetrics")
    } else {
        assert!(
            content_type.starts_with("text/plain; version=0.0.4"),
            "{content_type}"
        );
        parse(&text, "prometheus")
    }
}

async fn upload(http: &reqwest::Client, base: &str, token: &str, csv: &str) -> u16 {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("membres.csv"),
    );
    http.post(format!("{base}/api/v1/imports"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload")
        .status()
        .as_u16()
}

async fn an_operator_scrapes_what_happened(db: &Db) {
    let dir = init_org(
        db,
        "en",
        "Les Lucioles",
        "generic",
        "admin@lucioles.example",
        ADMIN_PASSWORD,
    );
    let token_file = dir.path().join("metrics-token");
    std::fs::write(&token_file, format!("{METRICS_TOKEN}\n")).expect("token file");
    // Invitations wait: the SMTP server is down.
    let smtp = SmtpSink::down();
    let smtp_url = smtp.url();
    let metrics_port = free_port();
    let metrics_at = format!("127.0.0.1:{metrics_port}");
    let (child, base, _log) = serve_with(
        db,
        dir.path(),
        &[
            "--smtp-url",
            &smtp_url,
            "--metrics-listen",
            &metrics_at,
            "--metrics-token-file",
            token_file.to_str().expect("path"),
        ],
    );
    let http = reqwest::Client::new();
    let metrics_url = format!("http://{metrics_at}/metrics");
    let before = scrape(&http, &metrics_url, false, None).await;

    // One right sign-in, then wrong passwords for a stranger until the throttle answers.
    let (status, signed) = sign_in_at(&http, &base, "admin", ADMIN_PASSWORD).await;
    assert_eq!(status, 200, "{signed}");
    let admin = signed["token"].as_str().expect("token").to_string();
    let (mut failed, mut throttled) = (0.0, 0.0);
    for _ in 0..12 {
        match sign_in_at(&http, &base, STRANGER, "au hasard").await.0 {
            401 => failed += 1.0,
            429 => {
                throttled += 1.0;
                break;
            }
            other => panic!("a wrong password answered {other}"),
        }
    }
    assert!(failed >= 1.0 && throttled == 1.0, "{failed} {throttled}");
    // Reads of one person, by id.
    let admin_id = my_id(&http, &base, &admin).await;
    for _ in 0..3 {
        let r = http
            .get(format!("{base}/api/v1/users/{admin_id}"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("read");
        assert_eq!(r.status(), 200);
    }
    // An invitation, queued for good while the SMTP server is down.
    invite_zoe(&http, &base, &admin).await;
    // Two imports: two new members written; a file with a wrong address refused whole.
    let good = "Courriel;Prénom;Nom;Rôles\nluc@lucioles.example;Luc;Petit;Membre\nines@lucioles.example;Inès;Grand;Membre\n";
    assert_eq!(upload(&http, &base, &admin, good).await, 200);
    let bad = "Courriel;Prénom;Nom;Rôles\npas-une-adresse;Léa;Roux;Membre\n";
    assert_eq!(upload(&http, &base, &admin, bad).await, 200);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    let after = scrape(&http, &metrics_url, false, None).await;
    let delta = |name: &str, labels: &[(&str, &str)]| {
        after.value(name, labels) - before.value(name, labels)
    };
    assert_eq!(after.types["sesame_sign_ins"], "counter");
    assert_eq!(
        after.types["sesame_http_request_duration_seconds"],
        "histogram"
    );
    assert_eq!(
        delta("sesame_sign_ins_total", &[("outcome", "succeeded")]),
        1.0
    );
    assert_eq!(
        delta("sesame_sign_ins_total", &[("outcome", "failed")]),
        failed
    );
    assert_eq!(
        delta("sesame_sign_ins_total", &[("outcome", "throttled")]),
        throttled
    );
    // Requests by route template and status, with their latency.
    let read = [
        ("method", "GET"),
        ("route", "/api/v1/users/{id}"),
        ("status", "200"),
    ];
    assert_eq!(delta("sesame_http_requests_total", &read), 3.0);
    let sign_ins = [("method", "POST"), ("route", "/api/v1/auth/login")];
    assert_eq!(
        delta(
            "sesame_http_requests_total",
            &[sign_ins[0], sign_ins[1], ("status", "401")]
        ),
        failed
    );
    assert_eq!(
        delta(
            "sesame_http_requests_total",
            &[sign_ins[0], sign_ins[1], ("status", "429")]
        ),
        throttled
    );
    let route = [("method", "GET"), ("route", "/api/v1/users/{id}")];
    assert_eq!(
        delta("sesame_http_request_duration_seconds_count", &route),
        3.0
    );
    assert_eq!(
        delta(
            "sesame_http_request_duration_seconds_bucket",
            &[route[0], route[1], ("le", "+Inf")]
        ),
        3.0
    );
    assert!(delta("sesame_http_request_duration_seconds_sum", &route) > 0.0);
    // The outbox, from the database: what the outbox page lists (the invitation, and the
    // administrators' alert of a blocked sign-in) waits, for a second or more.
    let outbox: Value = http
        .get(format!("{base}/api/v1/outbox?state=queued"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("outbox")
        .json()
        .await
        .expect("json");
    let queued = outbox["items"].as_array().expect("items").len() as f64;
    assert!(queued >= 1.0, "{outbox}");
    assert_eq!(after.value("sesame_emails", &[("state", "queued")]), queued);
    assert_eq!(after.value("sesame_emails", &[("state", "sent")]), 0.0);
    let age = after.value("sesame_emails_oldest_queued_age_seconds", &[]);
    assert!((1.0..120.0).contains(&age), "{age}");
    assert_eq!(after.value("sesame_database_up", &[]), 1.0);
    // Imports and their rows.
    assert_eq!(
        delta("sesame_imports_total", &[("outcome", "applied")]),
        1.0
    );
    assert_eq!(
        delta("sesame_imports_total", &[("outcome", "refused")]),
        1.0
    );
    assert_eq!(
        delta("sesame_import_rows_total", &[("outcome", "created")]),
        2.0
    );
    // The pools.
    let open = after.value("sesame_database_pool_connections", &[]);
    let idle = after.value("sesame_database_pool_idle", &[]);
    let max = after.value("sesame_database_pool_max", &[]);
    assert!(
        open >= 1.0 && idle <= open && open <= max,
        "{open} {idle} {max}"
    );
    assert_eq!(after.value("sesame_password_hash_running", &[]), 0.0);
    assert_eq!(after.value("sesame_password_hash_waiting", &[]), 0.0);
    assert!(after.types.contains_key("sesame_password_hash_turned_away"));
    // Nothing personal or secret.
    for secret in [
        STRANGER,
        "zoe",
        "admin@",
        admin_id.as_str(),
        admin.as_str(),
        ADMIN_PASSWORD,
        METRICS_TOKEN,
    ] {
        assert!(
            !after.text.contains(secret),
            "{secret} in the metrics:\n{}",
            after.text
        );
    }

    // Prometheus asks for OpenMetrics: the same figures, parsed strictly.
    let open_metrics = scrape(&http, &metrics_url, true, None).await;
    assert!(open_metrics.text.ends_with("# EOF\n"));
    assert_eq!(open_metrics.types["sesame_sign_ins"], "counter");
    assert_eq!(
        open_metrics.value("sesame_sign_ins_total", &[("outcome", "throttled")]),
        after.value("sesame_sign_ins_total", &[("outcome", "throttled")])
    );

    // On the main address, only with the token.
    let main = format!("{base}/metrics");
    for (token, status) in [(None, 401), (Some("wrong-token"), 401)] {
        let mut req = http.get(&main);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.expect("scrape");
        assert_eq!(r.status().as_u16(), status, "{token:?}");
        let body = r.text().await.unwrap_or_default();
        assert!(!body.contains("sesame_sign_ins"), "{body}");
    }
    let with_token = scrape(&http, &main, true, Some(METRICS_TOKEN)).await;
    assert!(with_token.value("sesame_sign_ins_total", &[("outcome", "failed")]) >= failed);

    // A second instance on the same database reports the same outbox, read from it.
    let second_port = free_port();
    let second_at = format!("127.0.0.1:{second_port}");
    let (second, _, _) = serve_with(
        db,
        dir.path(),
        &["--smtp-url", &smtp_url, "--metrics-listen", &second_at],
    );
    let other = scrape(&http, &format!("http://{second_at}/metrics"), false, None).await;
    assert_eq!(other.value("sesame_emails", &[("state", "queued")]), queued);
    assert!(other.value("sesame_emails_oldest_queued_age_seconds", &[]) >= age);
    // Its own counters start at nothing.
    assert_eq!(
        other.value("sesame_sign_ins_total", &[("outcome", "failed")]),
        0.0
    );
    stop(second);
    stop(child);
}
on_every_database!(
    an_operator_scrapes_what_happened_on_every_database,
    an_operator_scrapes_what_happened
);

/// Without `--metrics-listen` or `--metrics-token-file`, `/metrics` does not exist: 404, as
/// any unknown path, token or not.
async fn no_metrics_without_asking(db: &Db) {
    let s = Server::start(db).await;
    for token in [None, Some(METRICS_TOKEN)] {
        let mut req = s.http.get(format!("{}/metrics", s.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.expect("get");
        assert_eq!(r.status().as_u16(), 404);
    }
    s.stop().await;
}
on_every_database!(
    no_metrics_without_asking_on_every_database,
    no_metrics_without_asking
);
