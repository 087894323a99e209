//! Signing in with a passkey: as the whole sign-in (a discoverable credential, no login typed:
//! [`options`] then [`finish`]), or as the second factor after the password, on the ticket of
//! the web sign-in's code step ([`second_factor_options`] then [`finish_second_factor`]).
//!
//! Each failure is audited and counted by the sign-in throttle like a wrong password. A
//! signature counter that does not go forwards is refused and audited as such
//! (`passkey.counter_regressed`): the device may have been copied.

use super::ceremony::{self, Kind};
use super::{CeremonyOptions, stored_passkey, to_json};
use crate::auth::sign_in::{Origin, Proof, SignedIn, code_step, fail, open_session_as};
use crate::auth::throttle::{self, Keys};
use crate::password::Verdict;
use crate::work::Work;
use crate::{App, Error, Org, Person, Principal, Result};
use serde::Deserialize;
use sesame_core::policy::Actor;
use sesame_core::{FieldError, Status};
use sesame_store::passkeys::PasskeyRow;
use sesame_store::users::UserRow;
use sesame_store::{now_ms, sign_in_steps};
use webauthn_rs::prelude::{
    DiscoverableAuthentication, DiscoverableKey, PasskeyAuthentication, PublicKeyCredential,
};

/// The browser's answer to a sign-in.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInResponse {
    /// The `ceremony` of the options.
    pub ceremony: String,
    /// `PublicKeyCredential.toJSON()` of what `navigator.credentials.get` answered.
    #[schema(value_type = Object)]
    pub credential: serde_json::Value,
}

/// Options for a sign-in with no login typed: the browser lets the person choose among the
/// passkeys it holds for this site (or offers them in the login field: conditional UI).
pub async fn options(app: &App, org: &Org) -> Result<CeremonyOptions> {
    let rp = ceremony::relying_party(app, &org.row.name)?;
    let (options, state): (_, DiscoverableAuthentication) = rp
        .start_discoverable_authentication()
        .map_err(|e| Error::Internal(format!("passkey sign-in options: {e}")))?;
    let mut work = Work::begin(app).await?;
    let id = ceremony::begin(&mut work, org.id(), Kind::SignIn, None, &state, now_ms()).await?;
    work.commit().await?;
    Ok(CeremonyOptions {
        ceremony: id,
        public_key: to_json(&options.public_key)?,
        mediation: Some("conditional".into()),
    })
}

/// Finishes a sign-in with no login typed: the passkey tells who it is.
pub async fn finish(app: &App, input: SignInResponse, origin: Origin) -> Result<SignedIn> {
    let credential: PublicKeyCredential = ceremony::parse(input.credential)?;
    let now = now_ms();
    let (org_id, _, state): (_, _, DiscoverableAuthentication) = {
        let mut work = Work::begin(app).await?;
        let taken = ceremony::take(&mut work, &input.ceremony, Kind::SignIn, now).await?;
        work.commit().await?;
        taken
    };
    let (org, row, user) = {
        let mut conn = app.store.read().await?;
        let org = sesame_store::orgs::get(&mut conn, &org_id)
            .await?
            .map(Org::from_row)
            .ok_or(Error::NotFound("organisation"))?;
        let key = ceremony::credential_key(credential.get_credential_id());
        let row = sesame_store::passkeys::by_credential(&mut conn, &key)
            .await?
            .filter(|r| r.org_id == org_id);
        let user = match &row {
            Some(r) => sesame_store::users::get(&mut conn, &org_id, &r.user_id).await?,
            None => None,
        };
        (org, row, user)
    };
    let anonymous = anonymous(&org, &origin);
    let (Some(row), Some(user)) = (row, user) else {
        let keys = Keys::new(org.id(), "passkey", origin.source.as_deref());
        fail(app, &anonymous, &keys, (None, "passkey"), "passkey_unknown").await?;
        return Err(Error::Unauthenticated("passkey.unknown"));
    };
    let who = Principal {
        person: Some(Person::from(&user)),
        ..anonymous
    };
    let keys = Keys::new(org.id(), &user.id, origin.source.as_deref());
    let wait = throttle::wait(app, &keys, now).await?;
    if wait.secs > 0 {
        return Err(Error::Throttled(wait.secs));
    }
    let target = (Some(user.id.as_str()), user.login.as_str());
    if user.status != Status::Active {
        fail(app, &who, &keys, target, "disabled").await?;
        return Err(Error::Unauthenticated("auth.disabled"));
    }
    let rp = ceremony::relying_party(app, &org.row.name)?;
    let handle_matches = rp
        .identify_discoverable_authentication(&credential)
        .is_ok_and(|(handle, _)| handle == ceremony::user_handle(&user.id));
    if !handle_matches {
        fail(app, &who, &keys, target, "passkey_refused").await?;
        return Err(Error::Unauthenticated("passkey.unknown"));
    }
    let passkey = stored_passkey(&row)?;
    let key = DiscoverableKey::from(&passkey);
    let verified = rp.finish_discoverable_authentication_v2(&credential, state, &key);
    let result = match verified {
        Ok(r) => r,
        Err(e) => return Err(refused(app, &who, &keys, &user, &row, &e).await?),
    };
    spend(app, &who, &keys, &user, &row, passkey, &result).await?;
    let keys = wait.failed_before.then_some(&keys);
    let verdict = Verdict::Right { new_hash: None };
    open_session_as(app, &who, &user, Proof::PASSKEY, keys, verdict, origin).await
}

