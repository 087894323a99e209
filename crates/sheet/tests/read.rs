//! The reader against files from real software (tests/fixtures/import, see its README): each
//! read back with its exact cells and row numbers, each bad one with its exact error code, and
//! every limit with small values.

mod hand_made;

use hand_made::{ods, ods_with_content, worksheet, xlsx};
use sesame_sheet::{Format, Limits, ReadError, Row, Sheet, open, open_bytes};
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Rows as (number, cells).
type Rows = Vec<(usize, Vec<String>)>;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/import")
        .join(name)
}

fn rows(sheet: Sheet) -> Rows {
    sheet
        .map(|r| {
            let Row { number, cells } = r.expect("row");
            (number, cells)
        })
        .collect()
}

fn read(name: &str) -> (Format, Option<String>, Rows) {
    let sheet = open(&fixture(name), &["Membres", "Members"], &Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    // The same from bytes, as an upload.
    let bytes = std::fs::read(fixture(name)).unwrap();
    let uploaded = open_bytes(bytes, name, &["Membres", "Members"], &Limits::default()).unwrap();
    let (format, sheet_name) = (sheet.format, sheet.name.clone());
    let all = rows(sheet);
    assert_eq!(rows(uploaded), all, "{name}: open and open_bytes agree");
    (format, sheet_name, all)
}

fn error(name: &str) -> ReadError {
    let limits = Limits::default();
    let from_path = open(&fixture(name), &[], &limits).expect_err(name);
    let bytes = std::fs::read(fixture(name)).unwrap();
    let from_bytes = open_bytes(bytes, name, &[], &limits).expect_err(name);
    assert_eq!(from_path.code(), from_bytes.code(), "{name}");
    from_path
}

fn row(number: usize, cells: &[&str]) -> (usize, Vec<String>) {
    (number, cells.iter().map(|c| c.to_string()).collect())
}

const FR: [&str; 8] = [
    "Identifiant",
    "Courriel",
    "Prénom",
    "Nom",
    "Téléphone",
    "Langue",
    "Rôles",
    "Groupes",
];

/// What `membres-openpyxl.xlsx` and LibreOffice's conversions of it hold.
fn membres() -> Rows {
    vec![
        row(1, &FR),
        row(
            2,
            &[
                "zlefevre",
                "Zoe.Lefevre@Example.FR",
                "Zoé",
                "Lefèvre",
                "06 12 34 56 78",
                "fr",
                "membre",
                "Panier légumes",
            ],
        ),
        row(
            3,
            &[
                "jedaubigne",
                "Jean-Etienne.DAubigne@exemple.fr",
                "Jean-Étienne",
                "D'Aubigné",
                "+33 6 98 76 54 32",
                "fr",
                "membre, trésorier",
                "Panier légumes, Panier fruits",
            ],
        ),
        // Rows 4 and 5 are blank.
        row(
            6,
            &[
                "",
                "nguyen.minh.khai@exemple.fr",
                "Thị Minh Khai",
                "Nguyễn",
                "612345678",
                "fr",
                "membre",
                "Panier fruits",
            ],
        ),
        row(
            7,
            &[
                "lnowak",
                "Lukasz.Nowak@Exemple.pl",
                "Łukasz",
                "Nowak",
                "07 11 22 33 44",
                "fr",
                "membre",
            ],
        ),
        row(
            8,
            &[
                "",
                "HANS.ORSTED@exemple.dk",
                "Hans Christian",
                "Ørsted",
                "(514) 555-1234",
                "en",
                "",
                "Panier fruits",
            ],
        ),
        row(
            9,
            &[
                "zlefevre",
                "Zoe.Lefevre@Example.FR",
                "Zoé",
                "Lefèvre",
                "06 12 34 56 78",
                "fr",
                "membre",
                "Panier légumes",
            ],
        ),
        row(
            10,
            &[
                "",
                "anne-cecile.lhote@exemple.fr",
                "Anne-Cécile",
                "L'Hôte",
                "07 00 00 00 01",
                "fr",
                "membre",
            ],
        ),
    ]
}

fn members_en() -> Rows {
    vec![
        row(
            1,
            &[
                "Login",
                "E-mail",
                "First name",
                "Last name",
                "Phone",
                "Language",
                "Roles",
                "Groups",
            ],
        ),
        row(
            2,
            &[
                "mtremblay",
                "Marie.Tremblay@CPE-Soleil.ca",
                "Marie",
                "Tremblay",
                "(514) 555-1234",
                "fr",
                "parent",
                "Installation Rosemont",
            ],
        ),
        row(
            3,
            &[
                "jsmith",
                "John.Smith@Example.ca",
                "John",
                "Smith",
                "514-555-9876",
                "en",
                "educator, admin",
                "Installation Verdun",
            ],
        ),
        row(
            5,
            &[
                "",
                "ngoc.anh.tran@example.ca",
                "Ngọc Anh",
                "Trần",
                "4385551212",
                "en",
                "parent",
                "Installation Verdun",
            ],
        ),
        row(
            6,
            &[
                "jsmith",
                "John.Smith@Example.ca",
                "John",
                "Smith",
                "514-555-9876",
                "en",
                "educator, admin",
                "Installation Verdun",
            ],
        ),
    ]
}

#[test]
fn members_from_every_workbook_format() {
    for (name, format) in [
        ("membres-openpyxl.xlsx", Format::Xlsx),
        ("membres.xlsx", Format::Xlsx),
        ("membres.ods", Format::Ods),
        ("membres.xls", Format::Xls),
    ] {
        let (got_format, sheet, got) = read(name);
        assert_eq!(got_format, format, "{name}");
        assert_eq!(sheet.as_deref(), Some("Membres"), "{name}");
        assert_eq!(got, membres(), "{name}");
    }
}

#[test]
fn english_headers() {
    let (format, sheet, got) = read("members-en.xlsx");
    assert_eq!((format, sheet.as_deref()), (Format::Xlsx, Some("Members")));
    assert_eq!(got, members_en());
}

#[test]
fn utf16_and_tab_separated_csv() {
    for name in ["members-utf16.csv", "members-tab.csv"] {
        let (format, sheet, got) = read(name);
        assert_eq!((format, sheet), (Format::Csv, None), "{name}");
        assert_eq!(got, members_en(), "{name}");
    }
}

#[test]
fn csv_as_french_excel_writes_it() {
    let (format, _, got) = read("membres-excel-fr.csv");
    assert_eq!(format, Format::Csv);
    assert_eq!(
        got,
        vec![
            row(
                1,
                &[
                    "Identifiant",
                    "Adresse e-mail",
                    "Prénom",
                    "Nom",
                    "Portable",
                    "Langue",
                    "Rôles",
                    "Groupes"
                ]
            ),
            row(
                2,
                &[
                    "zlefevre",
                    "Zoe.Lefevre@Example.FR",
                    "Zoé",
                    "Lefèvre",
                    "06 12 34 56 78",
                    "fr",
                    "membre",
                    "Panier légumes"
                ]
            ),
            // Row 3 is only separators.
            row(
                4,
                &[
                    "acoeur",
                    "Agnes.Coeur@exemple.fr",
                    "Agnès",
                    "Cœur",
                    "612345678",
                    "fr",
                    "membre",
                    "Panier œufs 5 €"
                ]
            ),
            row(
                5,
                &[
                    "jedaubigne",
                    "jean-etienne.daubigne@exemple.fr",
                    "Jean-Étienne",
                    "D'Aubigné",
                    "+33 6 98 76 54 32",
                    "fr",
                    "membre; trésorier",
                    "Panier légumes"
                ]
            ),
            // A line break inside quotes stays in its cell; the writer's `'` comes off.
            row(
                6,
                &[
                    "",
                    "ml@exemple.fr",
                    "Marie-Laure",
                    "Dupont\r\ndite « Malou »",
                    "",
                    "fr",
                    "",
                    "=1+1"
                ]
            ),
        ]
    );
}

#[test]
fn csv_utf8_with_bom() {
    let (_, _, got) = read("membres-utf8-bom.csv");
    // The same members, without the blank rows the workbook had.
    let expected: Vec<_> = membres()
        .into_iter()
        .enumerate()
        .map(|(i, (_, cells))| (i + 1, cells))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn cells_of_every_kind() {
    let common = |boolean: &str, error_row: &[&str]| {
        vec![
            row(1, &["Type", "Valeur"]),
            row(2, &["texte", "Zoé"]),
            row(3, &["entier", "612345678"]),
            row(4, &["grand entier", "33612345678"]),
            // Fifteen significant digits, as a spreadsheet keeps them; never 1.2E+19.
            row(5, &["très grand entier", "12345678901234600000"]),
            row(6, &["décimal", "12.5"]),
            row(7, &["somme", "0.3"]),
            row(8, &["date", "2024-03-15"]),
            row(9, &["date et heure", "2024-03-15 10:30"]),
            row(10, &["formule", "1224691356"]),
            row(11, &["formule texte", "LEFÈVRE"]),
            row(12, &["booléen", boolean]),
            row(13, error_row),
            // Text that looks like a formula is text: never evaluated.
            row(14, &["égal", "=1+1"]),
        ]
    };
    assert_eq!(read("cellules.xlsx").2, common("true", &["erreur"]));
    assert_eq!(read("cellules.xls").2, common("true", &["erreur"]));
    // LibreOffice saved TRUE as the formula =TRUE() whose value is the number 1.
    assert_eq!(read("cellules.ods").2, common("1", &["erreur"]));
}

#[test]
fn sheet_chosen_by_name_else_first_non_empty() {
    for name in ["classeur.xlsx", "classeur.ods"] {
        let path = fixture(name);
        let limits = Limits::default();
        // Named like the template's sheet, whatever the case.
        let sheet = open(&path, &["membres"], &limits).unwrap();
        assert_eq!(sheet.name.as_deref(), Some("MEMBRES"), "{name}");
        assert_eq!(rows(sheet), membres()[..3].to_vec(), "{name}");
        // Accents, case and the kind of apostrophe ignored.
        let sheet = open(&path, &["Mode d'EMPLOI"], &limits).unwrap();
        assert_eq!(sheet.name.as_deref(), Some("Mode d’emploi"), "{name}");
        // No such sheet: the first non-empty one (Feuil1 is empty).
        let sheet = open(&path, &["Members"], &limits).unwrap();
        assert_eq!(sheet.name.as_deref(), Some("Mode d’emploi"), "{name}");
        assert_eq!(
            rows(sheet),
            vec![
                row(1, &["Colonne", "Obligatoire"]),
                row(2, &["Courriel", "oui"]),
                row(3, &["Prénom", "oui"])
            ]
        );
    }
}

#[test]
fn bad_files_say_what_is_wrong() {
    for (name, code) in [
        ("image.xlsx", "sheet.not_spreadsheet"),
        ("notes.xlsx", "sheet.not_spreadsheet"),
        ("truncated.xlsx", "sheet.corrupt"),
        ("protected.xlsx", "sheet.encrypted"),
        // Found by fuzzing: a FAT chain that loops, which calamine would follow forever.
        ("fuzz-ole-loop.xls", "sheet.corrupt"),
        ("empty.csv", "sheet.empty"),
        ("headers-only.csv", "sheet.headers_only"),
        ("headers-only.xlsx", "sheet.headers_only"),
    ] {
        assert_eq!(error(name).code(), code, "{name}");
    }
    assert_eq!(
        error("protected.xlsx").args(),
        vec![("format", "xlsx".to_string())]
    );
    let missing = open(&fixture("nothing-here.csv"), &[], &Limits::default()).unwrap_err();
    assert_eq!(missing.code(), "sheet.io");
}

/// `open_bytes` of a text, `.csv`.
fn csv(text: &str) -> Result<Rows, ReadError> {
    open_csv(text.as_bytes().to_vec(), &Limits::default())
}

fn open_csv(bytes: Vec<u8>, limits: &Limits) -> Result<Rows, ReadError> {
    open_bytes(bytes, "m.csv", &[], limits)?
        .map(|r| r.map(|r| (r.number, r.cells)))
        .collect()
}

#[test]
fn csv_delimiter_sniffed_with_quotes_respected() {
    // Commas inside cells do not fool the semicolon.
    assert_eq!(
        csv("Nom;Rôles\nZoé;membre, trésorier\nJean;membre\n").unwrap(),
        vec![
            row(1, &["Nom", "Rôles"]),
            row(2, &["Zoé", "membre, trésorier"]),
            row(3, &["Jean", "membre"])
        ]
    );
    // Semicolons inside quotes do not fool the comma.
    assert_eq!(
        csv("Nom,Rôles\n\"Zoé; la grande\",membre\nJean,\"a;b;c\"\n").unwrap(),
        vec![
            row(1, &["Nom", "Rôles"]),
            row(2, &["Zoé; la grande", "membre"]),
            row(3, &["Jean", "a;b;c"])
        ]
    );
    assert_eq!(
        csv("Nom\tPrénom\nLefèvre\tZoé\n").unwrap(),
        vec![row(1, &["Nom", "Prénom"]), row(2, &["Lefèvre", "Zoé"])]
    );
    // An accent before the first delimiter.
    assert_eq!(
        csv("Prénom;Nom\nZoé;Lefèvre, dite Zoé\n").unwrap(),
        vec![
            row(1, &["Prénom", "Nom"]),
            row(2, &["Zoé", "Lefèvre, dite Zoé"])
        ]
    );
    // One column.
    assert_eq!(
        csv("Courriel\na@b.fr").unwrap(),
        vec![row(1, &["Courriel"]), row(2, &["a@b.fr"])]
    );
}

#[test]
fn csv_empty_lines_are_counted() {
    assert_eq!(
        csv("a,b\n\n\nc,\"d\ne\"\r\n\r\n ,\u{a0}\nf,g").unwrap(),
        vec![
            row(1, &["a", "b"]),
            row(4, &["c", "d\ne"]),
            row(7, &["f", "g"])
        ]
    );
}

#[test]
fn csv_with_old_mac_line_ends() {
    assert_eq!(
        csv("Nom;Prénom\rLefèvre;Zoé\r").unwrap(),
        vec![row(1, &["Nom", "Prénom"]), row(2, &["Lefèvre", "Zoé"])]
    );
}

#[test]
fn csv_neutralised_formulas_come_back() {
    assert_eq!(
        csv("a;b;c;d;e;f\n'=SUM(A1);'+33 6;'-5;'@x;'abc;x'=\n").unwrap()[1],
        row(2, &["=SUM(A1)", "+33 6", "-5", "@x", "'abc", "x'="])
    );
}

#[test]
fn csv_encodings() {
    // Windows-1252 whose first accent comes late: the ASCII before it reads the same.
    let mut text = String::from("Nom;Groupe\r\n");
    for i in 0..5000 {
        text.push_str(&format!("membre{i};Panier\r\n"));
    }
    text.push_str("Cœur;Œufs à 5 €\r\n");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    let got = open_csv(bytes.into_owned(), &Limits::default()).unwrap();
    assert_eq!(got.last().unwrap(), &row(5002, &["Cœur", "Œufs à 5 €"]));
    // UTF-16 big-endian with BOM.
    let mut be = vec![0xFE, 0xFF];
    be.extend(
        "Nom,Prénom\nNguyễn,Thị\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes),
    );
    assert_eq!(
        open_csv(be, &Limits::default()).unwrap(),
        vec![row(1, &["Nom", "Prénom"]), row(2, &["Nguyễn", "Thị"])]
    );
    // UTF-16 little-endian without BOM.
    let le: Vec<u8> = "Nom;Prénom\r\nØrsted;Hans\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(
        open_csv(le, &Limits::default()).unwrap()[1],
        row(2, &["Ørsted", "Hans"])
    );
    // A UTF-8 BOM, then bytes that are not UTF-8.
    let mut bad = b"\xEF\xBB\xBFNom;Pr\xC3\xA9nom\nLef\xE8vre;Zo\xE9\n".to_vec();
    let err = open_csv(bad.clone(), &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "sheet.encoding");
    assert_eq!(
        err.args(),
        vec![("encoding", "UTF-8".into()), ("row", "2".into())]
    );
    // Without the BOM, that mixture is taken for Windows-1252 (the UTF-8 é becomes "Ã©").
    bad.drain(..3);
    assert_eq!(
        open_csv(bad, &Limits::default()).unwrap()[1],
        row(2, &["Lefèvre", "Zoé"])
    );
}

fn small(f: impl FnOnce(&mut Limits)) -> Limits {
    let mut limits = Limits::default();
    f(&mut limits);
    limits
}

#[test]
fn limits_in_workbooks() {
    for name in ["membres.xlsx", "membres.ods", "membres.xls"] {
        let path = fixture(name);
        let check = |limits: Limits, code: &str, args: &[(&str, &str)]| {
            // At opening for XLS and ODS (read whole), on the way for XLSX (read as it goes).
            let e = open(&path, &[], &limits)
                .and_then(|sheet| sheet.collect::<Result<Vec<_>, _>>())
                .expect_err(name);
            assert_eq!(e.code(), code, "{name}");
            let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (*k, v.to_string())).collect();
            assert_eq!(e.args(), args, "{name}");
        };
        let size = std::fs::metadata(&path).unwrap().len().to_string();
        check(
            small(|l| l.max_file_bytes = 1000),
            "sheet.too_big",
            &[("limit", "1000"), ("size", &size)],
        );
        check(
            small(|l| l.max_rows = 6),
            "sheet.too_many_rows",
            &[("limit", "6")],
        );
        check(
            small(|l| l.max_columns = 7),
            "sheet.too_many_columns",
            &[("row", "1"), ("limit", "7")],
        );
        check(
            small(|l| l.max_cell_chars = 29),
            "sheet.cell_too_long",
            &[("row", "3"), ("column", "B"), ("limit", "29")],
        );
        // Exactly at the limits: read.
        let at = small(|l| {
            l.max_rows = 7;
            l.max_columns = 8;
            l.max_cell_chars = 32;
        });
        assert_eq!(rows(open(&path, &[], &at).unwrap()).len(), 8, "{name}");
    }
    let e = open(
        &fixture("membres.xlsx"),
        &[],
        &small(|l| l.max_unpacked_bytes = 10_000),
    )
    .unwrap_err();
    assert_eq!(e.code(), "sheet.unpacked_too_big");
}

