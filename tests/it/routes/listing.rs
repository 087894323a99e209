//! The list cannot drift: the cases cover exactly the routes the server serves (each page
//! action is a route of its own: no handler matches an action's name).

use super::cases::{Case, Rule};
use serde_json::Value;
use std::collections::BTreeSet;

/// The server adds routes only through its tables (which [`sesame_server::unlisted_routes`]
/// lists) and through the OpenAPI router (whose document lists them): no `.route(` of a path of
/// its own, no nested router or service, which the listing could not see.
pub(super) fn assert_no_route_outside_the_tables() {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("server sources") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).expect("source");
                for (at, _) in source.match_indices(".route(") {
                    if !source[at + ".route(".len()..].starts_with("r.path, r.to)") {
                        out.push(format!(
                            "{}: .route({}",
                            path.display(),
                            &source[at + 7..].chars().take(40).collect::<String>()
                        ));
                    }
                }
                for call in [
                    ".route_service(",
                    ".nest(",
                    ".nest_service(",
                    ".fallback_service(",
                ] {
                    if source.contains(call) {
                        out.push(format!("{}: {call}", path.display()));
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src"),
        &mut found,
    );
    assert!(
        found.is_empty(),
        "routes outside the tables, which the test over every route cannot see: {found:#?}"
    );
}

/// The cases cover exactly the routes served, and the generic routes exactly their actions.
pub(super) fn assert_every_route_covered(openapi: &Value, cases: &[Case]) {
    let mut served: BTreeSet<(String, String)> = BTreeSet::new();
    for (path, ops) in openapi["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            if [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ]
            .contains(&method.as_str())
            {
                served.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let api = served.len();
    for (method, path) in sesame_server::unlisted_routes() {
        assert!(
            served.insert((method.clone(), path.to_string())),
            "{method} {path} is listed twice"
        );
    }
    let covered: BTreeSet<(String, String)> = cases
        .iter()
        .map(|c| (c.method.to_string(), c.route.to_string()))
        .collect();
    let missing: Vec<_> = served.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes served but not tried here: {missing:?}; add a case (and say why if it is open)"
    );
    let stale: Vec<_> = covered.difference(&served).collect();
    assert!(stale.is_empty(), "cases for routes not served: {stale:?}");
    eprintln!(
        "{} routes: {api} of the API, {} others",
        served.len(),
        served.len() - api
    );
    for c in cases {
        let (kind, why) = match c.rule {
            Rule::Right => continue,
            Rule::Public(why) => ("open to anyone".to_string(), why),
            Rule::Own(why) => ("one's own".to_string(), why),
            Rule::Signed(why) => ("signed in".to_string(), why),
            Rule::Refused(status, why) => (status.as_str().to_string(), why),
        };
        eprintln!("  {kind:14} {} {}: {why}", c.method, c.path);
    }
}
