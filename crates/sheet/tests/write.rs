//! The writer, checked by readers that are not ours: calamine reads the values back (XLSX,
//! ODS), the csv crate reads the CSV, and openpyxl / odfpy (Python, through
//! tests/e2e/check_workbook.py) read what calamine cannot: styles, frozen rows, widths, data
//! validations, hidden sheets.

use std::io::Cursor;
use std::path::PathBuf;

use calamine::{Data, Ods, Reader, SheetVisible, Xlsx, open_workbook_from_rs};
use serde_json::Value;
use sesame_sheet::write::{
    CSV_BOM, LISTS_SHEET, VALIDATED_ROWS_MIN, VALIDATED_ROWS_SPARE, looks_like_formula,
};
use sesame_sheet::{Column, Format, HeaderStyle, Instructions, Workbook, WriteError, write};

const ROLES: [&str; 3] = ["Adhérent", "Référent", "Trésorier"];

/// Groups whose list is longer than the 255 characters Excel allows inline.
fn groups() -> Vec<String> {
    (1..=40)
        .map(|i| format!("Installation n°{i} — Côte-des-Neiges"))
        .collect()
}

fn column(header: &str, style: Option<HeaderStyle>, width: f64) -> Column {
    Column {
        header: header.into(),
        style,
        width,
        choices: None,
    }
}

/// Every awkward cell in one small workbook: Unicode names, leading zeros, formula triggers.
fn members(rows: Vec<Vec<String>>) -> Workbook {
    use HeaderStyle::{Optional, Required};
    Workbook {
        sheet_name: "Membres".into(),
        columns: vec![
            column("Prénom", Some(Required), 14.0),
            column("Nom", Some(Required), 20.0),
            column("Courriel", Some(Required), 30.0),
            column("Téléphone", Some(Optional), 16.0),
            Column {
                choices: Some(ROLES.iter().map(|r| r.to_string()).collect()),
                ..column("Rôles", Some(Optional), 18.0)
            },
            Column {
                choices: Some(groups()),
                ..column("Groupes", Some(Optional), 24.0)
            },
            column("Erreur", None, 40.0),
        ],
        rows,
        instructions: Some(Instructions {
            sheet_name: "Mode d'emploi".into(),
            header: vec![
                "Colonne".into(),
                "Obligatoire".into(),
                "Format".into(),
                "Exemple".into(),
            ],
            rows: vec![
                strings(&["Prénom", "oui", "Texte", "Zoë"]),
                strings(&[
                    "Téléphone",
                    "non",
                    "Numéro français ou québécois, avec ou sans espaces, indicatif facultatif",
                    "+33 6 12 34 56 78",
                ]),
            ],
        }),
        csv_delimiter: b';',
    }
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn sample_rows() -> Vec<Vec<String>> {
    vec![
        strings(&[
            "Nguyễn Thị Minh Khai",
            "O'Brien-Tremblay",
            "minh@example.org",
            "0612345678",
            "Adhérent, Référent",
            "Installation n°1 — Côte-des-Neiges",
            "",
        ]),
        strings(&[
            "=1+1",
            "+33 6 12 34 56 78",
            "@SUM(A1:A2)",
            "-5",
            "\tTab",
            "\rCR",
            "1e5",
        ]),
        strings(&[
            "Zoë",
            "Œuvre",
            "zoe@example.fr",
            "007",
            "",
            "",
            "01/02/1990",
        ]),
        // Spaces that a paragraph would collapse or drop, tabs, line breaks.
        strings(&[
            " Jean  Pierre ",
            "Du\t Pont",
            "",
            "",
            "",
            "",
            "ligne 1\r\n  ligne 2\n",
        ]),
        // A short row: the cells it lacks are empty.
        strings(&["Ørjan", "Łukasz"]),
    ]
}

fn sample() -> Workbook {
    members(sample_rows())
}

fn written(format: Format, book: &Workbook) -> Vec<u8> {
    write(format, book).unwrap_or_else(|e| panic!("writing {format:?}: {e}"))
}

/// The main sheet as calamine reads it, header included, each cell as text; any cell that is
/// not text (a number, a date, a formula result) fails the test.
fn main_sheet_text<R: Reader<Cursor<Vec<u8>>>>(mut reader: R) -> Vec<Vec<String>>
where
    R::Error: std::fmt::Debug,
{
    let range = reader.worksheet_range("Membres").expect("main sheet");
    assert_eq!(range.start(), Some((0, 0)));
    range
        .rows()
        .map(|row| {
            let mut cells: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => panic!("a cell that is not text: {other:?}"),
                })
                .collect();
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            cells
        })
        .collect()
}

