//! `sesame-bench`: the Rust half of `bench/run`.
//!
//! - `seed`: fills the `users` table of an initialised database with N realistic users in one
//!   transaction, and writes their ids (shuffled) to a file for the wrk script.
//! - `hello`: a trivial axum server that does no database work, the ceiling the service is
//!   compared with.
//! - `startup`: spawns a server N times and measures the time until a path first answers 200,
//!   polling every millisecond.
//! - `free-port`: prints a TCP port that is free on 127.0.0.1.
//! - `argon2`, `sign-ins`, `flood`, `probe`, `token-check`: the sign-in figures (see
//!   [`sign_in`]).
//! - `legacy-sign-in`: a first sign-in with a WordPress (phpass) hash and its re-hash, beside
//!   an ordinary sign-in (see [`legacy`]).
//! - `mail`: the e-mail figures, outbox write and delivery to a local SMTP sink (see [`mail`]).
//! - `import-files`, `import-setup`, `import-read`, `import-insert`: the spreadsheet import's
//!   file, database and limits (see [`import`]).
//! - `signing`: ID tokens signed per second, through `sesame_app::keys::sign` and with
//!   jsonwebtoken alone (see [`signing`]).

mod import;
mod legacy;
mod mail;
mod oidc;
mod sign_in;
mod signing;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use sesame_store::Store;
use sesame_store::users::UserRow;
use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

