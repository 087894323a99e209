//! LOCAL SHIM (lead branch only; replaced by the h21-apps branch at merge).
use crate::{App, Result};

#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub public: bool,
    pub trusted: bool,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    pub backchannel_logout_uri: Option<String>,
    pub forward_auth_hosts: Vec<String>,
    pub launch_url: Option<String>,
    pub logo_url: Option<String>,
    pub id_token_alg: String,
    pub access_token_lifetime_s: i64,
    pub refresh_token_lifetime_s: i64,
    pub groups: Vec<String>,
}
pub async fn find_client(_app: &App, _org_id: &str, _client_id: &str) -> Result<Option<Client>> {
    unimplemented!()
}
impl Client {
    pub fn check_secret(&self, _secret: &str) -> bool {
        unimplemented!()
    }
    pub fn redirect_allowed(&self, _uri: &str) -> bool {
        unimplemented!()
    }
    pub fn post_logout_allowed(&self, _uri: &str) -> bool {
        unimplemented!()
    }
}
pub async fn may_use(_app: &App, _client: &Client, _user_id: &str) -> Result<bool> {
    unimplemented!()
}
pub async fn client_for_host(_app: &App, _org_id: &str, _host: &str) -> Result<Option<Client>> {
    unimplemented!()
}