/// What the main sheet should read back as: header, then the rows without trailing blanks.
fn expected(book: &Workbook) -> Vec<Vec<String>> {
    let header = book.columns.iter().map(|c| c.header.clone()).collect();
    std::iter::once(header)
        .chain(book.rows.iter().map(|row| {
            let mut row = row.clone();
            while row.last().is_some_and(String::is_empty) {
                row.pop();
            }
            row
        }))
        .collect()
}

fn sheet_visibility<R: Reader<Cursor<Vec<u8>>>>(reader: &R) -> Vec<(String, bool)> {
    reader
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect()
}

fn expected_sheets() -> Vec<(String, bool)> {
    vec![
        ("Membres".into(), true),
        ("Mode d'emploi".into(), true),
        (LISTS_SHEET.into(), false),
    ]
}

#[test]
fn xlsx_cells_read_back_as_the_same_text() {
    let book = sample();
    let bytes = written(Format::Xlsx, &book);
    let reader: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an XLSX file");
    assert_eq!(sheet_visibility(&reader), expected_sheets());
    assert_eq!(main_sheet_text(reader), expected(&book));
}

#[test]
fn ods_cells_read_back_as_the_same_text() {
    let book = sample();
    let bytes = written(Format::Ods, &book);
    let reader: Ods<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an ODS file");
    assert_eq!(sheet_visibility(&reader), expected_sheets());
    // XML has no carriage return in text (a parser reads it as a line feed): the writer
    // makes it a line break.
    let want: Vec<Vec<String>> = expected(&book)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| c.replace("\r\n", "\n").replace('\r', "\n"))
                .collect()
        })
        .collect();
    assert_eq!(main_sheet_text(reader), want);
}

#[test]
fn the_lists_sheet_holds_each_list_under_its_header() {
    let book = sample();
    for format in [Format::Xlsx, Format::Ods] {
        let bytes = written(format, &book);
        let range = match format {
            Format::Xlsx => open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(bytes))
                .unwrap()
                .worksheet_range(LISTS_SHEET)
                .unwrap(),
            _ => open_workbook_from_rs::<Ods<_>, _>(Cursor::new(bytes))
                .unwrap()
                .worksheet_range(LISTS_SHEET)
                .unwrap(),
        };
        let column = |c: u32| -> Vec<String> {
            (0..range.height() as u32)
                .filter_map(|r| match range.get_value((r, c)) {
                    Some(Data::String(s)) => Some(s.clone()),
                    _ => None,
                })
                .collect()
        };
        let mut roles = vec!["Rôles".to_string()];
        roles.extend(ROLES.iter().map(|r| r.to_string()));
        assert_eq!(column(0), roles, "{format:?}");
        let mut all_groups = vec!["Groupes".to_string()];
        all_groups.extend(groups());
        assert_eq!(column(1), all_groups, "{format:?}");
    }
}

#[test]
fn csv_is_utf8_with_a_bom_and_neutralises_formulas() {
    let book = sample();
    let bytes = written(Format::Csv, &book);
    assert!(bytes.starts_with(CSV_BOM), "no byte order mark");
    let text = std::str::from_utf8(&bytes[CSV_BOM.len()..]).expect("UTF-8");
    assert!(text.starts_with("Prénom;Nom;Courriel;Téléphone;Rôles;Groupes;Erreur\r\n"));
    assert!(text.contains("'=1+1;'+33 6 12 34 56 78;'@SUM(A1:A2);'-5;"));
    assert!(text.contains("Nguyễn Thị Minh Khai;O'Brien-Tremblay;minh@example.org;0612345678;"));

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[CSV_BOM.len()..]);
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let want: Vec<Vec<String>> = expected(&book)
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|c| {
                    if looks_like_formula(&c) {
                        format!("'{c}")
                    } else {
                        c
                    }
                })
                .collect()
        })
        .collect();
    let trimmed: Vec<Vec<String>> = records
        .into_iter()
        .map(|mut row| {
            while row.last().is_some_and(String::is_empty) {
                row.pop();
            }
            row
        })
        .collect();
    assert_eq!(trimmed, want);
}

#[test]
fn csv_takes_the_workbooks_delimiter_and_ignores_the_instructions() {
    let book = Workbook {
        csv_delimiter: b',',
        ..sample()
    };
    let bytes = written(Format::Csv, &book);
    let text = std::str::from_utf8(&bytes[CSV_BOM.len()..]).unwrap();
    assert!(text.starts_with("Prénom,Nom,Courriel,"));
    assert!(text.contains("\"Adhérent, Référent\""), "{text}");
    assert!(!text.contains("Mode d'emploi") && !text.contains("Obligatoire"));
}

