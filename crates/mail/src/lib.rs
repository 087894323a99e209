//! Sésame's e-mail, without the database: composing a message (plain text and HTML, from the
//! organisation's sender, with a stable Message-ID) and delivering it by SMTP (`lettre`) or, by
//! default, as an `.eml` file a newcomer can open without any mail server.
//!
//! The outbox (which messages, when, how many attempts) lives in `sesame-store`; its worker
//! calls [`Transport::deliver`] and reads [`Failure`] to decide between retrying later and
//! giving up.

use lettre::message::{Mailbox, MultiPart, header};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::Arc;

pub mod smtp;

/// A message ready to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The outbox row's id: it makes the Message-ID and the `.eml` file name, so that a
    /// message sent twice by accident can be recognised as one.
    pub id: String,
    pub from_name: String,
    pub from_address: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// `fr` or `en`.
    pub language: String,
}

/// Why a delivery failed, and whether trying again may help.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The server refused for good (5xx, an invalid address): retrying will not help.
    #[error("refused: {0}")]
    Permanent(String),
    /// Anything else (connection refused, timeout, 4xx): try again later.
    #[error("temporary failure: {0}")]
    Transient(String),
}

/// When to try again after the `attempts`-th failed attempt (counting this one), in seconds;
/// `None`: give up, the message has failed (after about two days of trying).
pub fn retry_delay_secs(attempts: i64) -> Option<u64> {
    const STEPS: [u64; 8] = [30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600];
    let i = usize::try_from(attempts.max(1) - 1).ok()?;
    STEPS
        .get(i)
        .copied()
        .or_else(|| (i < STEPS.len() + 2).then_some(12 * 3600))
}

/// `host:port` of an SMTP URL, for messages: never its user or password.
pub fn smtp_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    rest.split(['/', '?']).next().unwrap_or("").to_string()
}

/// `sesame@<host>` for a public URL's host; `sesame@localhost` when the host is an address.
pub fn default_sender(public_url: &str) -> String {
    let host = smtp_host(public_url);
    let host = host.rsplit_once(':').map_or(host.as_str(), |(h, _)| h);
    let is_name = host.contains('.')
        && host.chars().any(|c| c.is_ascii_alphabetic())
        && !host.starts_with('[');
    if is_name {
        format!("sesame@{host}")
    } else {
        "sesame@localhost".to_string()
    }
}

/// The domain of the Message-ID: the sender's, so that it is unique and recognisable.
fn domain_of(address: &str) -> &str {
    address
        .rsplit_once('@')
        .map_or("sesame.invalid", |(_, d)| d)
}

impl Outgoing {
    /// `<outbox id@sender's domain>`, the same at every attempt.
    pub fn message_id(&self) -> String {
        format!("<{}@{}>", self.id, domain_of(&self.from_address))
    }

    /// The MIME message: multipart/alternative, plain text first.
    pub fn compose(&self) -> Result<Message, Failure> {
        let from = Mailbox::new(
            Some(self.from_name.clone()),
            self.from_address
                .parse()
                .map_err(|e| Failure::Permanent(format!("sender {}: {e}", self.from_address)))?,
        );
        let to: Mailbox = self
            .to
            .parse()
            .map_err(|e| Failure::Permanent(format!("recipient {}: {e}", self.to)))?;
        Message::builder()
            .from(from)
            .to(to)
            .subject(self.subject.clone())
            .message_id(Some(self.message_id()))
            .raw_header(header::HeaderValue::new(
                header::HeaderName::new_from_ascii_str("Content-Language"),
                self.language.clone(),
            ))
            .multipart(MultiPart::alternative_plain_html(
                self.text.clone(),
                self.html.clone(),
            ))
            .map_err(|e| Failure::Permanent(format!("message: {e}")))
    }
}

/// Where messages go.
#[derive(Clone)]
pub enum Transport {
    /// Each message written as `<dir>/<id>.eml`.
    Files(PathBuf),
    /// SMTP over our own `TCP_NODELAY` connections (see [`smtp`]).
    Smtp(Arc<smtp::Direct>),
    /// SMTP through lettre's transport (`smtps://`).
    SmtpTls(AsyncSmtpTransport<Tokio1Executor>),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The SMTP URL may hold a password: never printed.
        match self {
            Transport::Files(dir) => f.debug_tuple("Files").field(dir).finish(),
            Transport::Smtp(_) | Transport::SmtpTls(_) => f.write_str("Smtp([REDACTED])"),
        }
    }
}

impl Transport {
    /// `smtp://[user:password@]host[:port]` (plain; add `?tls=required` for STARTTLS, or
    /// `?tls=opportunistic`), `smtps://host[:port]` (TLS from the start): lettre's URL rules.
    pub fn smtp(url: &str) -> Result<Self, Failure> {
        Self::smtp_with(url, None)
    }

    /// As [`Transport::smtp`], with a user and password from elsewhere than the URL (the
    /// environment), which then win over the URL's.
    pub fn smtp_with(url: &str, credentials: Option<(String, String)>) -> Result<Self, Failure> {
        let credentials = credentials.map(|(user, password)| Credentials::new(user, password));
        if let Some(direct) = smtp::Direct::from_url(url, credentials.clone())? {
            return Ok(Transport::Smtp(Arc::new(direct)));
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| Failure::Permanent(format!("SMTP URL: {e}")))?;
        if let Some(c) = credentials {
            builder = builder.credentials(c);
        }
        Ok(Transport::SmtpTls(builder.build()))
    }

    pub async fn deliver(&self, message: &Outgoing) -> Result<(), Failure> {
        let composed = message.compose()?;
        match self {
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| Failure::Transient(format!("{}: {e}", dir.display())))?;
                let path = dir.join(format!("{}.eml", message.id));
                tokio::fs::write(&path, composed.formatted())
                    .await
                    .map_err(|e| Failure::Transient(format!("{}: {e}", path.display())))
            }
            Transport::Smtp(direct) => {
                direct
                    .send(composed.envelope(), &composed.formatted())
                    .await
            }
            Transport::SmtpTls(smtp) => smtp.send(composed).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    Failure::Permanent(e.to_string())
                } else {
                    Failure::Transient(e.to_string())
                }
            }),
        }
    }
}

#[cfg(test)]
mod tests;
