//! The import half of the benchmark (issue 5): a members' spreadsheet of N rows, as XLSX and as
//! CSV, imported by the real `sesame import` binary (timed and its peak RSS taken by
//! `bench/run`), beside the physical limits measured here, in separate processes:
//!
//! - `import-files`: writes the file (Courriel, Prénom, Nom, Téléphone, Langue, Rôles, Groupes,
//!   Ville: French names with accents, national phone numbers, the AMAP role "Amapien", one of
//!   the groups made by `import-setup`) as XLSX with `sesame_sheet::write` (what the template
//!   and the exports use) and as CSV (`;`, UTF-8 with a byte order mark, CRLF: what French
//!   Excel writes), the CSV streamed so that a 1,000,000-row file is never in memory;
//! - `import-setup`: a fresh database made ready to import into: `setup::init` with the AMAP
//!   profile (its preset roles, "Amapien" among them) and the groups the file names;
//! - `import-read`: the reader alone on a file: every row of `sesame_sheet::open`, or calamine's
//!   streaming cell reader alone (`--calamine`, XLSX): the floor of reading;
//! - `import-insert`: the same N users, built beforehand, in 500-row `INSERT`s
//!   (`sesame_store::bulk::insert`) into `bench_users`, a copy of `users` with the same columns,
//!   keys and index (no foreign key, no CHECK), with their search words into `bench_user_words`
//!   (a copy of `user_words`), in one transaction: the floor of writing; then
//!   what an import writes besides (one membership, one role assignment and one audit row per
//!   user) into copies of those tables, and the store's own `users::insert_many` into `users`.
//!
//! Each prints `key=value` lines; `bench/run` takes the medians over runs.

use anyhow::{Context, Result, ensure};
use sesame_app::App;
use sesame_app::import::files::SHEET_NAMES;
use sesame_core::{Language, Profile};
use sesame_sheet::{Format, Limits};
use sesame_store::Store;
use sesame_store::bulk::Value;
use sesame_store::users::UserRow;
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// The groups the file names; `import-setup` makes them.
pub const GROUPS: [&str; 4] = [
    "Panier légumes",
    "Ferme du Bec",
    "Vergers d'Émeraude",
    "Œufs & volailles",
];

const HEADERS: [&str; 8] = [
    "Courriel",
    "Prénom",
    "Nom",
    "Téléphone",
    "Langue",
    "Rôles",
    "Groupes",
    "Ville",
];

/// One member as the file shows them, and as the database will hold them.
struct Member {
    cells: [String; 8],
    /// The user an import makes of the row (login as `suggest_login` would make it, e-mail
    /// lowercased, phone in E.164), for the insert floor.
    login: String,
    email: String,
    e164: Option<String>,
    group: usize,
}

/// The same seed gives the same members: the files and the floor's rows agree.
struct Members {
    rng: crate::Rng,
    taken: HashSet<String>,
}

impl Members {
    fn new() -> Self {
        Self {
            rng: crate::Rng(5),
            // The administrator made by `import-setup`.
            taken: HashSet::from(["admin".to_string()]),
        }
    }

    fn next_member(&mut self) -> Member {
        let rng = &mut self.rng;
        let first = rng.skewed(crate::FIRST_NAMES);
        let last = rng.skewed(crate::LAST_NAMES);
        let base = format!("{}.{}", crate::login_part(first), crate::login_part(last));
        let mut login = base.clone();
        let mut n = 1;
        while !self.taken.insert(login.clone()) {
            n += 1;
            login = format!("{base}{n}");
        }
        let domain = crate::DOMAINS[rng.below(crate::DOMAINS.len())];
        // As people type them: a capital now and then (the import lowercases).
        let email = format!("{login}@{domain}");
        let shown_email = if rng.chance(0.2) {
            let mut c = email.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        } else {
            email.clone()
        };
        let (phone, e164) = if rng.chance(0.7) {
            // Ranges allocated to mobiles (06 1, 2, 4, 6, 7; 07 5–8; not 06 39, which is Mayotte): the validator knows the others
            // are not numbers.
            let (mobile, first) = if rng.chance(0.85) {
                ('6', b"12467".as_slice())
            } else {
                ('7', b"5678".as_slice())
            };
            let digits = format!(
                "{}{}",
                char::from(first[rng.below(first.len())]),
                rng.digits(7)
            );
            let d: Vec<char> = digits.chars().collect();
            let national = format!(
                "0{mobile} {}{} {}{} {}{} {}{}",
                d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
            );
            (national, Some(format!("+33{mobile}{digits}")))
        } else {
            (String::new(), None)
        };
        let language = if rng.chance(0.9) {
            "Français"
        } else {
            "English"
        };
        let group = rng.below(GROUPS.len());
        let city = if rng.chance(0.8) {
            crate::CITIES[rng.below(crate::CITIES.len())].0
        } else {
            ""
        };
        Member {
            cells: [
                shown_email,
                first.to_string(),
                last.to_string(),
                phone,
                language.to_string(),
                "Amapien".to_string(),
                GROUPS[group].to_string(),
                city.to_string(),
            ],
            login,
            email,
            e164,
            group,
        }
    }
}

