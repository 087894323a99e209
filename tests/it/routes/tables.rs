//! "Nothing changed": every row of every table, read before and after a call.

use crate::harness::Server;
use std::collections::BTreeMap;

/// Columns a live server changes by itself, left out of the comparison: when a session or
/// token was last used (each request), and the outbox's delivery state (its worker, beside the
/// server).
const VOLATILE: &[(&str, &str)] = &[
    ("tokens", "last_used_at"),
    ("tokens", "last_source"),
    ("outbox", "state"),
    ("outbox", "attempts"),
    ("outbox", "next_attempt_at"),
    ("outbox", "claimed_until"),
    ("outbox", "last_error"),
    ("outbox", "sent_at"),
];

/// The brute-force counters (by address, by account): an open door that can be knocked on
/// counts the knocks, for anyone. The only change a public route may make for nobody.
pub(super) const THROTTLE: &str = "sign_in_failures:";

/// Every row of every table, as text: what "nothing changed" compares. Read through the
/// store's own pool, in one query built once from the database's catalogue, so that a table
/// added later is compared too.
pub(super) struct Tables(String);

/// A snapshot: each row as `table: value|value|…`, with how many times it is there.
pub(super) type Rows = BTreeMap<String, usize>;

impl Tables {
    pub(super) async fn of(s: &Server) -> Self {
        use sqlx::Row;
        let pool = s.app.store.pool();
        let postgres = s.app.store.backend() == sesame_store::Backend::Postgres;
        let columns = if postgres {
            sqlx::query("SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position")
        } else {
            sqlx::query("SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid")
        }
        .fetch_all(pool)
        .await
        .expect("the catalogue");
        let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &columns {
            let (t, c) = (r.get::<String, _>("t"), r.get::<String, _>("c"));
            if t == "_sqlx_migrations" || VOLATILE.contains(&(t.as_str(), c.as_str())) {
                continue;
            }
            let quoted = if postgres {
                format!("quote_nullable(\"{c}\")")
            } else {
                format!("quote(\"{c}\")")
            };
            tables.entry(t).or_default().push(quoted);
        }
        assert!(
            tables.contains_key("users"),
            "the catalogue lists the tables"
        );
        let selects: Vec<String> = tables
            .iter()
            .map(|(t, cols)| {
                format!(
                    "SELECT '{t}: ' || {} AS r FROM \"{t}\"",
                    cols.join(" || '|' || ")
                )
            })
            .collect();
        Tables(selects.join(" UNION ALL "))
    }

    pub(super) async fn read(&self, s: &Server) -> Rows {
        use sqlx::Row;
        let mut out = Rows::new();
        for r in sqlx::query(sqlx::AssertSqlSafe(self.0.clone()))
            .fetch_all(s.app.store.pool())
            .await
            .expect("every row")
        {
            *out.entry(r.get::<String, _>("r")).or_default() += 1;
        }
        out
    }
}

/// The rows that differ between two snapshots, as `table: - row` or `table: + row`.
pub(super) fn changes(before: &Rows, after: &Rows) -> Vec<String> {
    let mut out = Vec::new();
    for (row, n) in before {
        if after.get(row).unwrap_or(&0) < n {
            out.push(row.replacen(": ", ": - ", 1));
        }
    }
    for (row, n) in after {
        if before.get(row).unwrap_or(&0) < n {
            out.push(row.replacen(": ", ": + ", 1));
        }
    }
    out
}
