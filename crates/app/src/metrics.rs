//! What `/metrics` reports, in Prometheus' text formats — OpenMetrics 1.0 for scrapers that ask
//! for it (Prometheus does), the classic text format 0.0.4 for the others ([`Format`]):
//! requests by route and status with their latency, sign-ins by outcome, the password-hashing
//! pool, the outbox, the imports and the database pool.
//!
//! Counted here, as they happen, on this instance: requests (recorded by the server),
//! sign-ins, imports. Read at each scrape: the hashing pool and the database pool (this
//! instance's), and the outbox — from the database, so that every instance on one PostgreSQL
//! reports the same, true figures, whichever of them delivered the messages.
//!
//! The crate is `prometheus-client`, the Prometheus project's own Rust client: four small
//! dependencies (two already in the tree) and no HTTP server of its own, where `metrics` +
//! `metrics-exporter-prometheus` bring a recorder, a bucket sketch and a listener we would not
//! use. The server serves what [`render`] writes.
//!
//! No label ever carries a person, a login, a token or a path with ids: routes are the router's
//! templates (`/api/v1/users/{id}`), outcomes are fixed words.

use crate::App;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The latency buckets of requests, in seconds: a bearer-token read answers in well under a
/// millisecond, a sign-in in 15–30 ms (Argon2id), an import in seconds.
const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabel {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: &'static str,
}

type Histograms = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The metrics of one instance. Cheap to clone (shared).
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Histograms,
    sign_ins: Family<OutcomeLabel, Counter>,
    imports: Family<OutcomeLabel, Counter>,
    import_rows: Family<OutcomeLabel, Counter>,
    hash_waiting: Gauge,
    hash_running: Gauge,
    hash_turned_away: Counter,
    emails: Family<StateLabel, Gauge>,
    oldest_email_age: Gauge<f64, AtomicU64>,
    database_up: Gauge,
    pool_size: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
}

/// How a sign-in attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    /// A session was opened (password, passkey or the code step).
    Succeeded,
    /// Wrong password, code or passkey, disabled account, unknown login or organisation.
    Failed,
    /// Turned away by the sign-in throttle before any check.
    Throttled,
}