/// Writes `dir/members-N.csv` and, unless `csv_only`, `dir/members-N.xlsx`.
pub fn files(dir: &Path, rows: usize, csv_only: bool) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let csv_path = dir.join(format!("members-{rows}.csv"));
    let t = Instant::now();
    let mut members = Members::new();
    let mut out = std::io::BufWriter::new(std::fs::File::create(&csv_path)?);
    out.write_all(sesame_sheet::write::CSV_BOM)?;
    let mut csv = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    csv.write_record(HEADERS)?;
    for _ in 0..rows {
        csv.write_record(&members.next_member().cells)?;
    }
    csv.flush()?;
    drop(csv);
    println!("csv_bytes={}", std::fs::metadata(&csv_path)?.len());
    println!("csv_write_ms={:.0}", ms(t));
    if csv_only {
        return Ok(());
    }
    let t = Instant::now();
    let mut members = Members::new();
    let book = sesame_sheet::Workbook {
        sheet_name: SHEET_NAMES[0].to_string(),
        columns: HEADERS
            .iter()
            .map(|h| sesame_sheet::Column {
                header: h.to_string(),
                style: None,
                width: 20.0,
                choices: None,
            })
            .collect(),
        rows: (0..rows)
            .map(|_| members.next_member().cells.to_vec())
            .collect(),
        instructions: None,
        csv_delimiter: b';',
    };
    let bytes = sesame_sheet::write(Format::Xlsx, &book)?;
    let xlsx_path = dir.join(format!("members-{rows}.xlsx"));
    std::fs::write(&xlsx_path, &bytes)?;
    println!("xlsx_bytes={}", bytes.len());
    println!("xlsx_write_ms={:.0}", ms(t));
    Ok(())
}

/// A fresh database ready for the file: the AMAP profile's roles and the [`GROUPS`].
pub async fn setup(database_url: &str) -> Result<()> {
    let store = Store::connect(database_url).await.context("connecting")?;
    let app = App::new(store);
    let (org, _) = sesame_app::setup::init(
        &app,
        sesame_app::setup::InitOptions {
            org_name: "AMAP Bench".into(),
            slug: None,
            profile: Profile::Amap,
            language: Language::Fr,
            admin_login: "admin".into(),
            admin_email: "admin@example.org".into(),
            admin_password: None,
        },
    )
    .await?;
    let who = app.operator(org);
    for name in GROUPS {
        sesame_app::groups::create(
            &app,
            &who,
            sesame_app::groups::GroupInput {
                name: sesame_app::patch::Patch::Value(name.to_string()),
                kind: sesame_app::patch::Patch::Value("producteur".into()),
            },
        )
        .await?;
    }
    app.store.close().await;
    Ok(())
}

/// Every row of the file through `sesame_sheet::open`, or through calamine alone.
pub fn read(file: &Path, calamine_only: bool) -> Result<()> {
    let t = Instant::now();
    let (rows, bytes) = if calamine_only {
        read_calamine(file)?
    } else {
        let sheet = sesame_sheet::open(file, &SHEET_NAMES, &Limits::default())?;
        let mut rows = 0usize;
        let mut bytes = 0usize;
        for row in sheet {
            let row = row?;
            rows += 1;
            bytes += row.cells.iter().map(String::len).sum::<usize>();
        }
        (rows, bytes)
    };
    let elapsed = ms(t);
    println!("rows={rows}");
    println!("text_bytes={bytes}");
    println!("read_ms={elapsed:.1}");
    println!("rows_per_s={:.0}", rows as f64 / (elapsed / 1e3));
    Ok(())
}

/// calamine's streaming cell reader over the first sheet, each cell's text taken (as the
/// reader does) but nothing kept: rows counted from the cells' positions.
fn read_calamine(file: &Path) -> Result<(usize, usize)> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(file)?;
    let name = book.sheet_names().first().cloned().context("no sheet")?;
    let mut cells = book.worksheet_cells_reader(&name)?;
    let mut last_row = None;
    let mut rows = 0usize;
    let mut bytes = 0usize;
    while let Some(cell) = cells.next_cell()? {
        let row = cell.get_position().0;
        if last_row != Some(row) {
            rows += 1;
            last_row = Some(row);
        }
        bytes += match cell.get_value() {
            calamine::DataRef::SharedString(s) => s.len(),
            calamine::DataRef::String(s) => s.len(),
            _ => 1,
        };
    }
    Ok((rows, bytes))
}

