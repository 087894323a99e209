//! The e-mail half of the benchmark (issue 4): 10,000 invitations, from the outbox rows to the
//! local SMTP server, each figure beside its physical limit measured in the same process.
//!
//! One call of `mail` on one fresh database:
//!
//! 1. setup: an organisation (`setup::init`), its administrator with a signature, and N invited
//!    users written with the store's bulk path;
//! 2. outbox write, each in one transaction with its commit:
//!    - the floor: the N rows, pre-built, in 500-row `INSERT`s into `bench_outbox` (the same
//!      columns and indexes as `outbox`, without its foreign key and CHECK);
//!    - the raw store call: `sesame_store::outbox::enqueue` once per pre-built row (no signature
//!      lookup, no JSON), into `outbox`, deleted afterwards;
//!    - Sésame's path: `sesame_app::mail::queue_all` for all the users, by the administrator (what
//!      an import does);
//! 3. delivery to the SMTP sink (`tests/e2e/smtp_sink.py --discard`, started here):
//!    - the worker: `deliver_all` (what `serve` runs) until it takes nothing; then every row must be `sent`, every
//!      user must hold a link, and the sink must have counted N more messages;
//!    - the transport: N messages of the same size (padded to the sink's byte count of the
//!      worker's) with `Transport::deliver`, `concurrency` at a time, no database;
//!    - the limit: the same messages, composed beforehand, through a minimal SMTP client with
//!      `TCP_NODELAY` (EHLO once per connection, then MAIL, RCPT, DATA and the message in one
//!      write), `concurrency` connections: what loopback and the sink take;
//!    - the worker without SMTP: the rows queued again and delivered as `.eml` files on tmpfs,
//!      which leaves the database, the links and the rendering.
//!
//! Prints `key=value` lines; `bench/run` takes the medians over runs.

use anyhow::{Context, Result, bail, ensure};
use sesame_app::App;
use sesame_app::mail::{Kind, Letter, Mailer, Params};
use sesame_core::Language;
use sesame_mail::{Outgoing, Transport};
use sesame_store::outbox::OutboxRow;
use sesame_store::users::UserRow;
use sesame_store::{Backend, Store};
use sqlx::Row;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command as Process, Stdio};
use std::time::Instant;

pub struct Options {
    pub database_url: String,
    pub users: usize,
    pub concurrency: usize,
    pub python: PathBuf,
    pub sink: PathBuf,
}

const ADMIN_PASSWORD: &str = "velo orange sous la lune du banc";
const SIGNATURE: &str =
    "Léa Martin\nTrésorière de l'association Bench\n06 12 34 56 78 · https://bench.test";