#[test]
fn limits_in_csv_show_where_they_are_met() {
    let text = "Nom;Prénom\nA;B\nC;D\nE;F\n";
    let limits = small(|l| l.max_rows = 2);
    let mut sheet = open_bytes(text.as_bytes().to_vec(), "m.csv", &[], &limits).unwrap();
    assert_eq!(sheet.next().unwrap().unwrap().number, 1);
    assert_eq!(sheet.next().unwrap().unwrap().number, 2);
    assert_eq!(sheet.next().unwrap().unwrap().number, 3);
    assert_eq!(
        sheet.next().unwrap().unwrap_err(),
        ReadError::TooManyRows { limit: 2 }
    );
    assert!(sheet.next().is_none());
    let e = open_csv(text.into(), &small(|l| l.max_columns = 1)).unwrap_err();
    assert_eq!(e, ReadError::TooManyColumns { row: 1, limit: 1 });
    let e = open_csv(b"a,b\n1,2\n".to_vec(), &small(|l| l.max_file_bytes = 4)).unwrap_err();
    assert_eq!(e, ReadError::TooBig { limit: 4, size: 8 });
}

#[test]
fn a_10_mb_cell() {
    let mut text = String::from("Nom,Note\nZoé,");
    text.push_str(&"é".repeat(5 * 1024 * 1024));
    text.push('\n');
    let e = open_csv(text.into_bytes(), &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "sheet.cell_too_long");
    assert_eq!(
        e.args(),
        vec![
            ("row", "2".into()),
            ("column", "B".into()),
            ("limit", "10000".into())
        ]
    );
}