// The same allocator as `sesame`, so that the limits measured here are Sésame's own.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(name = "sesame-bench", about = "Benchmark helpers for Sésame")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Inserts N users into the (already initialised) database's first organisation.
    Seed {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 100_000)]
        users: usize,
        /// Where to write the new users' ids, one a line, shuffled.
        #[arg(long, default_value = "bench/out/ids.txt")]
        ids_file: PathBuf,
        /// Also print how many of the new users a search for these words matches (`matches=`),
        /// and for each again (`matches_2=`, …) if given several times.
        #[arg(long)]
        count_word: Vec<String>,
        /// Seed of the pseudo-random generator (the same seed gives the same people).
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Serves `GET /` → `hello` and nothing else.
    Hello {
        #[arg(long, default_value = "127.0.0.1:8081")]
        listen: String,
    },
    /// Spawns `CMD…` (where `{port}` is replaced by a free port) `--runs` times and prints the
    /// median time from spawn to the first 200 answer on `--path`, in milliseconds.
    Startup {
        #[arg(long, default_value_t = 5)]
        runs: usize,
        #[arg(long, default_value = "/healthz")]
        path: String,
        /// Give up on a run after this many seconds.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        #[arg(trailing_var_arg = true, required = true)]
        cmd: Vec<String>,
    },
    /// Prints a free TCP port on 127.0.0.1.
    FreePort,
    /// Raw Argon2id rate: hashes verified per second on `--threads` threads.
    Argon2 {
        #[arg(long, default_value_t = 2)]
        threads: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Successful sign-ins per second through the API.
    SignIns {
        #[arg(long)]
        url: String,
        #[arg(long)]
        login: String,
        #[arg(long)]
        password_file: PathBuf,
        #[arg(long, default_value_t = 16)]
        clients: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Wrong passwords as fast as possible, each client from its own loopback address.
    Flood {
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 64)]
        clients: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// All clients from 127.0.0.1 (the throttle then answers 429).
        #[arg(long)]
        one_address: bool,
        /// Spray real accounts instead of unknown logins: their logins are read first, with
        /// this token, from the users whose ids are in `--ids-file` (400 of them).
        #[arg(long, requires = "ids_file")]
        token: Option<String>,
        #[arg(long)]
        ids_file: Option<PathBuf>,
    },
    /// Forgets every sign-in failure (between flood runs, with the server stopped).
    ClearThrottle {
        #[arg(long)]
        database_url: String,
    },
    /// Authenticated GET /api/v1/users/{id} at a fixed rate: p50, p99, max latency.
    Probe {
        #[arg(long)]
        url: String,
        #[arg(long)]
        token: String,
        #[arg(long)]
        ids_file: PathBuf,
        #[arg(long, default_value_t = 200)]
        rate: u32,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Microseconds per token check (`authenticate`), in process.
    TokenCheck {
        #[arg(long)]
        database_url: String,
        #[arg(long)]
        token: String,
        #[arg(long, default_value_t = 20_000)]
        n: u32,
    },
    /// A first sign-in with a WordPress (phpass) hash plus its re-hash, beside an ordinary
    /// sign-in, in process on a fresh SQLite database: medians and their ratio.
    LegacySignIn {
        #[arg(long, default_value_t = 40)]
        rounds: usize,
    },
    /// Invitations for N new users on a fresh database: outbox write time and delivery rate to
    /// the local SMTP sink, each beside its limit. Prints `key=value` lines.
    Mail {
        /// A fresh database (nothing in it yet).
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 10_000)]
        users: usize,
        /// Messages delivered at the same time (the worker's `Mailer::concurrency`).
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// The Python that has aiosmtpd.
        #[arg(long, default_value = ".venv-test/bin/python")]
        python: PathBuf,
        #[arg(long, default_value = "tests/e2e/smtp_sink.py")]
        sink: PathBuf,
    },
    /// ID tokens signed per second with RS256 and EdDSA: `keys::sign` and the raw
    /// `jsonwebtoken::encode` (the limit), on 1 thread and on `--threads`. Prints `key=value`.
    Signing {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 2)]
        threads: usize,
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// The OpenID Connect provider (issue 21), in this process on a loopback port: codes
    /// redeemed per second, userinfo requests per second with their p50/p99.
    Oidc {
        #[arg(long)]
        database_url: String,
        /// Codes made, then redeemed.
        #[arg(long, default_value_t = 2000)]
        codes: usize,
        /// Clients redeeming at once.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Connections calling userinfo at once.
        #[arg(long, default_value_t = 32)]
        conns: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Writes `DIR/members-N.csv` and `DIR/members-N.xlsx`: N members to import.
    ImportFiles {
        #[arg(long)]
        dir: PathBuf,
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        /// Only the CSV (streamed: any N fits).
        #[arg(long)]
        csv_only: bool,
    },
    /// Makes a fresh database ready to import the file into (AMAP profile, the file's groups).
    ImportSetup {
        #[arg(long)]
        database_url: String,
    },
    /// The reader alone: every row of the file through `sesame_sheet::open`.
    ImportRead {
        file: PathBuf,
        /// calamine's streaming cell reader alone instead (XLSX).
        #[arg(long)]
        calamine: bool,
    },
    /// The floor of writing: the file's N users in 500-row INSERTs into a copy of `users`
    /// (and what an import writes besides), on a database made by `import-setup`.
    ImportInsert {
        #[arg(long)]
        database_url: String,
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Seed {
            database_url,
            users,
            ids_file,
            count_word,
            seed,
        } => runtime()?.block_on(seed_users(
            &database_url,
            users,
            &ids_file,
            &count_word,
            seed,
        )),
        Command::Hello { listen } => runtime()?.block_on(hello(&listen)),
        Command::Startup {
            runs,
            path,
            timeout,
            cmd,
        } => startup(runs, &path, Duration::from_secs(timeout), &cmd),
        Command::FreePort => {
            println!("{}", free_port()?);
            Ok(())
        }
        Command::Argon2 { threads, seconds } => sign_in::argon2(threads, seconds),
        Command::SignIns {
            url,
            login,
            password_file,
            clients,
            seconds,
        } => runtime()?.block_on(sign_in::sign_ins(
            &url,
            &login,
            &password_file,
            clients,
            seconds,
        )),
        Command::Flood {
            url,
            clients,
            seconds,
            one_address,
            token,
            ids_file,
        } => runtime()?.block_on(sign_in::flood(
            &url,
            clients,
            seconds,
            one_address,
            token.as_deref().zip(ids_file.as_deref()),
        )),
        Command::ClearThrottle { database_url } => {
            runtime()?.block_on(sign_in::clear_throttle(&database_url))
        }
        Command::Probe {
            url,
            token,
            ids_file,
            rate,
            seconds,
        } => runtime()?.block_on(sign_in::probe(&url, &token, &ids_file, rate, seconds)),
        Command::TokenCheck {
            database_url,
            token,
            n,
        } => runtime()?.block_on(sign_in::token_check(&database_url, &token, n)),
        Command::LegacySignIn { rounds } => runtime()?.block_on(legacy::legacy_sign_in(rounds)),
        Command::Mail {
            database_url,
            users,
            concurrency,
            python,
            sink,
        } => runtime()?.block_on(mail::mail(mail::Options {
            database_url,
            users,
            concurrency,
            python,
            sink,
        })),
        Command::Signing {
            database_url,
            threads,
            seconds,
        } => signing::run(&database_url, threads, seconds),
        Command::Oidc {
            database_url,
            codes,
            clients,
            conns,
            seconds,
        } => runtime()?.block_on(oidc::run(oidc::Options {
            database_url,
            codes,
            clients,
            conns,
            seconds,
        })),
        Command::ImportFiles {
            dir,
            rows,
            csv_only,
        } => import::files(&dir, rows, csv_only),
        Command::ImportSetup { database_url } => runtime()?.block_on(import::setup(&database_url)),
        Command::ImportRead { file, calamine } => import::read(&file, calamine),
        Command::ImportInsert { database_url, rows } => {
            runtime()?.block_on(import::insert(&database_url, rows))
        }
    }
}