/// Options for the second factor of someone whose password was right (the code step's
/// ticket): the browser asks for one of their passkeys.
pub async fn second_factor_options(app: &App, ticket: &str) -> Result<CeremonyOptions> {
    let (_, org, user) = code_step(app, ticket).await?;
    let passkeys = {
        let mut conn = app.store.read().await?;
        sesame_store::passkeys::of_user(&mut conn, org.id(), &user.id).await?
    };
    let passkeys: Vec<_> = passkeys.iter().map(stored_passkey).collect::<Result<_>>()?;
    if passkeys.is_empty() {
        return Err(Error::SecondFactor("passkey.none_for_sign_in"));
    }
    let rp = ceremony::relying_party(app, &org.row.name)?;
    let (options, state): (_, PasskeyAuthentication) =
        rp.start_passkey_authentication(&passkeys)
            .map_err(|e| Error::Internal(format!("passkey second factor options: {e}")))?;
    let mut work = Work::begin(app).await?;
    let id = ceremony::begin(
        &mut work,
        org.id(),
        Kind::SecondFactor,
        Some(&user.id),
        &state,
        now_ms(),
    )
    .await?;
    work.commit().await?;
    Ok(CeremonyOptions {
        ceremony: id,
        public_key: to_json(&options.public_key)?,
        mediation: None,
    })
}

/// Finishes the second factor with a passkey: the session opens as with a code.
pub async fn finish_second_factor(
    app: &App,
    ticket: &str,
    input: SignInResponse,
    origin: Origin,
) -> Result<SignedIn> {
    let (step, org, user) = code_step(app, ticket).await?;
    let credential: PublicKeyCredential = ceremony::parse(input.credential)?;
    let now = now_ms();
    let (org_id, owner, state): (_, _, PasskeyAuthentication) = {
        let mut work = Work::begin(app).await?;
        let taken = ceremony::take(&mut work, &input.ceremony, Kind::SecondFactor, now).await?;
        work.commit().await?;
        taken
    };
    if org_id != org.id() || owner.as_deref() != Some(user.id.as_str()) {
        return Err(Error::Refused(FieldError::new(
            "ceremony",
            "passkey.ceremony",
        )));
    }
    let who = Principal {
        person: Some(Person::from(&user)),
        ..anonymous(&org, &origin)
    };
    let keys = Keys::new(org.id(), &user.id, origin.source.as_deref());
    let wait = throttle::wait(app, &keys, now).await?;
    if wait.secs > 0 {
        return Err(Error::Throttled(wait.secs));
    }
    let key = ceremony::credential_key(credential.get_credential_id());
    let row = {
        let mut conn = app.store.read().await?;
        sesame_store::passkeys::by_credential(&mut conn, &key)
            .await?
            .filter(|r| r.org_id == org.id() && r.user_id == user.id)
    };
    let Some(row) = row else {
        let target = (Some(user.id.as_str()), user.login.as_str());
        fail(app, &who, &keys, target, "passkey_unknown").await?;
        return Err(Error::SecondFactor("passkey.unknown"));
    };
    let rp = ceremony::relying_party(app, &org.row.name)?;
    let result = match rp.finish_passkey_authentication(&credential, &state) {
        Ok(r) => r,
        Err(e) => return Err(refused(app, &who, &keys, &user, &row, &e).await?),
    };
    let passkey = stored_passkey(&row)?;
    spend(app, &who, &keys, &user, &row, passkey, &result).await?;
    {
        let mut work = Work::begin(app).await?;
        let spent = sign_in_steps::spend(&mut work, &step.id, now_ms()).await?;
        work.commit().await?;
        if !spent {
            return Err(Error::Unauthenticated("auth.code_step_expired"));
        }
    }
    let keys = wait.failed_before.then_some(&keys);
    let verdict = Verdict::Right { new_hash: None };
    open_session_as(
        app,
        &who,
        &user,
        Proof::PASSWORD_AND_PASSKEY,
        keys,
        verdict,
        origin,
    )
    .await
}

