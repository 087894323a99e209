//! The files an administrator downloads: the template to fill, the export (the same columns,
//! so that export → edit → import round-trips) and the error file (the faulty rows as read,
//! plus an "Erreur" column, to fix and import again).

use super::Faulty;
use super::columns::Column;
use crate::i18n::message;
use crate::{App, Org, Principal, Result};
use sesame_core::Language;
use sesame_sheet::{Format, HeaderStyle, Instructions, Workbook};
use std::collections::HashMap;

/// The main sheet's name, in both languages (the reader prefers it).
pub fn sheet_name(lang: Language) -> &'static str {
    match lang {
        Language::Fr => "Membres",
        Language::En => "Members",
    }
}

/// Both names, for the reader.
pub const SHEET_NAMES: [&str; 2] = ["Membres", "Members"];

fn csv_delimiter(lang: Language) -> u8 {
    match lang {
        Language::Fr => b';',
        Language::En => b',',
    }
}

fn columns(
    org: &Org,
    lang: Language,
    roles: &[String],
    groups: &[String],
) -> Vec<sesame_sheet::Column> {
    Column::ALL
        .iter()
        .map(|&c| sesame_sheet::Column {
            header: c.header(lang).to_string(),
            style: Some(if c.required(org) {
                HeaderStyle::Required
            } else {
                HeaderStyle::Optional
            }),
            width: c.width(),
            choices: match c {
                Column::Roles if !roles.is_empty() => Some(roles.to_vec()),
                Column::Groups if !groups.is_empty() => Some(groups.to_vec()),
                Column::Language => Some(vec!["fr".into(), "en".into()]),
                _ => None,
            },
        })
        .collect()
}

async fn names(app: &App, org: &Org) -> Result<(Vec<String>, Vec<String>)> {
    let mut conn = app.store.read().await?;
    let roles = sesame_store::roles::list(&mut conn, org.id())
        .await?
        .into_iter()
        .map(|r| r.name)
        .collect();
    let groups = sesame_store::groups::list(&mut conn, org.id())
        .await?
        .into_iter()
        .map(|(g, _)| g.name)
        .collect();
    Ok((roles, groups))
}

/// The template: headers bold when required, italic when optional; drop-down lists of the
/// organisation's roles and groups; an instructions sheet.
pub async fn template(app: &App, who: &Principal, lang: Language) -> Result<Workbook> {
    who.actor.may_import()?;
    let org = &who.org;
    let (roles, groups) = names(app, org).await?;
    let t = |code: &str| message(lang, code, &[]);
    let instructions = Instructions {
        sheet_name: t("template.instructions_sheet"),
        header: vec![
            t("template.col_column"),
            t("template.col_required"),
            t("template.col_format"),
            t("template.col_example"),
        ],
        rows: Column::ALL
            .iter()
            .map(|&c| {
                let required = if c.required(org) {
                    t("template.required")
                } else if c == Column::Login {
                    t("template.suggested")
                } else {
                    t("template.optional")
                };
                vec![
                    c.header(lang).to_string(),
                    required,
                    message(lang, &format!("template.format.{}", c.code()), &[]),
                    message(lang, &format!("template.example.{}", c.code()), &[]),
                ]
            })
            .chain(std::iter::once(vec![
                String::new(),
                String::new(),
                t("template.notes"),
                String::new(),
            ]))
            .collect(),
    };
    Ok(Workbook {
        sheet_name: sheet_name(lang).into(),
        columns: columns(org, lang, &roles, &groups),
        rows: Vec::new(),
        instructions: Some(instructions),
        csv_delimiter: csv_delimiter(lang),
    })
}

