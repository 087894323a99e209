//! E-mail signatures: until the signature module lands (branch `notify`), nobody has one and
//! messages close with the organisation's team.

pub struct MailSignature {
    pub text: String,
    pub html: String,
}

pub async fn for_message(
    _conn: &mut sesame_store::Conn,
    _org_id: &str,
    _user_id: &str,
) -> crate::Result<Option<MailSignature>> {
    Ok(None)
}
