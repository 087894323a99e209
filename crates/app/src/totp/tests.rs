use super::*;

/// RFC 6238, appendix B: the SHA-1 seed "12345678901234567890" and its 8-digit codes.
const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: [(u64, &str); 6] = [
    (59, "94287082"),
    (1_111_111_109, "07081804"),
    (1_111_111_111, "14050471"),
    (1_234_567_890, "89005924"),
    (2_000_000_000, "69279037"),
    (20_000_000_000, "65353130"),
];

#[test]
fn rfc_6238_vectors() {
    for (t, expected) in RFC_VECTORS {
        let eight = totp(RFC_SECRET, 8, "", "").expect("valid secret");
        assert_eq!(eight.generate(t).to_string(), expected, "8 digits at {t}");
        // Six digits are the same value modulo 10^6: the last six.
        assert_eq!(
            code_at(RFC_SECRET, t).as_deref(),
            Some(&expected[2..]),
            "6 digits at {t}"
        );
    }
}

#[test]
fn accepts_one_step_of_skew_and_says_which() {
    let secret = SecretString::from(RFC_SECRET.to_string());
    let now = 1_234_567_890;
    let step = now / STEP_SECS;
    for (offset, expect) in [
        (-1i64, Some(step - 1)),
        (0, Some(step)),
        (1, Some(step + 1)),
    ] {
        let at = (now as i64 + offset * STEP_SECS as i64) as u64;
        let code = code_at(RFC_SECRET, at).expect("code");
        assert_eq!(
            matching_step(&secret, &code, now),
            expect,
            "offset {offset}"
        );
    }
    let far = code_at(RFC_SECRET, now + 2 * STEP_SECS).expect("code");
    assert_eq!(matching_step(&secret, &far, now), None);
    assert_eq!(matching_step(&secret, "12345", now), None);
}

#[test]
fn secrets_are_160_bits_in_32_base32_characters() {
    let s = new_secret();
    assert_eq!(s.expose_secret().len(), 32);
    assert!(
        s.expose_secret()
            .bytes()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
    );
    assert_ne!(s.expose_secret(), new_secret().expose_secret());
}

#[test]
fn otpauth_link_and_qr_code() {
    let s = SecretString::from(RFC_SECRET.to_string());
    let uri = otpauth_uri(&s, "AMAP des Lilas", "zoe.lefevre").expect("uri");
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    assert!(uri.contains(&format!("secret={RFC_SECRET}")), "{uri}");
    assert!(uri.contains("issuer=AMAP%20des%20Lilas"), "{uri}");
    // A colon would split the label wrongly: replaced, not refused.
    assert!(otpauth_uri(&s, "Crèche: Les Pas", "a:b").is_some());
    let svg = qr_svg(&uri).expect("svg");
    assert!(
        svg.contains("<svg") && svg.len() < 40_000,
        "{} bytes",
        svg.len()
    );
}

#[test]
fn reads_what_people_type() {
    assert_eq!(classify(" 123 456 "), Typed::Code("123456".into()));
    assert_eq!(classify("12345"), Typed::Malformed);
    assert_eq!(classify("1234567"), Typed::Malformed);
    assert_eq!(
        classify("ABCD-efgh-jkmn"),
        Typed::Recovery("abcdefghjkmn".into())
    );
    assert_eq!(classify("abcd-efgh-jk0n"), Typed::Malformed);
    assert_eq!(classify(""), Typed::Malformed);
}

#[test]
fn recovery_codes_are_ten_distinct_and_hash_per_person() {
    let codes = new_recovery_codes();
    assert_eq!(codes.len(), RECOVERY_CODES);
    let mut normalised: Vec<String> = codes
        .iter()
        .map(|c| match classify(c.expose_secret()) {
            Typed::Recovery(n) => n,
            other => panic!("{other:?} for a generated code"),
        })
        .collect();
    normalised.sort();
    normalised.dedup();
    assert_eq!(normalised.len(), RECOVERY_CODES);
    assert_ne!(
        recovery_hash("a", &normalised[0]),
        recovery_hash("b", &normalised[0])
    );
}
