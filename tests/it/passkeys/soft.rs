//! A software authenticator for the API stories: an ES256 key pair that answers WebAuthn options
//! as a browser with a platform authenticator would (`PublicKeyCredential.toJSON()`), written
//! from the specification (W3C WebAuthn Level 3, §6.1 authenticator data, §8.7 `none`
//! attestation) rather than with the server's library. It can be told not to verify the person,
//! and to report any signature counter.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub struct Authenticator {
    key: SigningKey,
    pub credential_id: Vec<u8>,
    /// The user handle given at registration, returned at sign-in (a discoverable credential).
    user_handle: Vec<u8>,
    rp_id: String,
    origin: String,
    /// The signature counter the next assertion reports (then it goes up by one).
    pub counter: u32,
    /// Whether the person is verified (fingerprint, PIN): the UV flag.
    pub verifies: bool,
}

fn b64(v: &Value) -> Vec<u8> {
    B64.decode(v.as_str().expect("base64url string"))
        .expect("base64url")
}

/// A CBOR head (RFC 8949 §3): major type and length.
fn head(major: u8, len: usize) -> Vec<u8> {
    let m = major << 5;
    match len {
        0..=23 => vec![m | len as u8],
        24..=255 => vec![m | 24, len as u8],
        _ => {
            let mut v = vec![m | 25];
            v.extend_from_slice(&(len as u16).to_be_bytes());
            v
        }
    }
}

fn text(s: &str) -> Vec<u8> {
    let mut v = head(3, s.len());
    v.extend_from_slice(s.as_bytes());
    v
}

fn bytes(b: &[u8]) -> Vec<u8> {
    let mut v = head(2, b.len());
    v.extend_from_slice(b);
    v
}

impl Authenticator {
    pub fn new(rp_id: &str, origin: &str) -> Self {
        let secret: [u8; 32] = rand::random();
        let id: [u8; 32] = rand::random();
        Self {
            key: SigningKey::from_slice(&secret).expect("P-256 key"),
            credential_id: id.to_vec(),
            user_handle: Vec::new(),
            rp_id: rp_id.to_string(),
            origin: origin.to_string(),
            counter: 1,
            verifies: true,
        }
    }

    fn flags(&self, attested: bool) -> u8 {
        // UP always; UV when the person is verified; AT with a new credential.
        0x01 | if self.verifies { 0x04 } else { 0 } | if attested { 0x40 } else { 0 }
    }

    fn client_data(&self, kind: &str, challenge: &Value) -> Vec<u8> {
        json!({
            "type": kind,
            "challenge": challenge.as_str().expect("challenge"),
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes()
    }

    /// The answer to `navigator.credentials.create({publicKey})` for these options.
    pub fn register(&mut self, public_key: &Value) -> Value {
        assert_eq!(public_key["rp"]["id"], self.rp_id.as_str());
        self.user_handle = b64(&public_key["user"]["id"]);
        let point = self.key.verifying_key().to_sec1_point(false);
        let xy = &point.as_bytes()[1..];
        // COSE_Key (RFC 9053): kty EC2, alg ES256, crv P-256, x, y.
        let mut cose = head(5, 5);
        cose.extend([0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21]);
        cose.extend(bytes(&xy[..32]));
        cose.push(0x22);
        cose.extend(bytes(&xy[32..]));
        let mut auth = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        auth.push(self.flags(true));
        auth.extend_from_slice(&0u32.to_be_bytes());
        auth.extend_from_slice(&[0u8; 16]);
        auth.extend_from_slice(&(self.credential_id.len() as u16).to_be_bytes());
        auth.extend_from_slice(&self.credential_id);
        auth.extend(cose);
        let mut attestation = head(5, 3);
        attestation.extend(text("fmt"));
        attestation.extend(text("none"));
        attestation.extend(text("attStmt"));
        attestation.extend(head(5, 0));
        attestation.extend(text("authData"));
        attestation.extend(bytes(&auth));
        let client = self.client_data("webauthn.create", &public_key["challenge"]);
        json!({
            "id": B64.encode(&self.credential_id),
            "rawId": B64.encode(&self.credential_id),
            "type": "public-key",
            "response": {
                "attestationObject": B64.encode(attestation),
                "clientDataJSON": B64.encode(client),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        })
    }

    /// The answer to `navigator.credentials.get({publicKey})` for these options.
    pub fn assert(&mut self, public_key: &Value) -> Value {
        assert_eq!(public_key["rpId"], self.rp_id.as_str());
        let mut auth = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        auth.push(self.flags(false));
        auth.extend_from_slice(&self.counter.to_be_bytes());
        self.counter += 1;
        let client = self.client_data("webauthn.get", &public_key["challenge"]);
        let mut signed = auth.clone();
        signed.extend_from_slice(&Sha256::digest(&client));
        let signature: Signature = self.key.sign(&signed);
        json!({
            "id": B64.encode(&self.credential_id),
            "rawId": B64.encode(&self.credential_id),
            "type": "public-key",
            "response": {
                "authenticatorData": B64.encode(&auth),
                "clientDataJSON": B64.encode(client),
                "signature": B64.encode(signature.to_der().as_bytes()),
                "userHandle": B64.encode(&self.user_handle),
            },
            "clientExtensionResults": {},
        })
    }
}