/// The same runtime as the `sesame` binary's: multi-threaded, one worker per core.
fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

// ---------------------------------------------------------------------------------------------
// seed

/// SplitMix64: small, fast, reproducible; no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An element of `list`, the first ones more often (`u^1.5`): common names are common.
    fn skewed<'a>(&mut self, list: &[&'a str]) -> &'a str {
        let i = (self.unit().powf(1.5) * list.len() as f64) as usize;
        list[i.min(list.len() - 1)]
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

const FIRST_NAMES: &[&str] = &[
    "Marie",
    "Jean",
    "Camille",
    "Nathalie",
    "Pierre",
    "Isabelle",
    "Michel",
    "Sylvie",
    "Philippe",
    "Catherine",
    "Nicolas",
    "Françoise",
    "Julien",
    "Sophie",
    "Thomas",
    "Sandrine",
    "Alain",
    "Valérie",
    "Éric",
    "Christine",
    "Laurent",
    "Stéphanie",
    "François",
    "Céline",
    "Olivier",
    "Martine",
    "Stéphane",
    "Aurélie",
    "David",
    "Émilie",
    "Christophe",
    "Julie",
    "Sébastien",
    "Hélène",
    "Patrick",
    "Chantal",
    "Frédéric",
    "Anne",
    "Jérôme",
    "Élodie",
    "Daniel",
    "Caroline",
    "Antoine",
    "Claire",
    "Maxime",
    "Léa",
    "Alexandre",
    "Manon",
    "Hugo",
    "Chloé",
    "Lucas",
    "Inès",
    "Louis",
    "Zoé",
    "Gabriel",
    "Noémie",
    "Raphaël",
    "Anaïs",
    "Arthur",
    "Océane",
    "Loïc",
    "Maëlle",
    "Benoît",
    "Agnès",
    "Gaël",
    "Clémence",
    "Théo",
    "Margaux",
    "Mathis",
    "Joëlle",
    "Yannick",
    "Bérénice",
    "Rémi",
    "Mélanie",
    "Cédric",
    "Géraldine",
    "Grégoire",
    "Josiane",
    "Hervé",
    "Ginette",
    "Jean-Pierre",
    "Marie-Claire",
    "Jean-Luc",
    "Anne-Sophie",
    "Pierre-Yves",
    "Marie-Hélène",
    "Aïcha",
    "Mohamed",
    "Fatima",
    "Karim",
    "Yasmine",
    "Mamadou",
    "Aminata",
    "Thi Lan",
    "Minh",
    "Ludovic",
    "Solène",
    "Romain",
    "Gwenaëlle",
    "Killian",
];

const LAST_NAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noël",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Pérez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Barbier",
    "Brun",
    "Dumas",
    "Brunet",
    "Schmitt",
    "Leroux",
    "Colin",
    "Fernandez",
    "Renard",
    "Arnaud",
    "Rolland",
    "Caron",
    "Aubert",
    "Giraud",
    "Leclerc",
    "Vidal",
    "Bourgeois",
    "Renaud",
    "Lemoine",
    "Picard",
    "Gaillard",
    "Lacroix",
    "Fabre",
    "Dupuis",
    "Olivier",
    "Da Silva",
    "Hubert",
    "Rivière",
    "Le Gall",
    "Guillaume",
    "Moulin",
    "Berger",
    "Lecomte",
    "Ménard",
    "Fleury",
    "Deschamps",
    "Carpentier",
    "Benoît",
    "Maillard",
    "Aubry",
    "Le Roux",
    "Jacquet",
    "Prévost",
    "Poirier",
    "Charpentier",
    "Huet",
    "Dupuy",
    "Carré",
    "Rémy",
    "Perrot",
    "Guyot",
    "Marty",
    "N'Diaye",
    "D'Almeida",
    "Lévêque",
    "Kergoat",
    "Le Bihan",
    "Traoré",
    "Benali",
    "Tran",
    "Pham",
];