/// The floor of writing: the same users, built beforehand, in 500-row `INSERT`s into copies of
/// the tables, each in one transaction with its commit.
pub async fn insert(database_url: &str, rows: usize) -> Result<()> {
    let store = Store::connect(database_url).await.context("connecting")?;
    let backend = store.backend();
    let org_id = {
        let mut conn = store.read().await?;
        sesame_store::orgs::list(&mut conn)
            .await?
            .into_iter()
            .next()
            .context("no organisation: run import-setup first")?
            .id
    };
    let now = sesame_store::now_ms();
    let mut members = Members::new();
    let users: Vec<(UserRow, usize)> = (0..rows)
        .map(|_| {
            let m = members.next_member();
            let [_, first, last, _, language, _, _, city] = m.cells;
            let user = UserRow {
                id: sesame_store::new_id(),
                org_id: org_id.clone(),
                login: m.login,
                email: Some(m.email),
                first_name: Some(first),
                last_name: Some(last),
                phone: m.e164,
                language: if language == "English" { "en" } else { "fr" }.into(),
                address_line: None,
                postal_code: None,
                city: (!city.is_empty()).then_some(city),
                status: sesame_core::Status::Invited,
                created_at: now,
                updated_at: now,
            };
            (user, m.group)
        })
        .collect();
    let text = |s: &str| Value::Text(Some(s.to_string()));
    let opt = |s: &Option<String>| Value::Text(s.clone());
    let user_values: Vec<Vec<Value>> = users
        .iter()
        .map(|(u, _)| {
            vec![
                text(&u.id),
                text(&u.org_id),
                text(&u.login),
                opt(&u.email),
                opt(&u.first_name),
                opt(&u.last_name),
                opt(&u.phone),
                text(&u.language),
                opt(&u.address_line),
                opt(&u.postal_code),
                opt(&u.city),
                text(u.status.code()),
                Value::Text(None),
                text(&u.search_key()),
                Value::Int(Some(u.created_at)),
                Value::Int(Some(u.updated_at)),
            ]
        })
        .collect();

    // Each user's search words (`search_key` holds them, each once), with their status, all
    // sorted in the order of the index: the fastest way in (the import sorts 5,000 people's
    // words at a time).
    let mut word_values: Vec<Vec<Value>> = users
        .iter()
        .flat_map(|(u, _)| {
            let key = u.search_key();
            let words: Vec<String> = key.split_whitespace().map(str::to_string).collect();
            words.into_iter().map(|w| {
                vec![
                    text(&u.org_id),
                    Value::Text(Some(w)),
                    text(&u.id),
                    text(u.status.code()),
                ]
            })
        })
        .collect();
    word_values.sort_unstable();

    for sql in COPIES {
        run_sql(&store, sql).await?;
    }
    let t = Instant::now();
    let mut tx = store.begin().await?;
    sesame_store::bulk::insert(&mut tx, backend, "bench_users", &USER_COLUMNS, &user_values)
        .await?;
    sesame_store::bulk::insert(
        &mut tx,
        backend,
        "bench_user_words",
        &["org_id", "word", "user_id", "status"],
        &word_values,
    )
    .await?;
    tx.commit().await?;
    let users_ms = ms(t);
    report("insert_users_ms", users_ms);
    report("insert_users_rows_per_s", rows as f64 / (users_ms / 1e3));

    // What an import writes besides the users: one membership, one role assignment and one
    // audit row each (the audit's JSON as the import makes it).
    let group_ids: Vec<String> = GROUPS.iter().map(|_| sesame_store::new_id()).collect();
    let role_id = sesame_store::new_id();
    let memberships: Vec<Vec<Value>> = users
        .iter()
        .map(|(u, g)| {
            vec![
                text(&org_id),
                text(&group_ids[*g]),
                text(&u.id),
                Value::Int(Some(now)),
            ]
        })
        .collect();
    let assignments: Vec<Vec<Value>> = users
        .iter()
        .map(|(u, _)| {
            vec![
                text(&org_id),
                text(&u.id),
                text(&role_id),
                text(""),
                Value::Int(Some(now)),
            ]
        })
        .collect();
    let audits: Vec<Vec<Value>> = users
        .iter()
        .enumerate()
        .map(|(i, (u, _))| {
            let after = serde_json::json!({
                "login": u.login, "email": u.email, "first_name": u.first_name,
                "last_name": u.last_name, "phone": u.phone, "language": u.language,
                "address_line": u.address_line, "postal_code": u.postal_code, "city": u.city,
                "roles_added": ["Amapien"], "roles_removed": [], "import_row": i + 2,
            });
            vec![
                text(&sesame_store::new_id()),
                text(&org_id),
                Value::Int(Some(now)),
                Value::Text(None),
                text("cli"),
                text("user.create"),
                text("user"),
                text(&u.id),
                text(&u.login),
                Value::Text(None),
                text(&after.to_string()),
                text("cli"),
            ]
        })
        .collect();
    let t = Instant::now();
    let mut tx = store.begin().await?;
    sesame_store::bulk::insert(
        &mut tx,
        backend,
        "bench_memberships",
        &["org_id", "group_id", "user_id", "created_at"],
        &memberships,
    )
    .await?;
    sesame_store::bulk::insert(
        &mut tx,
        backend,
        "bench_role_assignments",
        &["org_id", "user_id", "role_id", "group_id", "created_at"],
        &assignments,
    )
    .await?;
    sesame_store::bulk::insert(&mut tx, backend, "bench_audit", &AUDIT_COLUMNS, &audits).await?;
    tx.commit().await?;
    let others_ms = ms(t);
    report("insert_others_ms", others_ms);
    report("insert_all_ms", users_ms + others_ms);

    // The store's own path into the real table (it folds each user's search key).
    let with_hash = crate::by_operator(users.into_iter().map(|(u, _)| u).collect());
    let t = Instant::now();
    let mut tx = store.begin().await?;
    sesame_store::users::insert_many(&mut tx, backend, &with_hash).await?;
    tx.commit().await?;
    report("insert_many_ms", ms(t));
    let mut conn = store.read().await?;
    let n: i64 = sqlx::Row::try_get(
        &sqlx::query("SELECT COUNT(*) AS n FROM bench_users")
            .fetch_one(&mut *conn)
            .await?,
        "n",
    )?;
    ensure!(n as usize == rows, "bench_users holds {n} rows, not {rows}");
    drop(conn);
    store.close().await;
    Ok(())
}

