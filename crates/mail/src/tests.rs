use super::*;

fn sample() -> Outgoing {
    Outgoing {
        id: "01a2-test".into(),
        from_name: "AMAP des Lilas".into(),
        from_address: "bureau@amap-lilas.fr".into(),
        to: "zoe@example.fr".into(),
        subject: "Invitation à rejoindre l'AMAP des Lilas".into(),
        text: "Bonjour Zoé,\nhttps://example.org/activate?token=x\n".into(),
        html: "<p>Bonjour Zoé,</p>".into(),
        language: "fr".into(),
    }
}

#[test]
fn composes_both_bodies_with_a_stable_message_id() {
    let m = sample();
    let raw = String::from_utf8(m.compose().expect("compose").formatted()).expect("utf-8");
    assert!(
        raw.contains("Message-ID: <01a2-test@amap-lilas.fr>"),
        "{raw}"
    );
    assert!(raw.contains("Content-Language: fr"), "{raw}");
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(
        raw.contains("text/plain") && raw.contains("text/html"),
        "{raw}"
    );
    // Non-ASCII names and subjects are encoded, not sent raw.
    assert!(
        raw.contains("From: \"AMAP des Lilas\" <bureau@amap-lilas.fr>"),
        "{raw}"
    );
    assert!(
        !raw.lines()
            .any(|l| l.starts_with("Subject:") && !l.is_ascii()),
        "{raw}"
    );
}

#[test]
fn a_bad_recipient_is_a_permanent_failure() {
    let m = Outgoing {
        to: "not an address".into(),
        ..sample()
    };
    assert!(matches!(m.compose(), Err(Failure::Permanent(_))));
}

#[tokio::test]
async fn files_are_written_as_eml_named_by_the_outbox_id() {
    let dir = tempfile::tempdir().expect("dir");
    let t = Transport::Files(dir.path().join("mail"));
    t.deliver(&sample()).await.expect("deliver");
    let raw = std::fs::read_to_string(dir.path().join("mail/01a2-test.eml")).expect("eml");
    assert!(raw.contains("Subject:"), "{raw}");
}

#[tokio::test]
async fn an_smtp_server_that_does_not_answer_is_a_transient_failure() {
    // A port nobody listens on (bound, then closed).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let t = Transport::smtp(&format!("smtp://127.0.0.1:{port}")).expect("url");
    assert!(matches!(
        t.deliver(&sample()).await,
        Err(Failure::Transient(_))
    ));
    assert!(format!("{t:?}").contains("REDACTED"));
}

#[test]
fn retries_grow_then_stop_after_about_two_days() {
    let delays: Vec<Option<u64>> = (1..=11).map(retry_delay_secs).collect();
    assert_eq!(delays[0], Some(30));
    assert_eq!(delays[1], Some(120));
    assert!(delays.windows(2).take(8).all(|w| w[0] <= w[1]));
    let total: u64 = delays.iter().flatten().sum();
    assert!((36 * 3600..=72 * 3600).contains(&total), "{total}");
    assert_eq!(delays[10], None);
}

#[test]
fn hosts_and_senders_never_show_a_password() {
    assert_eq!(
        crate::smtp_host("smtp://bob:s3cret@mail.example.org:587?tls=required"),
        "mail.example.org:587"
    );
    assert_eq!(
        crate::smtp_host("smtps://mail.example.org"),
        "mail.example.org"
    );
    assert_eq!(
        crate::default_sender("https://comptes.amap.example:8443/x"),
        "sesame@comptes.amap.example"
    );
    assert_eq!(
        crate::default_sender("http://127.0.0.1:8080"),
        "sesame@localhost"
    );
    assert_eq!(
        crate::default_sender("http://localhost:8080"),
        "sesame@localhost"
    );
}
