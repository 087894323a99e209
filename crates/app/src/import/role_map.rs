//! How the role names of an imported file become the organisation's roles: WordPress's
//! `administrator`, `editor`, `subscriber` and Amapress's own (`amapien`, `referent_producteur`,
//! …) in a `wp user list` export.
//!
//! Each name of the file is looked up, case, accents, spaces and punctuation ignored, first in
//! the mapping the administrator gave (a name mapped to no role gives none), then among the
//! organisation's roles (their names and preset keys). A WordPress export's names found in
//! neither give no role ("none"), as the preview shows; in Sésame's own spreadsheets an
//! unknown role stays an error, as a typing mistake should. The mapping used goes into the
//! import's summary and its audit row.

use crate::import::columns::key;
use serde::{Deserialize, Serialize};
use sesame_core::FieldError;
use std::collections::BTreeMap;

/// The mapping the administrator gives: a file's role name → one of the organisation's roles
/// (by name), or `None` for no role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleMap {
    /// By the folded key of the file's name: (the name as written, the role's name or none).
    entries: BTreeMap<String, (String, Option<String>)>,
}

/// One line of the mapping used, as the preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoleMapping {
    /// The role's name in the file, as first written there.
    pub source: String,
    /// The organisation's role it gives (its name), or `null`: none.
    pub role: Option<String>,
    /// `true` when Sésame proposed it (same name); `false` when the administrator chose it.
    pub proposed: bool,
}

impl RoleMap {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds `source → role` (`None`: no role).
    pub fn insert(&mut self, source: &str, role: Option<&str>) {
        let source = sesame_core::error::trim_all(source);
        let role = role
            .map(sesame_core::error::trim_all)
            .filter(|r| !r.is_empty());
        self.entries.insert(
            key(source),
            (source.to_string(), role.map(ToString::to_string)),
        );
    }

    /// What the administrator chose for `source`: `Some(None)` for no role, `None` when they
    /// chose nothing.
    pub fn get(&self, source: &str) -> Option<Option<&str>> {
        self.entries
            .get(&key(source))
            .map(|(_, role)| role.as_deref())
    }

    /// The roles named (for checking that they exist): (file's name, role's name).
    pub fn targets(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .values()
            .filter_map(|(s, r)| r.as_deref().map(|r| (s.as_str(), r)))
    }

    /// The JSON object of the API's `role_map` field: `{"subscriber": "Amapien", "editor":
    /// null}` (an empty string also means no role).
    pub fn from_json(field: &str, text: &str) -> Result<RoleMap, FieldError> {
        let invalid = || FieldError::new(field, "import.role_map_invalid");
        let value: serde_json::Value = serde_json::from_str(text).map_err(|_| invalid())?;
        let object = value.as_object().ok_or_else(invalid)?;
        let mut map = RoleMap::default();
        for (source, role) in object {
            if key(source).is_empty() {
                return Err(invalid());
            }
            match role {
                serde_json::Value::Null => map.insert(source, None),
                serde_json::Value::String(r) => map.insert(source, Some(r)),
                _ => return Err(invalid()),
            }
        }
        Ok(map)
    }

    /// The file of `sesame import --role-map FILE`: one `file's role = Sésame role` a line
    /// (nothing after `=`: no role), `#` for comments; or the API's JSON object. A wrong line
    /// is refused with its number.
    pub fn from_text(text: &str) -> Result<RoleMap, FieldError> {
        let text = text.trim_start_matches('\u{feff}');
        if text.trim_start().starts_with('{') {
            return Self::from_json("role_map", text);
        }
        let mut map = RoleMap::default();
        for (i, line) in text.lines().enumerate() {
            let line = sesame_core::error::trim_all(line);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((source, role)) = line.split_once('=') else {
                return Err(FieldError::new("role_map", "import.role_map_line")
                    .with("line", (i + 1).to_string()));
            };
            if key(source).is_empty() {
                return Err(FieldError::new("role_map", "import.role_map_line")
                    .with("line", (i + 1).to_string()));
            }
            map.insert(source, Some(role));
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_matched_whatever_their_case_and_accents() {
        let map = RoleMap::from_text(
            "# WordPress → Sésame\nsubscriber = Amapien\nreferent_producteur = Référent producteur\neditor =\n",
        )
        .expect("map");
        assert_eq!(map.get("Subscriber"), Some(Some("Amapien")));
        assert_eq!(
            map.get("Référent producteur"),
            Some(Some("Référent producteur"))
        );
        assert_eq!(map.get("editor"), Some(None));
        assert_eq!(map.get("administrator"), None);
        assert_eq!(map.targets().count(), 2);
    }

    #[test]
    fn json_and_text_say_the_same() {
        let json =
            RoleMap::from_text(r#"{"subscriber": "Amapien", "editor": null}"#).expect("json");
        let text = RoleMap::from_text("subscriber = Amapien\neditor =").expect("text");
        assert_eq!(json, text);
    }

    #[test]
    fn wrong_maps_say_where() {
        let e = RoleMap::from_text("subscriber = Amapien\nediteur").expect_err("no =");
        assert_eq!(e.code, "import.role_map_line");
        assert_eq!(e.args, vec![("line", "2".to_string())]);
        for bad in ["[1, 2]", r#"{"a": 3}"#, "{", r#"{"": "Amapien"}"#] {
            assert_eq!(
                RoleMap::from_json("role_map", bad).map_err(|e| e.code),
                Err("import.role_map_invalid"),
                "{bad}"
            );
        }
    }
}