/// How an import ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportEnd {
    /// Rows were written.
    Applied,
    /// Checked only, as asked.
    DryRun,
    /// Nothing written: the file or a row was wrong.
    Refused,
    /// An error stopped it (the database, the disk).
    Failed,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("sesame");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        let latency: Histograms =
            Family::new_with_constructor(|| Histogram::new(LATENCY_BUCKETS.iter().copied()));
        registry.register_with_unit(
            "http_request_duration",
            "Time to answer an HTTP request (until the response's head), by method and route template",
            Unit::Seconds,
            latency.clone(),
        );
        let sign_ins = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "sign_ins",
            "Sign-in attempts by outcome: succeeded, failed, throttled",
            sign_ins.clone(),
        );
        let imports = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "imports",
            "Imports run by this instance, by outcome: applied, dry_run, refused, failed",
            imports.clone(),
        );
        let import_rows = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "import_rows",
            "Rows of applied imports, by outcome: created, updated, unchanged, invalid (skipped)",
            import_rows.clone(),
        );
        let hash_waiting = Gauge::default();
        registry.register(
            "password_hash_waiting",
            "Password checks admitted to the hashing pool and not yet hashing",
            hash_waiting.clone(),
        );
        let hash_running = Gauge::default();
        registry.register(
            "password_hash_running",
            "Password hashes being computed now",
            hash_running.clone(),
        );
        let hash_turned_away = Counter::default();
        registry.register(
            "password_hash_turned_away",
            "Password checks turned away (503) because the hashing pool was full",
            hash_turned_away.clone(),
        );
        let emails = Family::<StateLabel, Gauge>::default();
        registry.register(
            "emails",
            "E-mails in the outbox of every organisation, by state: queued, sent, failed",
            emails.clone(),
        );
        let oldest_email_age = Gauge::<f64, AtomicU64>::default();
        registry.register_with_unit(
            "emails_oldest_queued_age",
            "Age of the oldest e-mail still queued (0 when none waits)",
            Unit::Seconds,
            oldest_email_age.clone(),
        );
        let database_up = Gauge::default();
        registry.register(
            "database_up",
            "Whether the database answered this scrape's reading of the outbox (1) or not (0)",
            database_up.clone(),
        );
        let pool_size = Gauge::default();
        registry.register(
            "database_pool_connections",
            "Connections open in this instance's database pool",
            pool_size.clone(),
        );
        let pool_idle = Gauge::default();
        registry.register(
            "database_pool_idle",
            "Open connections of the pool not in use",
            pool_idle.clone(),
        );
        let pool_max = Gauge::default();
        registry.register(
            "database_pool_max",
            "Connections the pool may open at most",
            pool_max.clone(),
        );
        Self(Arc::new(Inner {
            registry,
            requests,
            latency,
            sign_ins,
            imports,
            import_rows,
            hash_waiting,
            hash_running,
            hash_turned_away,
            emails,
            oldest_email_age,
            database_up,
            pool_size,
            pool_idle,
            pool_max,
        }))
    }

    /// One HTTP request answered. `route` is the router's template (`/users/{id}`), never the
    /// path; `None` for a request no route matched.
    pub fn request(&self, method: &str, route: Option<&str>, status: u16, seconds: f64) {
        // Known methods only: a label's values must stay few.
        let method = match method {
            "GET" => "GET",
            "HEAD" => "HEAD",
            "POST" => "POST",
            "PUT" => "PUT",
            "PATCH" => "PATCH",
            "DELETE" => "DELETE",
            "OPTIONS" => "OPTIONS",
            _ => "other",
        };
        let route = route.unwrap_or("(unmatched)").to_string();
        self.0
            .latency
            .get_or_create(&RouteLabels {
                method,
                route: route.clone(),
            })
            .observe(seconds);
        self.0
            .requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .inc();
    }

    pub fn sign_in(&self, outcome: SignIn) {
        let outcome = match outcome {
            SignIn::Succeeded => "succeeded",
            SignIn::Failed => "failed",
            SignIn::Throttled => "throttled",
        };
        self.0
            .sign_ins
            .get_or_create(&OutcomeLabel { outcome })
            .inc();
    }

    /// An import ended; `summary` when it ran to its end.
    pub fn import(&self, end: ImportEnd, summary: Option<&crate::import::Summary>) {
        let outcome = match end {
            ImportEnd::Applied => "applied",
            ImportEnd::DryRun => "dry_run",
            ImportEnd::Refused => "refused",
            ImportEnd::Failed => "failed",
        };
        self.0
            .imports
            .get_or_create(&OutcomeLabel { outcome })
            .inc();
        if let (ImportEnd::Applied, Some(s)) = (end, summary) {
            for (outcome, n) in [
                ("created", s.created),
                ("updated", s.updated),
                ("unchanged", s.unchanged),
                ("invalid", s.invalid),
            ] {
                self.0
                    .import_rows
                    .get_or_create(&OutcomeLabel { outcome })
                    .inc_by(n as u64);
            }
        }
    }
}

/// The two text formats of a scrape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `application/openmetrics-text; version=1.0.0`: what `prometheus-client` writes.
    OpenMetrics,
    /// `text/plain; version=0.0.4`, for scrapers that do not ask for OpenMetrics.
    Prometheus,
}

impl Format {
    /// The format a scraper asks for in its `Accept` header: OpenMetrics when it names it.
    pub fn asked(accept: Option<&str>) -> Self {
        match accept {
            Some(a) if a.contains("application/openmetrics-text") => Format::OpenMetrics,
            _ => Format::Prometheus,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
            Format::Prometheus => "text/plain; version=0.0.4; charset=utf-8",
        }
    }
}

