//! How long an export of 100,000 members × 8 columns takes to write, per format. Ignored by
//! default (meaningful only in release):
//! `cargo test --release -p sesame-sheet --test write_speed -- --ignored --nocapture`
//! (`SESAME_WRITE_FORMATS=ods` for one format, e.g. to read its peak memory with
//! `/usr/bin/time -v`).

use std::time::{Duration, Instant};

use sesame_sheet::{Column, Format, HeaderStyle, Workbook, write};

const ROWS: usize = 100_000;

fn export() -> Workbook {
    let headers = [
        "Prénom",
        "Nom",
        "Courriel",
        "Téléphone",
        "Identifiant",
        "Rôles",
        "Groupes",
        "Langue",
    ];
    let columns = headers
        .iter()
        .enumerate()
        .map(|(i, h)| Column {
            header: h.to_string(),
            style: Some(if i < 3 {
                HeaderStyle::Required
            } else {
                HeaderStyle::Optional
            }),
            width: 16.0,
            choices: match i {
                5 => Some(vec![
                    "Adhérent".into(),
                    "Référent".into(),
                    "Trésorier".into(),
                ]),
                6 => Some((1..=30).map(|g| format!("Groupe {g}")).collect()),
                _ => None,
            },
        })
        .collect();
    let rows = (0..ROWS)
        .map(|i| {
            vec![
                format!("Prénom{i}"),
                format!("Nom-Éloïse {i}"),
                format!("membre{i}@example.org"),
                format!("06{:08}", i),
                format!("prenom{i}.nom"),
                "Adhérent".into(),
                format!("Groupe {}", i % 30 + 1),
                if i % 3 == 0 { "en" } else { "fr" }.into(),
            ]
        })
        .collect();
    Workbook {
        sheet_name: "Membres".into(),
        columns,
        rows,
        instructions: None,
        csv_delimiter: b';',
    }
}

#[test]
#[ignore = "a timing, for release builds"]
fn write_100_000_rows() {
    let book = export();
    let only = std::env::var("SESAME_WRITE_FORMATS").ok();
    for format in [Format::Xlsx, Format::Ods, Format::Csv] {
        if only
            .as_deref()
            .is_some_and(|o| !o.split(',').any(|f| Format::parse(f) == Some(format)))
        {
            continue;
        }
        let mut times: Vec<Duration> = Vec::new();
        let mut size = 0;
        for _ in 0..3 {
            let start = Instant::now();
            size = write(format, &book).expect("written").len();
            times.push(start.elapsed());
        }
        times.sort();
        println!(
            "{format:?}: median {:.2} s over 3 runs ({:.2}–{:.2}), {:.1} MB",
            times[1].as_secs_f64(),
            times[0].as_secs_f64(),
            times[2].as_secs_f64(),
            size as f64 / 1e6
        );
    }
}