const USER_COLUMNS: [&str; 16] = [
    "id",
    "org_id",
    "login",
    "email",
    "first_name",
    "last_name",
    "phone",
    "language",
    "address_line",
    "postal_code",
    "city",
    "status",
    "password_hash",
    "search",
    "created_at",
    "updated_at",
];

const AUDIT_COLUMNS: [&str; 12] = [
    "id",
    "org_id",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "before_json",
    "after_json",
    "source",
];

/// The tables an import writes, with their keys and indexes, without foreign keys and CHECKs
/// (as in `crates/store/migrations/0001_core.sql`).
const COPIES: [&str; 11] = [
    "CREATE TABLE bench_users (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, login TEXT NOT NULL, \
     email TEXT, first_name TEXT, last_name TEXT, phone TEXT, language TEXT NOT NULL, \
     address_line TEXT, postal_code TEXT, city TEXT, status TEXT NOT NULL, password_hash TEXT, \
     created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, search TEXT NOT NULL, \
     UNIQUE (org_id, login), UNIQUE (org_id, email))",
    "CREATE INDEX bench_users_search ON bench_users (org_id, login, status, id)",
    "CREATE TABLE bench_user_words (org_id TEXT NOT NULL, word TEXT NOT NULL, \
     user_id TEXT NOT NULL, status TEXT NOT NULL)",
    "CREATE UNIQUE INDEX bench_user_words_by_word ON bench_user_words (org_id, word, user_id, status)",
    "CREATE INDEX bench_users_by_name ON bench_users (org_id, LOWER(COALESCE(last_name, '')), login)",
    "CREATE TABLE bench_memberships (org_id TEXT NOT NULL, group_id TEXT NOT NULL, \
     user_id TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (group_id, user_id))",
    "CREATE INDEX bench_memberships_user ON bench_memberships (user_id)",
    "CREATE TABLE bench_role_assignments (org_id TEXT NOT NULL, user_id TEXT NOT NULL, \
     role_id TEXT NOT NULL, group_id TEXT NOT NULL, created_at BIGINT NOT NULL, \
     PRIMARY KEY (user_id, role_id, group_id))",
    "CREATE INDEX bench_role_assignments_role ON bench_role_assignments (role_id)",
    "CREATE TABLE bench_audit (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, at BIGINT NOT NULL, \
     actor_id TEXT, actor_label TEXT NOT NULL, action TEXT NOT NULL, target_type TEXT NOT NULL, \
     target_id TEXT, target_label TEXT, before_json TEXT, after_json TEXT, source TEXT)",
    "CREATE INDEX bench_audit_org_time ON bench_audit (org_id, id)",
];

async fn run_sql(store: &Store, sql: &'static str) -> Result<()> {
    let mut conn = store.read().await?;
    sqlx::query(sql)
        .execute(&mut *conn)
        .await
        .with_context(|| sql.to_string())?;
    Ok(())
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn report(key: &str, v: f64) {
    println!("{key}={v:.1}");
}