/// OpenMetrics text as the classic format 0.0.4. Written here because `prometheus-client`
/// writes OpenMetrics only, and the two differ in three points of what we emit: a counter's
/// family is named with its `_total` suffix in 0.0.4 (its samples already carry it), and
/// there is no `# UNIT` line and no `# EOF`. A family's `# HELP` line comes right before its
/// `# TYPE` line.
fn classic(open_metrics: &str) -> String {
    let mut out = String::with_capacity(open_metrics.len());
    let mut help: Option<&str> = None;
    for line in open_metrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        if line.starts_with("# HELP ") {
            help = Some(line);
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap_or((rest, ""));
            let name = match kind {
                "counter" if !name.ends_with("_total") => format!("{name}_total"),
                _ => name.to_string(),
            };
            if let Some(h) = help.take() {
                let text = h["# HELP ".len()..].split_once(' ').map_or("", |(_, t)| t);
                out.push_str(&format!("# HELP {name} {text}\n"));
            }
            out.push_str(&format!("# TYPE {name} {kind}\n"));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The exposition, with what is read at scrape time read now: the pools, and the outbox from
/// the database. A database that does not answer leaves the outbox's figures as they were
/// last read and reports `sesame_database_up 0`; the rest is served all the same.
pub async fn render(app: &App, format: Format) -> String {
    let m = &app.metrics.0;
    let hashing = app.hasher.load();
    m.hash_waiting.set(hashing.waiting as i64);
    m.hash_running.set(hashing.running as i64);
    m.hash_turned_away
        .inner()
        .store(hashing.turned_away, Ordering::Relaxed);
    let pool = app.store.pool();
    m.pool_size.set(i64::from(pool.size()));
    m.pool_idle.set(pool.num_idle() as i64);
    m.pool_max
        .set(i64::from(pool.options().get_max_connections()));
    let census = async {
        let mut conn = app.store.read().await?;
        Ok::<_, crate::Error>(sesame_store::outbox::census(&mut conn).await?)
    }
    .await;
    match census {
        Ok(c) => {
            m.database_up.set(1);
            for (state, n) in [("queued", c.queued), ("sent", c.sent), ("failed", c.failed)] {
                m.emails.get_or_create(&StateLabel { state }).set(n);
            }
            let age_ms = c
                .oldest_queued_at
                .map_or(0, |at| (sesame_store::now_ms() - at).max(0));
            m.oldest_email_age.set(age_ms as f64 / 1000.0);
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: could not read the outbox");
            m.database_up.set(0);
        }
    }
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = prometheus_client::encoding::text::encode(&mut out, &m.registry);
    match format {
        Format::OpenMetrics => out,
        Format::Prometheus => classic(&out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classic_format_names_counters_with_their_suffix_and_drops_units_and_eof() {
        let metrics = Metrics::new();
        metrics.sign_in(SignIn::Failed);
        metrics.request("GET", Some("/api/v1/users/{id}"), 200, 0.002);
        let mut open = String::new();
        prometheus_client::encoding::text::encode(&mut open, &metrics.0.registry).expect("encode");
        assert!(open.contains("# TYPE sesame_sign_ins counter\n"), "{open}");
        assert!(
            open.contains("# UNIT sesame_http_request_duration_seconds seconds"),
            "{open}"
        );
        let classic = classic(&open);
        assert!(
            classic.contains("# TYPE sesame_sign_ins_total counter\n"),
            "{classic}"
        );
        assert!(
            classic.contains("# HELP sesame_sign_ins_total Sign-in attempts by outcome"),
            "{classic}"
        );
        assert!(
            classic.contains("sesame_sign_ins_total{outcome=\"failed\"} 1\n"),
            "{classic}"
        );
        assert!(classic.contains("# TYPE sesame_http_request_duration_seconds histogram\n"));
        assert!(
            !classic.contains("# UNIT") && !classic.contains("# EOF"),
            "{classic}"
        );
    }
}