pub async fn mail(o: Options) -> Result<()> {
    let n = o.users;
    let mut sink = Sink::start(&o.python, &o.sink)?;
    let smtp_url = format!("smtp://127.0.0.1:{}", sink.port);
    let mut mailer = Mailer::new(
        Transport::smtp(&smtp_url)?,
        "http://bench.test",
        "bench@bench.test",
    );
    mailer.concurrency = o.concurrency;
    let store = Store::connect(&o.database_url)
        .await
        .context("connecting")?;
    let backend = store.backend();
    let app = App::new(store).with_mailer(mailer);

    // --- 1. setup ------------------------------------------------------------------------------
    let t = Instant::now();
    let (org, admin) = sesame_app::setup::init(
        &app,
        sesame_app::setup::InitOptions {
            org_name: "Bench".into(),
            slug: None,
            profile: sesame_core::Profile::Generic,
            language: Language::Fr,
            admin_login: "admin".into(),
            admin_email: "admin@example.org".into(),
            admin_password: Some(ADMIN_PASSWORD.to_string().into()),
        },
    )
    .await?;
    let admin = {
        let mut tx = app.store.begin().await?;
        let me = sesame_core::policy::Actor::user(
            org.id(),
            &admin.id,
            vec![sesame_core::policy::Grant {
                role_id: String::new(),
                permissions: sesame_core::PermissionSet::ALL,
                scope: sesame_core::policy::Scope::Organisation,
            }],
        );
        sesame_store::signatures::set(
            &mut tx,
            &me.may_keep_signature()
                .map_err(|d| anyhow::anyhow!("signature refused: {d:?}"))?,
            &sesame_app::signature::clean(SIGNATURE)?,
            sesame_store::now_ms(),
        )
        .await?;
        let row = sesame_store::users::get(&mut tx, org.id(), &admin.id)
            .await?
            .context("the administrator")?;
        tx.commit().await?;
        row
    };
    let mut rng = crate::Rng(4);
    let mut taken: HashSet<String> = HashSet::from([admin.login.clone()]);
    let now = sesame_store::now_ms();
    let users: Vec<UserRow> = (0..n)
        .map(|_| {
            let mut u = crate::person(&mut rng, org.id(), &mut taken, now);
            u.status = sesame_core::Status::Invited;
            u
        })
        .collect();
    let rows = crate::by_operator(users.clone());
    let mut tx = app.store.begin().await?;
    sesame_store::users::insert_many(&mut tx, backend, &rows).await?;
    tx.commit().await?;
    drop(rows);
    eprintln!(
        "mail: {backend:?}: organisation, administrator and {n} invited users in {:.0} ms",
        ms(t)
    );

    // --- 2. outbox write -----------------------------------------------------------------------
    // The rows as `queue` writes them, built beforehand: the references write the same bytes.
    let signature = sesame_app::signature::render(&sesame_app::signature::clean(SIGNATURE)?);
    let prebuilt: Vec<OutboxRow> = users
        .iter()
        .map(|u| outbox_row(&org, u, &admin, &signature))
        .collect::<Result<_>>()?;

    create_plain_table(&app.store).await?;
    let t = Instant::now();
    let mut tx = app.store.begin().await?;
    sesame_store::bulk::insert(
        &mut tx,
        backend,
        "bench_outbox",
        &COLUMNS,
        &prebuilt.iter().map(bulk_row).collect::<Vec<_>>(),
    )
    .await?;
    tx.commit().await?;
    let write_bulk_ms = ms(t);
    report("write_bulk_ms", write_bulk_ms);
    run_sql(&app.store, "DROP TABLE bench_outbox").await?;

    let t = Instant::now();
    let mut tx = app.store.begin().await?;
    for row in &prebuilt {
        sesame_store::outbox::enqueue(&mut tx, row).await?;
    }
    tx.commit().await?;
    let write_enqueue_ms = ms(t);
    report("write_enqueue_ms", write_enqueue_ms);
    run_sql(&app.store, "DELETE FROM outbox").await?;
    if backend == Backend::Postgres {
        // No autovacuum on the bench server: reclaim the deleted rows before the next write.
        run_sql(&app.store, "VACUUM outbox").await?;
    }
    drop(prebuilt);

    let t = Instant::now();
    let mut tx = app.store.begin().await?;
    let by = sesame_app::Person::from(&admin);
    let letters: Vec<Letter> = users
        .iter()
        .map(|u| Letter::new(Kind::Invitation, u).by(Some(&by)))
        .collect();
    let ids = sesame_app::mail::queue_all(&mut tx, backend, &org, &letters).await?;
    ensure!(
        ids.iter().all(Option::is_some),
        "an invited user without an address"
    );
    tx.commit().await?;
    let write_queue_ms = ms(t);
    report("write_queue_ms", write_queue_ms);
    ensure!(
        count(
            &app.store,
            "SELECT COUNT(*) AS n FROM outbox WHERE state = 'queued'"
        )
        .await?
            == n,
        "the outbox does not hold {n} queued rows"
    );
    for (key, v) in [
        ("write_queue", write_queue_ms),
        ("write_enqueue", write_enqueue_ms),
        ("write_bulk", write_bulk_ms),
    ] {
        report(&format!("{key}_rows_per_s"), n as f64 / (v / 1e3));
    }
    eprintln!(
        "mail: outbox write of {n} rows: queue {write_queue_ms:.0} ms, raw enqueue {write_enqueue_ms:.0} ms, bulk {write_bulk_ms:.0} ms"
    );

    // --- 3. delivery ----------------------------------------------------------------------------
    let before = sink.stats()?;
    let usage = Usage::start(sink.pid());
    let t = Instant::now();
    // What `serve` runs: batches prepared while the previous one is being sent.
    let taken = sesame_app::delivery::deliver_all(&app).await?;
    ensure!(taken == n, "the worker took {taken} messages of {n}");
    let worker_s = t.elapsed().as_secs_f64();
    let worker_usage = usage.stop(worker_s);
    let after = sink.stats()?;
    check_all_sent(&app.store, n).await?;
    let links = count(
        &app.store,
        "SELECT COUNT(*) AS n FROM link_tokens WHERE kind = 'invitation' AND cancelled_at IS NULL",
    )
    .await?;
    ensure!(links == n, "{links} invitation links instead of {n}");
    ensure!(
        after.0 - before.0 == n as u64,
        "the sink counted {} messages instead of {n}",
        after.0 - before.0
    );
    let worker_bytes = (after.1 - before.1) as f64 / n as f64;
    report("deliver_worker_per_s", n as f64 / worker_s);
    report("deliver_worker_s", worker_s);
    report("msg_bytes_worker", worker_bytes);
    worker_usage.report("worker");

    // The limit: the same number of messages of the same size, straight to the transport.
    let outgoing = same_size(&users, &org, &admin, &signature, worker_bytes)?;
    let composed: Vec<Envelope> = outgoing.iter().map(Envelope::of).collect::<Result<_>>()?;
    let transport = Transport::smtp(&smtp_url)?;
    let before = sink.stats()?;
    let usage = Usage::start(sink.pid());
    let t = Instant::now();
    let mut queue = outgoing.into_iter();
    let mut running = tokio::task::JoinSet::new();
    let mut failed = 0;
    loop {
        while running.len() < o.concurrency.max(1) {
            let Some(out) = queue.next() else { break };
            let transport = transport.clone();
            running.spawn(async move { transport.deliver(&out).await });
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        if done?.is_err() {
            failed += 1;
        }
    }
    let raw_s = t.elapsed().as_secs_f64();
    let raw_usage = usage.stop(raw_s);
    let after = sink.stats()?;
    ensure!(failed == 0, "{failed} raw deliveries failed");
    ensure!(
        after.0 - before.0 == n as u64,
        "the sink counted {} raw messages instead of {n}",
        after.0 - before.0
    );
    report("deliver_raw_per_s", n as f64 / raw_s);
    report("msg_bytes_raw", (after.1 - before.1) as f64 / n as f64);
    raw_usage.report("raw");

    let before = sink.stats()?;
    let usage = Usage::start(sink.pid());
    let t = Instant::now();
    smtp_floor(sink.port, composed, o.concurrency).await?;
    let floor_s = t.elapsed().as_secs_f64();
    let floor_usage = usage.stop(floor_s);
    let after = sink.stats()?;
    ensure!(
        after.0 - before.0 == n as u64,
        "the sink counted {} messages from the minimal client instead of {n}",
        after.0 - before.0
    );
    report("deliver_floor_per_s", n as f64 / floor_s);
    report("msg_bytes_floor", (after.1 - before.1) as f64 / n as f64);
    floor_usage.report("floor");

    // The worker without SMTP: the same rows queued again, delivered as files on tmpfs.
    run_sql(
        &app.store,
        "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = 0, claimed_until = NULL, sent_at = NULL",
    )
    .await?;
    let dir = scratch_dir();
    let mut files = app.clone();
    files.mailer = Mailer::new(
        Transport::Files(dir.clone()),
        "http://bench.test",
        "bench@bench.test",
    );
    files.mailer.concurrency = o.concurrency;
    let usage = Usage::start(sink.pid());
    let t = Instant::now();
    sesame_app::delivery::deliver_all(&files).await?;
    let files_s = t.elapsed().as_secs_f64();
    let files_usage = usage.stop(files_s);
    let written = std::fs::read_dir(&dir)?.count();
    std::fs::remove_dir_all(&dir)?;
    check_all_sent(&app.store, n).await?;
    ensure!(written == n, "{written} .eml files instead of {n}");
    report("deliver_files_per_s", n as f64 / files_s);
    files_usage.report("files");

    app.store.close().await;
    eprintln!(
        "mail: delivery of {n}: worker {:.0}/s, Transport::deliver {:.0}/s, minimal client {:.0}/s, worker to files {:.0}/s; {:.0} bytes a message",
        n as f64 / worker_s,
        n as f64 / raw_s,
        n as f64 / floor_s,
        n as f64 / files_s,
        worker_bytes
    );
    Ok(())
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn report(key: &str, v: f64) {
    println!("{key}={v:.1}");
}

const COLUMNS: [&str; 14] = [
    "id",
    "org_id",
    "kind",
    "user_id",
    "recipient",
    "language",
    "params_json",
    "state",
    "attempts",
    "next_attempt_at",
    "claimed_until",
    "last_error",
    "created_at",
    "sent_at",
];

/// The row `mail::queue` writes for an invitation of `u` by `admin` (same parameters, same
/// JSON), so that the references write as many bytes as Sésame does.
fn outbox_row(
    org: &sesame_app::Org,
    u: &UserRow,
    admin: &UserRow,
    signature: &sesame_app::signature::MailSignature,
) -> Result<OutboxRow> {
    let now = sesame_store::now_ms();
    Ok(OutboxRow {
        id: sesame_store::new_id(),
        org_id: org.id().to_string(),
        kind: Kind::Invitation.code().into(),
        user_id: Some(u.id.clone()),
        recipient: u.email.clone().context("an address")?,
        language: u.language.clone(),
        params_json: serde_json::to_string(&params(org, u, admin, signature))?,
        state: "queued".into(),
        attempts: 0,
        next_attempt_at: now,
        claimed_until: None,
        last_error: None,
        created_at: now,
        sent_at: None,
    })
}

fn params(
    org: &sesame_app::Org,
    u: &UserRow,
    admin: &UserRow,
    signature: &sesame_app::signature::MailSignature,
) -> Params {
    Params {
        name: u.first_name.clone().unwrap_or_else(|| u.login.clone()),
        login: u.login.clone(),
        org_name: org.row.name.clone(),
        actor: Some(sesame_app::mail::display_name(admin)),
        signature_text: Some(signature.text.clone()),
        signature_html: Some(signature.html.clone()),
        ..Default::default()
    }
}

fn bulk_row(r: &OutboxRow) -> Vec<sesame_store::bulk::Value> {
    use sesame_store::bulk::Value::{Int, Text};
    vec![
        Text(Some(r.id.clone())),
        Text(Some(r.org_id.clone())),
        Text(Some(r.kind.clone())),
        Text(r.user_id.clone()),
        Text(Some(r.recipient.clone())),
        Text(Some(r.language.clone())),
        Text(Some(r.params_json.clone())),
        Text(Some(r.state.clone())),
        Int(Some(r.attempts)),
        Int(Some(r.next_attempt_at)),
        Int(r.claimed_until),
        Text(r.last_error.clone()),
        Int(Some(r.created_at)),
        Int(r.sent_at),
    ]
}

async fn create_plain_table(store: &Store) -> Result<()> {
    run_sql(
        store,
        "CREATE TABLE bench_outbox (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, kind TEXT NOT NULL, \
         user_id TEXT, recipient TEXT NOT NULL, language TEXT NOT NULL, params_json TEXT NOT NULL, \
         state TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at BIGINT NOT NULL, \
         claimed_until BIGINT, last_error TEXT, created_at BIGINT NOT NULL, sent_at BIGINT)",
    )
    .await?;
    run_sql(
        store,
        "CREATE INDEX bench_outbox_due ON bench_outbox (state, next_attempt_at)",
    )
    .await?;
    run_sql(
        store,
        "CREATE INDEX bench_outbox_org ON bench_outbox (org_id, id)",
    )
    .await
}

async fn run_sql(store: &Store, sql: &'static str) -> Result<()> {
    let mut conn = store.read().await?;
    sqlx::query(sql)
        .execute(&mut *conn)
        .await
        .with_context(|| sql.to_string())?;
    Ok(())
}

async fn count(store: &Store, sql: &'static str) -> Result<usize> {
    let mut conn = store.read().await?;
    let row = sqlx::query(sql).fetch_one(&mut *conn).await?;
    Ok(usize::try_from(row.try_get::<i64, _>("n")?)?)
}

/// Fails loudly unless the outbox holds exactly `n` rows, all `sent`.
async fn check_all_sent(store: &Store, n: usize) -> Result<()> {
    let mut conn = store.read().await?;
    let rows = sqlx::query("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state")
        .fetch_all(&mut *conn)
        .await?;
    let states: Vec<(String, i64)> = rows
        .iter()
        .map(|r| Ok((r.try_get("state")?, r.try_get("n")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    if states != [("sent".to_string(), n as i64)] {
        bail!("the outbox should hold {n} sent rows, it holds {states:?}");
    }
    Ok(())
}

/// N invitations as `Outgoing`s, rendered without a link and padded so that the sink counts
/// `target` bytes a message on average, as it did for the worker's.
fn same_size(
    users: &[UserRow],
    org: &sesame_app::Org,
    admin: &UserRow,
    signature: &sesame_app::signature::MailSignature,
    target: f64,
) -> Result<Vec<Outgoing>> {
    let build = |pad: usize| -> Vec<Outgoing> {
        users
            .iter()
            .map(|u| {
                let lang = Language::parse(&u.language).unwrap_or(Language::Fr);
                let r = sesame_app::mail::render(
                    Kind::Invitation,
                    lang,
                    &org.zone,
                    &params(org, u, admin, signature),
                    None,
                );
                let filler = "x".repeat(pad);
                Outgoing {
                    id: sesame_store::new_id(),
                    from_name: org.row.name.clone(),
                    from_address: "bench@bench.test".into(),
                    to: u.email.clone().unwrap_or_default(),
                    subject: r.subject,
                    text: format!("{}\n{filler}\n", r.text),
                    html: format!("{}<p>{filler}</p>", r.html),
                    language: lang.code().into(),
                }
            })
            .collect()
    };
    // What the sink counts is what lettre sends after DATA, minus the final ".\r\n".
    let size = |msgs: &[Outgoing]| -> Result<f64> {
        let mut total = 0usize;
        for m in msgs {
            total += m
                .compose()
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .formatted()
                .len();
        }
        Ok(total as f64 / msgs.len() as f64)
    };
    // The size grows about linearly with the filler (two copies, encoded): aim, measure, adjust.
    let mut pad = 0usize;
    let mut msgs = build(pad);
    for _ in 0..4 {
        let got = size(&msgs)?;
        if (got - target).abs() < 8.0 || got > target && pad == 0 {
            break;
        }
        let step = ((target - got) / 2.2).round() as i64;
        pad = (pad as i64 + step).max(0) as usize;
        msgs = build(pad);
    }
    Ok(msgs)
}

/// A message as it goes over SMTP: sender, recipient, and the DATA bytes, dot-stuffed and
/// ending with `CRLF . CRLF`.
struct Envelope {
    from: String,
    to: String,
    data: Vec<u8>,
}

impl Envelope {
    fn of(m: &Outgoing) -> Result<Self> {
        let raw = m.compose().map_err(|e| anyhow::anyhow!("{e}"))?.formatted();
        let mut data = Vec::with_capacity(raw.len() + 8);
        let mut line_start = true;
        for &b in &raw {
            if line_start && b == b'.' {
                data.push(b'.');
            }
            data.push(b);
            line_start = b == b'\n';
        }
        if !data.ends_with(b"\r\n") {
            data.extend_from_slice(b"\r\n");
        }
        data.extend_from_slice(b".\r\n");
        Ok(Self {
            from: m.from_address.clone(),
            to: m.to.clone(),
            data,
        })
    }
}

/// Sends `messages` to 127.0.0.1:`port` over `connections` connections with `TCP_NODELAY`,
/// one command at a time as lettre does (no pipelining), but each message in one write.
async fn smtp_floor(port: u16, messages: Vec<Envelope>, connections: usize) -> Result<()> {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader as Reader};

    async fn reply(r: &mut Reader<tokio::net::tcp::OwnedReadHalf>, want: &str) -> Result<()> {
        let mut line = String::new();
        loop {
            line.clear();
            ensure!(r.read_line(&mut line).await? > 0, "the sink closed");
            ensure!(line.starts_with(want), "wanted {want}, got {line:?}");
            // "250-…" continues, "250 …" ends.
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(());
            }
        }
    }

    let messages = Arc::new(messages);
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections.max(1) {
        let (messages, next) = (messages.clone(), next.clone());
        tasks.spawn(async move {
            let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
            stream.set_nodelay(true)?;
            let (r, mut w) = stream.into_split();
            let mut r = Reader::new(r);
            reply(&mut r, "220").await?;
            w.write_all(b"EHLO bench.test\r\n").await?;
            reply(&mut r, "250").await?;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(m) = messages.get(i) else { break };
                w.write_all(format!("MAIL FROM:<{}>\r\n", m.from).as_bytes())
                    .await?;
                reply(&mut r, "250").await?;
                w.write_all(format!("RCPT TO:<{}>\r\n", m.to).as_bytes())
                    .await?;
                reply(&mut r, "250").await?;
                w.write_all(b"DATA\r\n").await?;
                reply(&mut r, "354").await?;
                w.write_all(&m.data).await?;
                reply(&mut r, "250").await?;
            }
            w.write_all(b"QUIT\r\n").await?;
            reply(&mut r, "221").await?;
            anyhow::Ok(())
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(())
}

/// Where the file transport writes: memory, when the machine has a tmpfs.
fn scratch_dir() -> PathBuf {
    let base = Path::new("/dev/shm");
    let base = if base.is_dir() {
        base.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    base.join(format!("sesame-bench-mail-{}", sesame_store::new_id()))
}

// ---------------------------------------------------------------------------------------------
// the sink

/// `smtp_sink.py --discard`, answering "COUNT n BYTES b" to each line on its standard input.
struct Sink {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    port: u16,
}

impl Sink {
    fn start(python: &Path, script: &Path) -> Result<Self> {
        let mut child = Process::new(python)
            .arg(script)
            .arg("--discard")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {} {}", python.display(), script.display()))?;
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().context("sink stdout")?);
        let mut line = String::new();
        stdout.read_line(&mut line)?;
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .with_context(|| format!("the sink said {line:?} instead of PORT <n>"))?;
        Ok(Self {
            child,
            stdin,
            stdout,
            port,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// (messages, bytes) received so far.
    fn stats(&mut self) -> Result<(u64, u64)> {
        let stdin = self.stdin.as_mut().context("sink closed")?;
        stdin.write_all(b"\n")?;
        stdin.flush()?;
        let mut line = String::new();
        self.stdout.read_line(&mut line)?;
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["COUNT", c, "BYTES", b] => Ok((c.parse()?, b.parse()?)),
            _ => bail!("the sink said {line:?}"),
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        // Closing its standard input stops it.
        self.stdin.take();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// CPU

/// CPU time of the sink, of this process and of the whole machine over a phase.
struct Usage {
    sink_pid: u32,
    sink: f64,
    own: f64,
    machine: (u64, u64),
}

/// utime + stime of a process, in seconds (clock ticks of 1/100 s).
fn cpu_of(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields 14 and 15 of the line; 12 and 13 after "state".
    (ticks(11) + ticks(12)) / 100.0
}

/// (busy, total) jiffies of all CPUs.
fn machine() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let v: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    let total: u64 = v.iter().sum();
    let idle = v.get(3).copied().unwrap_or(0) + v.get(4).copied().unwrap_or(0);
    (total - idle, total)
}

struct Used {
    sink_pct: f64,
    own_pct: f64,
    machine_pct: f64,
}

impl Usage {
    fn start(sink_pid: u32) -> Self {
        Self {
            sink_pid,
            sink: cpu_of(&sink_pid.to_string()),
            own: cpu_of("self"),
            machine: machine(),
        }
    }

    /// Percentages of one core (sink, this process) and of the whole machine.
    fn stop(self, wall_s: f64) -> Used {
        let (b1, t1) = machine();
        let (b0, t0) = self.machine;
        Used {
            sink_pct: 100.0 * (cpu_of(&self.sink_pid.to_string()) - self.sink) / wall_s,
            own_pct: 100.0 * (cpu_of("self") - self.own) / wall_s,
            machine_pct: 100.0 * (b1 - b0) as f64 / (t1 - t0).max(1) as f64,
        }
    }
}

impl Used {
    fn report(&self, phase: &str) {
        report(&format!("{phase}_sink_cpu_pct"), self.sink_pct);
        report(&format!("{phase}_bench_cpu_pct"), self.own_pct);
        report(&format!("{phase}_machine_cpu_pct"), self.machine_pct);
    }
}
