//! E-mail delivery through a real SMTP server (aiosmtpd): what arrives, and how failures are
//! told apart (a refused recipient is final; a server that is down is worth retrying).

use crate::harness::SmtpSink;
use sesame_mail::{Failure, Outgoing, Transport};

fn message(id: &str, to: &str) -> Outgoing {
    Outgoing {
        id: id.into(),
        from_name: "Crèche Les Lucioles".into(),
        from_address: "direction@lucioles.example".into(),
        to: to.into(),
        subject: "Votre invitation à Sésame — « Les Lucioles »".into(),
        text: "Bonjour Léa,\n\nhttps://comptes.example/activate?token=abc\n".into(),
        html: "<p>Bonjour Léa,</p><p><a href=\"https://comptes.example/activate?token=abc\">Activer</a></p>".into(),
        language: "fr".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_reach_a_real_smtp_server_and_refusals_are_final() {
    let sink = SmtpSink::start(&["absent@lucioles.example"]);
    let smtp = Transport::smtp(&sink.url()).expect("transport");

    smtp.deliver(&message("m1", "lea@example.org"))
        .await
        .expect("delivered");
    let got = sink.received();
    assert_eq!(got.len(), 1);
    let (raw, rcpt) = &got[0];
    assert_eq!(rcpt, &["lea@example.org"]);
    assert!(raw.contains("Message-ID: <m1@lucioles.example>"), "{raw}");
    assert!(raw.contains("Content-Language: fr"), "{raw}");
    assert!(raw.contains("multipart/alternative"), "{raw}");
    // The subject travels encoded (RFC 2047), never as raw 8-bit.
    let subject = raw
        .lines()
        .find(|l| l.starts_with("Subject:"))
        .expect("subject");
    assert!(
        subject.is_ascii() && subject.contains("=?utf-8?"),
        "{subject}"
    );

    // A recipient the server refuses (550): a permanent failure, nothing delivered.
    let refused = smtp
        .deliver(&message("m2", "absent@lucioles.example"))
        .await;
    assert!(matches!(refused, Err(Failure::Permanent(_))), "{refused:?}");
    assert_eq!(sink.received().len(), 1);

    // The server gone: a transient failure, to be retried.
    let url = sink.url();
    drop(sink);
    let down = Transport::smtp(&url)
        .expect("transport")
        .deliver(&message("m3", "lea@example.org"))
        .await;
    assert!(matches!(down, Err(Failure::Transient(_))), "{down:?}");
}
