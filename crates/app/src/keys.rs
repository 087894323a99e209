//! LOCAL SHIM (lead branch only; replaced by the h21-keys branch at merge).
use crate::{App, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Rs256,
    EdDsa,
}

impl Alg {
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::EdDsa => "EdDSA",
        }
    }
    pub fn parse(raw: &str) -> Option<Alg> {
        match raw {
            "RS256" => Some(Alg::Rs256),
            "EdDSA" => Some(Alg::EdDsa),
            _ => None,
        }
    }
}

pub async fn ensure(_app: &App) -> Result<()> {
    unimplemented!()
}
pub async fn sign<T: serde::Serialize>(
    _app: &App,
    _alg: Alg,
    _typ: Option<&str>,
    _claims: &T,
) -> Result<String> {
    unimplemented!()
}
pub async fn jwks(_app: &App) -> Result<serde_json::Value> {
    unimplemented!()
}
pub async fn verify(_app: &App, _jws: &str, _check_exp: bool) -> Result<Option<serde_json::Value>> {
    unimplemented!()
}
pub async fn rotate(_app: &App) -> Result<()> {
    unimplemented!()
}