const CITIES: &[(&str, &str)] = &[
    ("Paris", "75011"),
    ("Lyon", "69003"),
    ("Marseille", "13005"),
    ("Toulouse", "31000"),
    ("Nantes", "44000"),
    ("Rennes", "35000"),
    ("Lille", "59000"),
    ("Montreuil", "93100"),
    ("Villeurbanne", "69100"),
    ("Saint-Étienne", "42000"),
    ("Besançon", "25000"),
    ("Angoulême", "16000"),
    ("Quimper", "29000"),
    ("Aix-en-Provence", "13100"),
    ("Brive-la-Gaillarde", "19100"),
];

const STREETS: &[&str] = &[
    "rue de la République",
    "avenue Jean-Jaurès",
    "rue Victor-Hugo",
    "boulevard Gambetta",
    "rue des Lilas",
    "place de l'Église",
    "chemin des Vignes",
    "rue Pasteur",
    "allée des Érables",
    "impasse du Moulin",
];

const DOMAINS: &[&str] = &[
    "gmail.com",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "sfr.fr",
    "outlook.fr",
    "yahoo.fr",
    "example.org",
];

/// `Jean-Pierre` → `jean-pierre`, `Le Gall` → `le-gall`, `N'Diaye` → `ndiaye`.
fn login_part(name: &str) -> String {
    sesame_core::fold(name)
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

fn person(rng: &mut Rng, org_id: &str, taken: &mut HashSet<String>, now: i64) -> UserRow {
    let first = rng.skewed(FIRST_NAMES);
    let last = rng.skewed(LAST_NAMES);
    let base = format!("{}.{}", login_part(first), login_part(last));
    let mut login = base.clone();
    let mut n = 1;
    while !taken.insert(login.clone()) {
        n += 1;
        login = format!("{base}{n}");
    }
    let email = format!("{login}@{}", DOMAINS[rng.below(DOMAINS.len())]);
    let phone = rng.chance(0.6).then(|| {
        format!(
            "+33{}{}",
            if rng.chance(0.8) { 6 } else { 7 },
            rng.digits(8)
        )
    });
    let (address_line, postal_code, city) = if rng.chance(0.4) {
        let (city, code) = CITIES[rng.below(CITIES.len())];
        (
            Some(format!(
                "{} {}",
                1 + rng.below(120),
                STREETS[rng.below(STREETS.len())]
            )),
            Some(code.to_string()),
            Some(city.to_string()),
        )
    } else {
        (None, None, None)
    };
    // Up to three years old.
    let created_at = now - (rng.unit() * 3.0 * 365.0 * 86_400_000.0) as i64;
    UserRow {
        id: sesame_store::new_id(),
        org_id: org_id.to_string(),
        login,
        email: Some(email),
        first_name: Some(first.to_string()),
        last_name: Some(last.to_string()),
        phone,
        language: if rng.chance(0.95) { "fr" } else { "en" }.to_string(),
        address_line,
        postal_code,
        city,
        status: if rng.chance(0.85) {
            sesame_core::Status::Active
        } else {
            sesame_core::Status::Invited
        },
        created_at,
        updated_at: created_at,
    }
}

async fn seed_users(
    url: &str,
    n: usize,
    ids_file: &std::path::Path,
    count_words: &[String],
    seed: u64,
) -> Result<()> {
    let store = Store::connect(url).await.context("connecting")?;
    let (org, existing) = {
        let mut conn = store.read().await?;
        let org = sesame_store::orgs::list(&mut conn)
            .await?
            .into_iter()
            .next()
            .context("no organisation: run `sesame init` first")?;
        // The administrator made by `init`: their login must not be taken again.
        let filter = sesame_store::users::Filter {
            limit: 1000,
            ..Default::default()
        };
        let existing: Vec<String> = sesame_store::users::list(&mut conn, &org.id, &filter)
            .await?
            .into_iter()
            .map(|u| u.login)
            .collect();
        (org, existing)
    };
    let mut rng = Rng(seed);
    let mut taken: HashSet<String> = existing.into_iter().collect();
    let now = sesame_store::now_ms();

    let t0 = Instant::now();
    let users: Vec<UserRow> = (0..n)
        .map(|_| person(&mut rng, &org.id, &mut taken, now))
        .collect();
    // Invited or bulk-created people have no password yet.
    let rows = by_operator(users);
    let generated = t0.elapsed();

    let t1 = Instant::now();
    let mut tx = store.begin().await?;
    // The store's own bulk path (batched `bulk::insert`s): the users and their search words.
    sesame_store::users::insert_many(&mut tx, store.backend(), &rows).await?;
    tx.commit().await?;
    let inserted = t1.elapsed();
    store.close().await;

    let mut ids: Vec<&str> = rows.iter().map(|(_, u, _)| u.id.as_str()).collect();
    for i in (1..ids.len()).rev() {
        ids.swap(i, rng.below(i + 1));
    }
    if let Some(dir) = ids_file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(ids_file)?);
    for id in &ids {
        writeln!(f, "{id}")?;
    }
    f.flush()?;

    eprintln!(
        "seeded {n} users into {:?} org {} (generated in {:.0} ms, inserted in {:.0} ms = {:.0} users/s)",
        store.backend(),
        org.slug,
        generated.as_secs_f64() * 1e3,
        inserted.as_secs_f64() * 1e3,
        n as f64 / inserted.as_secs_f64()
    );
    println!("insert_ms={:.0}", inserted.as_secs_f64() * 1e3);
    for (i, word) in count_words.iter().enumerate() {
        // As the service searches: every word of the query starts a word of the folded login,
        // e-mail or names.
        let query = sesame_store::users::search_words(word);
        let matches = rows
            .iter()
            .filter(|(_, u, _)| {
                let key = u.search_key();
                query
                    .iter()
                    .all(|q| key.split_whitespace().any(|w| w.starts_with(q.as_str())))
            })
            .count();
        let n = if i == 0 {
            String::new()
        } else {
            format!("_{}", i + 1)
        };
        println!("matches{n}={matches}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// hello

async fn hello(listen: &str) -> Result<()> {
    let app = axum::Router::new().route("/", axum::routing::get(|| async { "hello" }));
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| listen.to_string())?;
    eprintln!("hello listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// startup

/// One `GET path` on a fresh connection: `Some(status)` if something answered.
fn probe(port: u16, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.set_nodelay(true).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 16];
    let mut got = 0;
    while got < 12 {
        match s.read(&mut head[got..]) {
            Ok(0) | Err(_) => return None,
            Ok(k) => got += k,
        }
    }
    // "HTTP/1.1 200 "
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

fn startup(runs: usize, path: &str, timeout: Duration, cmd: &[String]) -> Result<()> {
    let mut times = Vec::new();
    for run in 1..=runs {
        let port = free_port()?;
        let args: Vec<String> = cmd
            .iter()
            .map(|a| a.replace("{port}", &port.to_string()))
            .collect();
        let t0 = Instant::now();
        let mut child = Process::new(&args[0])
            .args(&args[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("spawning {}", args[0]))?;
        let elapsed = loop {
            if probe(port, path) == Some(200) {
                break Some(t0.elapsed());
            }
            if t0.elapsed() > timeout || child.try_wait()?.is_some() {
                break None;
            }
            std::thread::sleep(Duration::from_millis(1));
        };
        // SIGTERM for a clean shutdown (WAL checkpoint), then wait.
        let _ = Process::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while child.try_wait()?.is_none() {
            if Instant::now() > deadline {
                child.kill()?;
                child.wait()?;
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let Some(elapsed) = elapsed else {
            bail!("run {run}: no 200 on {path} within {timeout:?} (or the server exited)");
        };
        let ms = elapsed.as_secs_f64() * 1e3;
        eprintln!("  start {run}/{runs}: {ms:.1} ms");
        times.push(ms);
        std::thread::sleep(Duration::from_millis(200));
    }
    times.sort_by(f64::total_cmp);
    println!("{:.1}", times[times.len() / 2]);
    Ok(())
}

/// Seeded people as the operator creates them (who holds every right): each row with the
/// policy's proof the store requires, and no password.
pub(crate) fn by_operator(users: Vec<UserRow>) -> Vec<sesame_store::users::Created> {
    users
        .into_iter()
        .map(|u| {
            let proof = sesame_core::policy::Actor::operator(&u.org_id)
                .may_create(&u.id, &[])
                .expect("the operator may create anyone");
            (proof, u, None)
        })
        .collect()
}
