//! Attributes read as calamine reads them, so that the check in [`super`] sees every cell as
//! calamine will.

use quick_xml::events::BytesStart;

/// An element's attributes as calamine reads them (its own reader, not quick-xml's stricter
/// one): a name runs to the next `=`, spaces before it dropped; its value is quoted with `"` or
/// `'` and runs to the same quote, or to the end. A name without `=`, or a value without
/// quotes, is an error, and the last item.
#[derive(Clone)]
pub(super) struct Attributes<'a> {
    rest: &'a str,
}

impl<'a> Attributes<'a> {
    pub(super) fn of(e: &'a BytesStart<'_>) -> Self {
        Self {
            rest: e.attributes_raw(),
        }
    }

    /// The first attribute named `name`; an error before it is an error, one after is not
    /// seen (as calamine looks one up).
    pub(super) fn find(&self, name: &str) -> Result<Option<&'a str>, String> {
        for attribute in self.clone() {
            let (key, value) = attribute?;
            if key == name {
                return Ok(Some(value));
            }
        }
        Ok(None)
    }
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Result<(&'a str, &'a str), String>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self
            .rest
            .trim_start_matches(|c: char| c.is_ascii_whitespace());
        self.rest = "";
        if rest.is_empty() {
            return None;
        }
        let Some((key, after)) = rest.split_once('=') else {
            return Some(Err("an attribute without a value".into()));
        };
        let after = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let Some(quote) = after.chars().next().filter(|q| *q == '"' || *q == '\'') else {
            return Some(Err("an attribute's value without quotes".into()));
        };
        let body = &after[1..];
        let value = match body.find(quote) {
            Some(end) => {
                self.rest = &body[end + 1..];
                &body[..end]
            }
            None => body,
        };
        Some(Ok((
            key.trim_end_matches(|c: char| c.is_ascii_whitespace()),
            value,
        )))
    }
}

#[cfg(test)]
mod tests;
