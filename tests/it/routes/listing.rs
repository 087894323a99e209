//! The list cannot drift: the cases cover exactly the routes the server serves, and the
//! generic `/{id}/{action}` routes exactly the actions their handlers accept.

use super::cases::{Case, Rule};
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;

/// The actions a page's `act` handler accepts: the string arms of its `match action.as_str()`,
/// read from the source, because a handler that string-matches cannot list them otherwise.
fn actions_in_source(file: &str) -> BTreeSet<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../server/src/web")
        .join(file);
    let source = std::fs::read_to_string(&path).expect("the handler's source");
    let start = source
        .find("async fn act(")
        .and_then(|at| source[at..].find("match action.as_str() {").map(|m| at + m))
        .unwrap_or_else(|| panic!("no `match action.as_str()` in {file}'s act"));
    let end = start + source[start..].find("\n    };").expect("the match's end");
    let mut out = BTreeSet::new();
    for line in source[start..end].lines() {
        let arm = line.trim_start();
        if line.len() - arm.len() != 8 || !arm.starts_with('"') || !arm.contains("=>") {
            continue;
        }
        let pattern = arm.split("=>").next().unwrap_or("");
        let pattern = pattern.split(" if ").next().unwrap_or("");
        for name in pattern.split('|') {
            out.insert(name.trim().trim_matches('"').to_string());
        }
    }
    assert!(!out.is_empty(), "no action read from {file}");
    out
}

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

    for (route, file) in [
        ("/users/{id}/{action}", "users.rs"),
        ("/groups/{id}/{action}", "groups.rs"),
        ("/roles/{id}/{action}", "roles.rs"),
    ] {
        let prefix = route.split("/{").next().unwrap_or("");
        let tried: BTreeSet<String> = cases
            .iter()
            .filter(|c| c.route == route && matches!(c.rule, Rule::Right))
            .filter_map(|c| c.path.rsplit('/').next().map(String::from))
            .collect();
        let accepted = actions_in_source(file);
        assert_eq!(
            tried, accepted,
            "the actions of {route} tried here and those {file} accepts"
        );
        assert!(
            cases.iter().any(|c| c.route == route
                && matches!(c.rule, Rule::Refused(StatusCode::NOT_FOUND, _))
                && !accepted.contains(c.path.rsplit('/').next().unwrap_or(""))),
            "an unknown action of {prefix} is tried too"
        );
    }
}
