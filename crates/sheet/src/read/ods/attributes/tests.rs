use super::Attributes;
use quick_xml::events::BytesStart;

fn read(raw: &str) -> Vec<Result<(String, String), String>> {
    let e = BytesStart::from_content(format!("c {raw}"), 1);
    Attributes::of(&e)
        .map(|a| a.map(|(k, v)| (k.to_string(), v.to_string())))
        .collect()
}

fn pair(key: &str, value: &str) -> Result<(String, String), String> {
    Ok((key.to_string(), value.to_string()))
}

#[test]
fn names_and_values_as_calamine_splits_them() {
    assert_eq!(
        read(r#"a="1" b='2'  c = "3""#),
        [pair("a", "1"), pair("b", "2"), pair("c", "3")]
    );
    // The other quote inside a value is part of it; an unclosed value runs to the end.
    assert_eq!(
        read(r#"a="x 'b'=5" c="7"#),
        [pair("a", "x 'b'=5"), pair("c", "7")]
    );
    assert_eq!(read(""), []);
}

#[test]
fn malformed_attributes_end_the_list_with_an_error() {
    let got = read(r#"a="1" b c="2""#);
    assert_eq!(got[0], pair("a", "1"));
    // "b c" is a name up to the `=`.
    assert_eq!(got[1], pair("b c", "2"));
    let got = read(r#"a=1 b="2""#);
    assert_eq!(got.len(), 1);
    assert!(got[0].is_err());
    let got = read(r#"a="1" b"#);
    assert_eq!(got.len(), 2);
    assert!(got[1].is_err());
}

#[test]
fn find_stops_at_the_first() {
    let e = BytesStart::from_content(r#"c a="1" a="2" junk"#, 1);
    assert_eq!(Attributes::of(&e).find("a"), Ok(Some("1")));
    assert!(Attributes::of(&e).find("b").is_err());
}