#[test]
fn xls_is_not_written() {
    assert!(matches!(
        write(Format::Xls, &sample()),
        Err(WriteError::Unsupported("xls"))
    ));
}

#[test]
fn a_sheet_named_like_the_lists_sheet_is_refused() {
    let book = Workbook {
        sheet_name: LISTS_SHEET.into(),
        ..sample()
    };
    for format in [Format::Xlsx, Format::Ods] {
        let err = write(format, &book).expect_err("two sheets with one name");
        assert!(err.to_string().contains(LISTS_SHEET), "{err}");
    }
}

#[test]
fn a_workbook_without_lists_has_no_lists_sheet() {
    let mut book = sample();
    book.instructions = None;
    for column in &mut book.columns {
        column.choices = None;
    }
    book.columns[4].choices = Some(Vec::new());
    let bytes = written(Format::Xlsx, &book);
    let reader: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(reader.sheet_names(), ["Membres"]);
    let bytes = written(Format::Ods, &book);
    let reader: Ods<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(reader.sheet_names(), ["Membres"]);
}

// ---- What calamine cannot see, through openpyxl (XLSX) and odfpy (ODS).

/// The Python of the test clients, as tests/it/harness.rs finds it: SESAME_TEST_PYTHON, else
/// the clone's .venv-test/ (made by ./scripts/test). Missing, the test fails: it does not skip.
fn python() -> PathBuf {
    if let Ok(p) = std::env::var("SESAME_TEST_PYTHON") {
        return p.into();
    }
    let venv = repo().join(".venv-test/bin/python");
    assert!(
        venv.exists(),
        "the Python test clients are missing: run ./scripts/test once (it makes .venv-test/ with openpyxl and odfpy), or set SESAME_TEST_PYTHON"
    );
    venv
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// tests/e2e/check_workbook.py's description of the file.
fn described(format: Format, book: &Workbook) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("book.{}", format.extension()));
    std::fs::write(&path, written(format, book)).unwrap();
    let out = std::process::Command::new(python())
        .arg(repo().join("tests/e2e/check_workbook.py"))
        .arg(&path)
        .output()
        .expect("run check_workbook.py");
    assert!(
        out.status.success(),
        "check_workbook.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from check_workbook.py")
}

fn sheet<'a>(described: &'a Value, name: &str) -> &'a Value {
    described["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no sheet {name} in {described}"))
}