/// A large CSV in a file: rows come before the file is read through (the error in its last
/// row shows only once the rows before it have been given).
#[test]
fn csv_rows_come_as_the_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(file, "Courriel;Prénom;Nom").unwrap();
    for i in 0..200_000 {
        writeln!(file, "membre{i}@exemple.fr;Zoé;Lefèvre").unwrap();
    }
    writeln!(file, "x;{};y", "z".repeat(20_000)).unwrap();
    drop(file);
    let mut sheet = open(&path, &[], &Limits::default()).unwrap();
    let mut count = 0;
    let err = loop {
        match sheet.next().unwrap() {
            Ok(_) => count += 1,
            Err(e) => break e,
        }
    };
    assert_eq!(count, 200_001);
    assert_eq!(err.code(), "sheet.cell_too_long");
    assert_eq!(err.args()[0], ("row", "200002".to_string()));
}

#[test]
fn hand_made_xlsx_reads() {
    let sheet = worksheet(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Courriel</t></is></c></row><row r="3"><c r="A3" t="inlineStr"><is><t> a@b.fr </t></is></c></row>"#,
    );
    let got = open_csv_like(
        xlsx(&sheet, zip::CompressionMethod::Deflated),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(got, vec![row(1, &["Courriel"]), row(3, &["a@b.fr"])]);
}

fn open_csv_like(bytes: Vec<u8>, limits: &Limits) -> Result<Rows, ReadError> {
    open_bytes(bytes, "m.xlsx", &[], limits)?
        .map(|r| r.map(|r| (r.number, r.cells)))
        .collect()
}

/// One cell in A1 and one in the last cell a sheet can have: a dense grid would be 17 billion
/// cells; read cell by cell, it is two rows (or a column beyond the limit).
#[test]
fn far_apart_cells_do_not_allocate_the_grid_between() {
    let sheet = worksheet(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Courriel</t></is></c></row><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row>"#,
    );
    let e = open_csv_like(
        xlsx(&sheet, zip::CompressionMethod::Deflated),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(
        e,
        ReadError::TooManyColumns {
            row: 1048576,
            limit: 200
        }
    );
    let sheet = worksheet(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Courriel</t></is></c></row><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
    );
    let got = open_csv_like(
        xlsx(&sheet, zip::CompressionMethod::Deflated),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(got, vec![row(1, &["Courriel"]), row(1048576, &["x"])]);
}

/// `n` rows of one e-mail each, from row 1.
fn xlsx_rows(n: usize) -> String {
    (1..=n)
        .map(|i| {
            format!(r#"<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>membre{i}@exemple.fr</t></is></c></row>"#)
        })
        .collect()
}

/// A large XLSX: rows come before the sheet is read through, as for CSV (the error in its last
/// row shows once the rows before it have been given).
#[test]
fn xlsx_rows_come_as_the_file_is_read() {
    let mut cells = xlsx_rows(20_000);
    cells.push_str(&format!(
        r#"<row r="20001"><c r="B20001" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "z".repeat(20_000)
    ));
    let bytes = xlsx(&worksheet(&cells), zip::CompressionMethod::Deflated);
    let mut sheet = open_bytes(bytes, "m.xlsx", &[], &Limits::default()).unwrap();
    assert_eq!(sheet.name.as_deref(), Some("Membres"));
    let mut count = 0;
    let err = loop {
        match sheet.next().unwrap() {
            Ok(row) => {
                count += 1;
                assert_eq!(row.number, count);
            }
            Err(e) => break e,
        }
    };
    assert_eq!(count, 20_000);
    assert_eq!(
        err,
        ReadError::CellTooLong {
            row: 20_001,
            column: "B".into(),
            limit: 10_000
        }
    );
    assert!(sheet.next().is_none());
}

/// Rows whose XML goes backwards (Excel calls such a file damaged): the rows before are given,
/// then the file is said damaged rather than a cell put in the wrong row.
#[test]
fn xlsx_rows_out_of_order_are_a_damaged_file() {
    let mut cells = xlsx_rows(3);
    cells.push_str(
        r#"<row r="5"><c r="A5"><v>5</v></c></row><row r="4"><c r="A4"><v>4</v></c></row>"#,
    );
    let bytes = xlsx(&worksheet(&cells), zip::CompressionMethod::Deflated);
    let got: Vec<_> = open_bytes(bytes, "m.xlsx", &[], &Limits::default())
        .unwrap()
        .collect();
    let numbers: Vec<usize> = got
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|r| r.number)
        .collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(
        got.last().unwrap().as_ref().unwrap_err(),
        &ReadError::Corrupt {
            format: "xlsx",
            detail: "a cell of row 4 comes after row 5".into()
        }
    );
}

/// calamine adds up a cell reference's letters without checking for overflow: thirteen of them
/// panic in a build with overflow checks (tests), on the reader's thread. The rows before come,
/// then a damaged file; never a hang, never an abort (in a release build the reference wraps
/// around to some column, and whatever it reads as is not asserted).
#[test]
fn a_panic_while_reading_an_xlsx_is_a_damaged_file() {
    let mut cells = xlsx_rows(3);
    cells.push_str(r#"<row r="4"><c r="ZZZZZZZZZZZZZ4"><v>1</v></c></row>"#);
    let bytes = xlsx(&worksheet(&cells), zip::CompressionMethod::Deflated);
    let got: Vec<_> = open_bytes(bytes, "m.xlsx", &[], &Limits::default())
        .unwrap()
        .collect();
    // A row is given once a cell of a later one comes: row 3 was still open at the panic.
    assert!(got[..2].iter().all(Result::is_ok), "{got:?}");
    if cfg!(debug_assertions) {
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[2].as_ref().unwrap_err().code(), "sheet.corrupt");
    }
    // As the first cell: said at opening.
    let bytes = xlsx(
        &worksheet(r#"<row r="1"><c r="ZZZZZZZZZZZZZ1"><v>1</v></c></row>"#),
        zip::CompressionMethod::Deflated,
    );
    let opened = open_bytes(bytes, "m.xlsx", &[], &Limits::default());
    if cfg!(debug_assertions) {
        assert_eq!(opened.unwrap_err().code(), "sheet.corrupt");
    }
}

/// 64 MB of blank rows in a worksheet that deflates to about 100 KB.
fn bomb_sheet() -> Vec<u8> {
    let mut sheet =
        worksheet(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Courriel</t></is></c></row>"#);
    let end = sheet.len() - "</sheetData></worksheet>".len();
    let padding = vec![b' '; 64 * 1024 * 1024];
    sheet.splice(end..end, padding);
    sheet
}

#[test]
fn zip_bomb_stops_before_unpacking() {
    let bomb = xlsx(&bomb_sheet(), zip::CompressionMethod::Deflated);
    assert!(bomb.len() < 1024 * 1024, "{}", bomb.len());
    let limits = small(|l| l.max_unpacked_bytes = 16 * 1024 * 1024);
    let e = open_csv_like(bomb, &limits).unwrap_err();
    assert_eq!(e.code(), "sheet.unpacked_too_big");
    assert_eq!(e.args()[0], ("limit", (16 * 1024 * 1024).to_string()));
}

/// The same bomb whose zip directory claims the worksheet unpacks to 1 KB: the zip reader stops
/// inflating past the declared size, so the lie ends as a corrupt file.
#[test]
fn zip_bomb_with_a_lying_directory_is_corrupt() {
    let mut bomb = xlsx(&bomb_sheet(), zip::CompressionMethod::Deflated);
    let name = b"xl/worksheets/sheet1.xml";
    let mut patched = 0;
    // Local header (PK\3\4): uncompressed size at 22; central directory (PK\1\2): at 24.
    for (signature, at, name_at) in [(b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)] {
        let mut i = 0;
        while let Some(p) = bomb[i..].windows(4).position(|w| w == signature) {
            let start = i + p;
            if bomb.get(start + name_at..start + name_at + name.len()) == Some(&name[..]) {
                bomb[start + at..start + at + 4].copy_from_slice(&1024u32.to_le_bytes());
                patched += 1;
            }
            i = start + 4;
        }
    }
    assert_eq!(patched, 2);
    let e = open_csv_like(bomb, &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "sheet.corrupt", "{e}");
}

/// A table named Membres holding `rows` (`<table:table-row>` elements).
fn ods_table(rows: &str) -> String {
    format!(r#"<table:table table:name="Membres">{rows}</table:table>"#)
}

/// A text cell, repeated across `columns`.
fn ods_text(text: &str, columns: usize) -> String {
    format!(
        r#"<table:table-cell office:value-type="string" table:number-columns-repeated="{columns}"><text:p>{text}</text:p></table:table-cell>"#
    )
}

fn ods_header() -> String {
    format!(
        "<table:table-row>{}</table:table-row>",
        ods_text("Courriel", 1)
    )
}

fn open_ods(bytes: Vec<u8>, limits: &Limits) -> Result<Rows, ReadError> {
    open_bytes(bytes, "m.ods", &[], limits)?
        .map(|r| r.map(|r| (r.number, r.cells)))
        .collect()
}

/// `f` on a thread of its own, that a reader looping forever fails the test instead of hanging it.
fn within<T: Send + 'static>(seconds: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(f()));
    receiver
        .recv_timeout(Duration::from_secs(seconds))
        .expect("still reading")
}

/// What LibreOffice writes at the end of every row (the rest of its 16,384 columns, empty) and
/// of every sheet (the rest of its 1,048,576 rows), and blank rows as repeated empty rows: none
/// of it costs calamine anything but the blank rows' few cells, read within 1 MB.
#[test]
fn ods_empty_repetitions_as_libreoffice_writes_them_are_read() {
    let rows = [
        format!(
            r#"<table:table-row>{}{}<table:table-cell table:number-columns-repeated="16382"/></table:table-row>"#,
            ods_text("Courriel", 1),
            ods_text("Nom", 1)
        ),
        r#"<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#.into(),
        format!(
            r#"<table:table-row>{}<table:table-cell table:style-name="ce1" table:number-columns-repeated="2"/><table:table-cell table:number-columns-repeated="16381"/></table:table-row>"#,
            ods_text("a@b.fr", 1)
        ),
        r#"<table:table-row table:number-rows-repeated="1048572"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#.into(),
    ];
    let got = open_ods(
        ods(&ods_table(&rows.concat())),
        &small(|l| l.max_unpacked_bytes = 1024 * 1024),
    )
    .unwrap();
    assert_eq!(got, vec![row(1, &["Courriel", "Nom"]), row(4, &["a@b.fr"])]);
}

/// A few hundred bytes asking calamine for a million rows of 16,384 copies of a cell (its own
/// caps would let it build 100 million, 3 GB): refused before it builds any.
#[test]
fn ods_repeated_values_are_refused_before_calamine_builds_them() {
    let rows = format!(
        r#"{}<table:table-row table:number-rows-repeated="1000000">{}</table:table-row>"#,
        ods_header(),
        ods_text("x", 16_384)
    );
    let bytes = ods(&ods_table(&rows));
    assert!(bytes.len() < 2000, "{}", bytes.len());
    let started = Instant::now();
    let e = open_ods(bytes, &Limits::default()).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(e.code(), "sheet.unpacked_too_big");
    assert_eq!(e.args()[0], ("limit", "1073741824".to_string()));
}

/// Repeated empty cells before a value are spelled out by calamine in every row element, and
/// every table is built, read or not: 3,000 such rows in a second sheet would be 2.7 GB.
#[test]
fn ods_empty_repetitions_before_a_value_count_in_every_sheet() {
    let wide = r#"<table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value="1" office:value-type="float"/></table:table-row>"#;
    let tables = format!(
        r#"{}<table:table table:name="Notes">{}</table:table>"#,
        ods_table(&format!("{}{}", ods_header(), ods_header())),
        wide.repeat(3000)
    );
    let e = open_ods(ods(&tables), &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "sheet.unpacked_too_big");
    // One such row costs 1 MB: the members are read.
    let tables = format!(
        r#"{}<table:table table:name="Notes">{wide}</table:table>"#,
        ods_table(&format!("{}{}", ods_header(), ods_header())),
    );
    assert_eq!(open_ods(ods(&tables), &Limits::default()).unwrap().len(), 2);
}

/// `<text:s text:c="N"/>` is N spaces, which calamine writes out one by one.
#[test]
fn ods_spaces_are_counted() {
    let rows = format!(
        r#"{}<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/>b</text:p></table:table-cell></table:table-row>"#,
        ods_header()
    );
    let e = open_ods(ods(&ods_table(&rows)), &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "sheet.unpacked_too_big");
}

/// Repetitions are rows and cells like any: within `max_unpacked_bytes` they are read (20,000
/// identical members), beyond it refused (their grid is 5 MB).
#[test]
fn ods_repetitions_are_held_to_max_unpacked_bytes() {
    let rows = format!(
        r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="20000">{}</table:table-row>"#,
        ods_text("Colonne", 8),
        ods_text("x", 8)
    );
    let bytes = ods(&ods_table(&rows));
    let got = open_ods(bytes.clone(), &small(|l| l.max_unpacked_bytes = 8 << 20)).unwrap();
    assert_eq!(got.len(), 20_001);
    assert_eq!(got[20_000], row(20_001, &["x"; 8]));
    let e = open_ods(bytes, &small(|l| l.max_unpacked_bytes = 4 << 20)).unwrap_err();
    assert_eq!(e.code(), "sheet.unpacked_too_big");
}

/// Two truncations calamine would loop on forever: content.xml ending inside a table, or
/// inside a text cell's comment.
#[test]
fn ods_cut_short_is_a_damaged_file() {
    let start = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Membres">"#;
    for (end, detail) in [
        (ods_header(), "content.xml ends inside a table"),
        (
            r#"<table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>x</text:p>"#.into(),
            "content.xml ends inside a comment",
        ),
    ] {
        let bytes = ods_with_content(format!("{start}{end}").as_bytes());
        let e = within(10, move || open_ods(bytes, &Limits::default())).unwrap_err();
        assert_eq!(
            e,
            ReadError::Corrupt {
                format: "ods",
                detail: detail.into()
            }
        );
    }
}

/// membres.xls with its last LABELSST cell record (type 0x00FD, 10 bytes: row, column, …)
/// moved to `row`, `column`: what a hostile file holds, in a file calamine otherwise reads.
fn xls_with_a_cell_at(row: u16, column: u16) -> Vec<u8> {
    let mut bytes = std::fs::read(fixture("membres.xls")).unwrap();
    let at = bytes
        .windows(4)
        .rposition(|w| w == [0xFD, 0x00, 0x0A, 0x00])
        .unwrap();
    bytes[at + 4..at + 6].copy_from_slice(&row.to_le_bytes());
    bytes[at + 6..at + 8].copy_from_slice(&column.to_le_bytes());
    bytes
}

fn open_xls(bytes: Vec<u8>, limits: &Limits) -> Result<Rows, ReadError> {
    open_bytes(bytes, "m.xls", &[], limits)?
        .map(|r| r.map(|r| (r.number, r.cells)))
        .collect()
}

/// calamine builds a dense grid over an XLS sheet's cells: one cell moved to row 65,536,
/// column 65,536 made it ask for 137 GB, and the process abort. Refused before, as is a 537 MB
/// grid (column 256, the format's last) under a smaller limit.
#[test]
fn xls_cells_far_apart_are_refused_before_calamine_builds_the_grid() {
    let e = open_xls(xls_with_a_cell_at(65_535, 65_535), &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "sheet.unpacked_too_big");
    let e = open_xls(
        xls_with_a_cell_at(65_535, 255),
        &small(|l| l.max_unpacked_bytes = 256 << 20),
    )
    .unwrap_err();
    assert_eq!(e.code(), "sheet.unpacked_too_big");
    // Where it was, it reads.
    assert_eq!(
        open_xls(xls_with_a_cell_at(9, 6), &Limits::default()).unwrap(),
        membres()
    );
}

/// A DIMENSIONS record whose first row comes after its last: calamine subtracts one from the
/// other (a panic in a debug build, 1.4 TB asked for and an abort in a release one).
#[test]
fn xls_dimensions_ending_before_they_start_are_a_damaged_file() {
    let mut bytes = std::fs::read(fixture("membres.xls")).unwrap();
    // BIFF8's DIMENSIONS: type 0x0200, 14 bytes: first row, last row + 1 (u32), columns (u16).
    let at = bytes
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .unwrap();
    bytes[at + 4..at + 8].copy_from_slice(&100u32.to_le_bytes());
    bytes[at + 8..at + 12].copy_from_slice(&10u32.to_le_bytes());
    let e = open_xls(bytes, &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "sheet.corrupt");
}

#[test]
fn codes_and_args_are_stable() {
    let cases = [
        (ReadError::Io { detail: "x".into() }, "sheet.io", vec![]),
        (ReadError::NotSpreadsheet, "sheet.not_spreadsheet", vec![]),
        (
            ReadError::Unsupported { format: "xlsb" },
            "sheet.unsupported",
            vec![("format", "xlsb")],
        ),
        (
            ReadError::Corrupt {
                format: "ods",
                detail: "x".into(),
            },
            "sheet.corrupt",
            vec![("format", "ods")],
        ),
        (
            ReadError::Encrypted { format: "xls" },
            "sheet.encrypted",
            vec![("format", "xls")],
        ),
        (ReadError::Empty, "sheet.empty", vec![]),
        (ReadError::HeadersOnly, "sheet.headers_only", vec![]),
        (
            ReadError::TooBig { limit: 1, size: 2 },
            "sheet.too_big",
            vec![("limit", "1"), ("size", "2")],
        ),
        (
            ReadError::UnpackedTooBig { limit: 1, size: 2 },
            "sheet.unpacked_too_big",
            vec![("limit", "1"), ("size", "2")],
        ),
        (
            ReadError::TooManyRows { limit: 5 },
            "sheet.too_many_rows",
            vec![("limit", "5")],
        ),
        (
            ReadError::TooManyColumns { row: 3, limit: 5 },
            "sheet.too_many_columns",
            vec![("row", "3"), ("limit", "5")],
        ),
        (
            ReadError::CellTooLong {
                row: 3,
                column: "AA".into(),
                limit: 5,
            },
            "sheet.cell_too_long",
            vec![("row", "3"), ("column", "AA"), ("limit", "5")],
        ),
        (
            ReadError::Encoding {
                encoding: "UTF-8",
                row: 2,
            },
            "sheet.encoding",
            vec![("encoding", "UTF-8"), ("row", "2")],
        ),
    ];
    for (error, code, args) in cases {
        assert_eq!(error.code(), code);
        let args: Vec<(&str, String)> = args.into_iter().map(|(k, v)| (k, v.to_string())).collect();
        assert_eq!(error.args(), args, "{code}");
    }
}
