//! SMTP delivery over connections opened here with `TCP_NODELAY`, kept for the next message.
//!
//! Why not lettre's own pooled transport: lettre 0.11.23 leaves Nagle's algorithm on, and SMTP
//! is a string of small writes each waiting for a reply, so every message waits for the
//! server's delayed ACK — about 40 ms. On loopback that capped delivery at ~22 messages/s per
//! connection against ~400 with the option set (bench/README.md, part mail). lettre's fix
//! (lettre PR #1159) is merged but not released; when it is, this module can go. Until then
//! the SMTP conversation itself (EHLO, STARTTLS, AUTH, MAIL/RCPT/DATA and the reply codes) is
//! still lettre's [`AsyncSmtpConnection`]; only the socket and the reuse of connections are ours.
//!
//! `smtps://` (TLS from the first byte) goes through lettre's transport unchanged: lettre
//! offers no way to hand it a socket that is already encrypted.

use crate::Failure;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::{SMTP_PORT, SUBMISSION_PORT};
use std::sync::Mutex;
use std::time::Duration;

/// How the conversation is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    /// `smtp://`: none (a local relay).
    Plain,
    /// `smtp://…?tls=opportunistic`: STARTTLS when the server offers it.
    Opportunistic,
    /// `smtp://…?tls=required`: STARTTLS or nothing.
    Required,
}

/// A server reached over connections of our own.
pub struct Direct {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
    /// Connections free for the next message.
    idle: Mutex<Vec<AsyncSmtpConnection>>,
}

/// Connections kept open between messages, at most.
const MAX_IDLE: usize = 16;
/// Longest wait for connecting, and for one whole message.
const TIMEOUT: Duration = Duration::from_secs(60);

impl Direct {
    /// `None` when the URL asks for what only lettre's transport does (`smtps://`).
    pub fn from_url(url: &str, credentials: Option<Credentials>) -> Result<Option<Self>, Failure> {
        let bad = |e: String| Failure::Permanent(format!("SMTP URL: {e}"));
        let parsed = url::Url::parse(url).map_err(|e| bad(e.to_string()))?;
        let tls = parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.to_string());
        let security = match (parsed.scheme(), tls.as_deref()) {
            ("smtps", _) => return Ok(None),
            ("smtp", None) => Security::Plain,
            ("smtp", Some("opportunistic")) => Security::Opportunistic,
            ("smtp", Some("required")) => Security::Required,
            (scheme, tls) => {
                return Err(bad(format!(
                    "unknown scheme {scheme:?} or tls={tls:?} (smtp://, smtps://, ?tls=required|opportunistic)"
                )));
            }
        };
        let host = parsed
            .host_str()
            .ok_or_else(|| bad("no host".into()))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let default_port = if security == Security::Plain {
            SMTP_PORT
        } else {
            SUBMISSION_PORT
        };
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|e| bad(e.to_string()))
        };
        let from_url = match parsed.password() {
            Some(p) => Some(Credentials::new(decode(parsed.username())?, decode(p)?)),
            None => None,
        };
        let hello = match parsed.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_string()),
        };
        Ok(Some(Self {
            port: parsed.port().unwrap_or(default_port),
            host,
            security,
            credentials: credentials.or(from_url),
            hello,
            idle: Mutex::new(Vec::new()),
        }))
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, Failure> {
        let transient = |e: String| Failure::Transient(format!("{}:{}: {e}", self.host, self.port));
        let tcp = tokio::time::timeout(
            TIMEOUT,
            tokio::net::TcpStream::connect((self.host.as_str(), self.port)),
        )
        .await
        .map_err(|_| transient("connection timed out".into()))?
        .map_err(|e| transient(e.to_string()))?;
        tcp.set_nodelay(true)
            .map_err(|e| transient(e.to_string()))?;
        let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
            .await
            .map_err(failure)?;
        let starttls = match self.security {
            Security::Plain => false,
            Security::Opportunistic => conn.can_starttls(),
            Security::Required => true,
        };
        if starttls {
            let params = TlsParameters::new(self.host.clone()).map_err(failure)?;
            conn.starttls(params, &self.hello).await.map_err(failure)?;
        }
        if let Some(c) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], c)
                .await
                .map_err(failure)?;
        }
        Ok(conn)
    }

    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        self.idle.lock().ok()?.pop()
    }

    fn keep(&self, conn: AsyncSmtpConnection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < MAX_IDLE
            && !conn.has_broken()
        {
            idle.push(conn);
        }
    }

    async fn send_on(
        &self,
        mut conn: AsyncSmtpConnection,
        envelope: &Envelope,
        email: &[u8],
    ) -> Result<(), (Failure, bool)> {
        match tokio::time::timeout(TIMEOUT, conn.send(envelope, email)).await {
            Ok(Ok(_)) => {
                self.keep(conn);
                Ok(())
            }
            Ok(Err(e)) => {
                // A refused recipient leaves the session usable; anything else ends it.
                let permanent = e.is_permanent();
                if permanent {
                    self.keep(conn);
                } else {
                    conn.abort().await;
                }
                Err((failure(e), permanent))
            }
            Err(_) => {
                conn.abort().await;
                Err((
                    Failure::Transient("the SMTP server stopped answering".into()),
                    false,
                ))
            }
        }
    }

    pub async fn send(&self, envelope: &Envelope, email: &[u8]) -> Result<(), Failure> {
        // A kept connection the server has closed meanwhile gets one more try on a new one.
        if let Some(conn) = self.take_idle() {
            match self.send_on(conn, envelope, email).await {
                Ok(()) => return Ok(()),
                Err((f, true)) => return Err(f),
                Err((_, false)) => {}
            }
        }
        let conn = self.connect().await?;
        self.send_on(conn, envelope, email)
            .await
            .map_err(|(f, _)| f)
    }
}

/// A 5xx answer is final; the rest may pass later.
fn failure(e: lettre::transport::smtp::Error) -> Failure {
    if e.is_permanent() {
        Failure::Permanent(e.to_string())
    } else {
        Failure::Transient(e.to_string())
    }
}