/// Every user (but the deleted), in the template's columns.
pub async fn export(app: &App, who: &Principal, lang: Language) -> Result<Workbook> {
    who.actor.may_export()?;
    let org = &who.org;
    let (roles, groups) = names(app, org).await?;
    let mut conn = app.store.read().await?;
    let mut users = sesame_store::users::all(&mut conn, org.id()).await?;
    users.sort_by(|a, b| a.login.cmp(&b.login));
    let ids: Vec<String> = users.iter().map(|u| u.id.clone()).collect();
    let mut held: HashMap<String, Vec<String>> = HashMap::new();
    let mut member_of: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(sesame_store::bulk::BATCH_ROWS) {
        for h in sesame_store::roles::held_by(&mut conn, org.id(), chunk).await? {
            let label = match &h.group_name {
                Some(g) => format!("{}@{g}", h.role_name),
                None => h.role_name.clone(),
            };
            held.entry(h.user_id.clone()).or_default().push(label);
        }
        for (uid, g) in sesame_store::groups::of_users(&mut conn, org.id(), chunk).await? {
            member_of.entry(uid).or_default().push(g.name);
        }
    }
    let rows = users
        .iter()
        .map(|u| {
            Column::ALL
                .iter()
                .map(|c| match c {
                    Column::Login => u.login.clone(),
                    Column::Email => u.email.clone().unwrap_or_default(),
                    Column::FirstName => u.first_name.clone().unwrap_or_default(),
                    Column::LastName => u.last_name.clone().unwrap_or_default(),
                    Column::Phone => u
                        .phone
                        .as_deref()
                        .map(|p| sesame_core::Phone::from_e164(p).display(org.country))
                        .unwrap_or_default(),
                    Column::Language => u.language.clone(),
                    Column::AddressLine => u.address_line.clone().unwrap_or_default(),
                    Column::PostalCode => u.postal_code.clone().unwrap_or_default(),
                    Column::City => u.city.clone().unwrap_or_default(),
                    Column::Roles => held.get(&u.id).map(|r| r.join(", ")).unwrap_or_default(),
                    Column::Groups => member_of
                        .get(&u.id)
                        .map(|g| g.join(", "))
                        .unwrap_or_default(),
                    // Read from WordPress exports only: never exported (a hash never leaves).
                    Column::DisplayName | Column::PasswordHash => String::new(),
                })
                .collect()
        })
        .collect();
    Ok(Workbook {
        sheet_name: sheet_name(lang).into(),
        columns: columns(org, lang, &roles, &groups),
        rows,
        instructions: None,
        csv_delimiter: csv_delimiter(lang),
    })
}

/// The faulty rows with the input's headers, plus the "Erreur" / "Error" column.
pub fn error_file(faulty: &Faulty, lang: Language) -> Workbook {
    let mut columns: Vec<sesame_sheet::Column> = faulty
        .headers
        .iter()
        .map(|h| sesame_sheet::Column {
            header: h.clone(),
            style: Column::recognise(h).map(|_| HeaderStyle::Optional),
            width: 18.0,
            choices: None,
        })
        .collect();
    columns.push(sesame_sheet::Column {
        header: message(lang, "import.error_column", &[]),
        style: Some(HeaderStyle::Required),
        width: 60.0,
        choices: None,
    });
    let width = faulty.headers.len();
    let rows = faulty
        .rows
        .iter()
        .map(|(cells, error)| {
            let mut r: Vec<String> = cells.iter().take(width).cloned().collect();
            r.resize(width, String::new());
            r.push(error.clone());
            r
        })
        .collect();
    Workbook {
        sheet_name: sheet_name(lang).into(),
        columns,
        rows,
        instructions: None,
        csv_delimiter: csv_delimiter(lang),
    }
}

/// The error file's format: the one asked, else the input's (CSV for XLS, which is not written).
pub fn error_format(asked: Option<Format>, input: Format) -> Format {
    match asked {
        Some(f) if f.writable() => f,
        _ if input.writable() => input,
        _ => Format::Xlsx,
    }
}

/// The template ([`template`]) or the export ([`export`]) as a file in `format`, named in
/// `lang` (`modele-import.xlsx`, `membres.csv`, …).
pub async fn workbook_file(
    app: &App,
    who: &Principal,
    lang: Language,
    format: sesame_sheet::Format,
    template_wanted: bool,
) -> Result<crate::download::Download> {
    let book = if template_wanted {
        template(app, who, lang).await?
    } else {
        export(app, who, lang).await?
    };
    let name = match (template_wanted, lang) {
        (true, Language::Fr) => "modele-import",
        (true, Language::En) => "import-template",
        (false, Language::Fr) => "membres",
        (false, Language::En) => "members",
    };
    crate::download::Download::sheet(format, &book, name)
}