/// (bold, italic) of each header cell.
fn header_styles(sheet: &Value) -> Vec<(String, bool, bool)> {
    sheet["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["value"].as_str().unwrap().to_owned(),
                h["bold"].as_bool().unwrap(),
                h["italic"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn expected_header_styles() -> Vec<(String, bool, bool)> {
    [
        ("Prénom", true, false),
        ("Nom", true, false),
        ("Courriel", true, false),
        ("Téléphone", false, true),
        ("Rôles", false, true),
        ("Groupes", false, true),
        ("Erreur", false, false),
    ]
    .into_iter()
    .map(|(h, b, i)| (h.to_owned(), b, i))
    .collect()
}

/// What both formats must show, whatever their vocabulary.
fn check_common(described: &Value, book: &Workbook) {
    let visibility: Vec<(String, bool)> = described["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["visible"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(visibility, expected_sheets());

    let main = sheet(described, "Membres");
    assert_eq!(header_styles(main), expected_header_styles());
    assert_eq!(main["freeze"], "A2", "header row frozen");
    for (i, letter) in ["A", "B", "C", "D", "E", "F", "G"].iter().enumerate() {
        assert!(
            main["widths"].get(letter).is_some(),
            "column {letter} has no width: {}",
            main["widths"]
        );
        assert_eq!(
            main["text_format"][letter], true,
            "column {letter} not text ({i})"
        );
    }
    // Every data cell is a text cell, the formula-like ones included.
    for row in main["rows"].as_array().unwrap() {
        for cell in row.as_array().unwrap() {
            if !cell["value"].is_null() {
                assert_eq!(cell["type"], "s", "{cell}");
            }
        }
    }
    assert_eq!(main["rows"][2][0]["value"], "=1+1");

    // Two drop-down lists, warning only, from the hidden sheet, on the rows below the header.
    let last = 1 + VALIDATED_ROWS_MIN.max(book.rows.len() + VALIDATED_ROWS_SPARE);
    let validations = main["validations"].as_array().unwrap();
    assert_eq!(validations.len(), 2, "{validations:?}");
    let mut by_column: Vec<(&str, &Value)> = validations
        .iter()
        .map(|v| (v["sqref"].as_str().unwrap(), v))
        .collect();
    by_column.sort_by_key(|(sqref, _)| *sqref);
    for ((sqref, v), (letter, list_letter, len)) in by_column
        .into_iter()
        .zip([("E", "A", ROLES.len()), ("F", "B", groups().len())])
    {
        assert_eq!(sqref, format!("{letter}2:{letter}{last}"));
        assert_eq!(v["type"], "list");
        assert_eq!(v["error_style"], "warning");
        let source = v["source"].as_str().unwrap();
        assert!(
            source.contains(LISTS_SHEET)
                && source.contains(&format!("${list_letter}$2"))
                && source.contains(&format!("${list_letter}${}", len + 1)),
            "{source}"
        );
    }

    let instructions = sheet(described, "Mode d'emploi");
    assert_eq!(instructions["freeze"], "A2");
    let headers = header_styles(instructions);
    assert!(headers.iter().all(|(_, bold, _)| *bold), "{headers:?}");
    assert_eq!(
        instructions["rows"][2][2]["value"],
        book.instructions.as_ref().unwrap().rows[1][2]
    );
}

#[test]
fn xlsx_looks_right_to_openpyxl() {
    let book = sample();
    let described = described(Format::Xlsx, &book);
    check_common(&described, &book);
    let main = sheet(&described, "Membres");
    // rust_xlsxwriter stores a width of n characters as n plus its padding (n + 0.71).
    let width = main["widths"]["C"].as_f64().unwrap();
    assert!((30.0..31.0).contains(&width), "{width}");
    // The formula-like cell carries Excel's quote prefix, so that editing it keeps it text.
    assert_eq!(main["rows"][2][0]["quote_prefix"], true);
    assert_eq!(main["rows"][1][0]["quote_prefix"], false);
    let validation = &main["validations"][0];
    assert_eq!(validation["prompt_title"], "Rôles");
    assert_eq!(validation["prompt"], "Adhérent, Référent, Trésorier");
    let instructions = sheet(&described, "Mode d'emploi");
    let width = instructions["widths"]["C"].as_f64().unwrap();
    assert!(
        (60.0..61.0).contains(&width),
        "long texts wrap at 60 characters: {width}"
    );
}

#[test]
fn ods_looks_right_to_odfpy() {
    let book = sample();
    let described = described(Format::Ods, &book);
    check_common(&described, &book);
    let main = sheet(&described, "Membres");
    // 30 characters of 7 pixels plus 5 of padding, at 0.75 point per pixel.
    assert_eq!(main["widths"]["C"], "161.25pt");
    let validation = &main["validations"][0];
    assert_eq!(validation["prompt_title"], "Rôles");
    assert_eq!(validation["prompt"], "Adhérent, Référent, Trésorier");
}

#[test]
fn drop_down_lists_reach_past_long_data() {
    let rows: Vec<Vec<String>> = (0..VALIDATED_ROWS_MIN + 5)
        .map(|i| strings(&[&format!("Prénom {i}"), "Nom", "", "", "Adhérent"]))
        .collect();
    let mut book = members(rows);
    book.instructions = None;
    let last = book.rows.len() + VALIDATED_ROWS_SPARE + 1;
    for format in [Format::Xlsx, Format::Ods] {
        let described = described(format, &book);
        let main = sheet(&described, "Membres");
        let sqrefs: Vec<&str> = main["validations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["sqref"].as_str().unwrap())
            .collect();
        assert!(
            sqrefs.contains(&format!("E2:E{last}").as_str()),
            "{format:?}: {sqrefs:?}"
        );
        assert!(
            sqrefs.contains(&format!("F2:F{last}").as_str()),
            "{format:?}: {sqrefs:?}"
        );
    }
}

/// Export → import: our own reader takes back what the writer made, in every format, with the
/// main sheet found among the others and the CSV's `'` taken off again. (Whitespace aside: the
/// reader trims cells.)
#[test]
fn what_is_written_reads_back_through_our_reader() {
    let rows: Vec<Vec<String>> = sample_rows()
        .into_iter()
        .filter(|row| row.iter().all(|c| c.trim() == c))
        .collect();
    let book = members(rows);
    for format in [Format::Xlsx, Format::Ods, Format::Csv] {
        let bytes = written(format, &book);
        let name = format!("export.{}", format.extension());
        let sheet = sesame_sheet::open_bytes(bytes, &name, &[], &sesame_sheet::Limits::default())
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        if format != Format::Csv {
            assert_eq!(sheet.name.as_deref(), Some("Membres"), "{format:?}");
        }
        let read: Vec<Vec<String>> = sheet.map(|row| row.unwrap().cells).collect();
        assert_eq!(read, expected(&book), "{format:?}");
    }
}