fn anonymous(org: &Org, origin: &Origin) -> Principal {
    Principal {
        org: org.clone(),
        actor: Actor::user(org.id(), "", vec![]),
        person: None,
        source: origin.source.clone(),
        token: None,
        must_enrol: false,
    }
}

/// Audits and counts a passkey refused by webauthn-rs; answers the error to give.
async fn refused(
    app: &App,
    who: &Principal,
    keys: &Keys,
    user: &UserRow,
    row: &PasskeyRow,
    e: &webauthn_rs::prelude::WebauthnError,
) -> Result<Error> {
    let target = (Some(user.id.as_str()), user.login.as_str());
    if matches!(
        e,
        webauthn_rs::prelude::WebauthnError::CredentialPossibleCompromise
    ) {
        counter_regressed(app, who, user, row).await?;
    }
    let reason = match e {
        webauthn_rs::prelude::WebauthnError::UserNotVerified => "passkey_user_not_verified",
        webauthn_rs::prelude::WebauthnError::CredentialPossibleCompromise => {
            "passkey_counter_regressed"
        }
        _ => "passkey_refused",
    };
    fail(app, who, keys, target, reason).await?;
    Ok(ceremony::refusal(e))
}

/// Records a use of the passkey (its counter and flags): refused when the counter did not go
/// forwards since the last use this server saw, whichever instance saw it.
async fn spend(
    app: &App,
    who: &Principal,
    keys: &Keys,
    user: &UserRow,
    row: &PasskeyRow,
    mut passkey: webauthn_rs::prelude::Passkey,
    result: &webauthn_rs::prelude::AuthenticationResult,
) -> Result<()> {
    passkey.update_credential(result);
    let counter = i64::from(result.counter());
    let stored =
        serde_json::to_string(&passkey).map_err(|e| Error::Internal(format!("passkey: {e}")))?;
    let mut work = Work::begin(app).await?;
    let moved =
        sesame_store::passkeys::record_use(&mut work, &row.id, counter, &stored, now_ms()).await?;
    work.commit().await?;
    if moved {
        return Ok(());
    }
    counter_regressed(app, who, user, row).await?;
    let target = (Some(user.id.as_str()), user.login.as_str());
    fail(app, who, keys, target, "passkey_counter_regressed").await?;
    Err(Error::Invalid(vec![FieldError::new(
        "credential",
        "passkey.counter",
    )]))
}

/// The audit row of a signature counter that went backwards: a copied device, or a replay.
async fn counter_regressed(
    app: &App,
    who: &Principal,
    user: &UserRow,
    row: &PasskeyRow,
) -> Result<()> {
    let mut work = Work::begin(app).await?;
    work.record(
        who,
        crate::audit::Change {
            action: "passkey.counter_regressed",
            target_type: "user",
            target_id: Some(&user.id),
            target_label: Some(&user.login),
            before: Some(serde_json::json!({ "passkey": row.name, "counter": row.counter })),
            after: None,
        },
    )
    .await?;
    work.commit().await?;
    Ok(())
}
