//! Users: the list (search, filters, sorting, pages, counts), the add form, and a user's page
//! with its tabs — Profil, Connexion, Rôles, Accès, Notifications, Signature — as the seed
//! pages describe them.

mod list;
mod new;
mod page;
mod scopes;

pub(crate) use list::{StatusChip, list};
pub(crate) use new::{create, new_form, suggest_login};
pub(crate) use page::{
    delete, disable, enable, end_sessions, extend_two_factor, remove_passkeys, reset_two_factor,
    save_login, save_profile, save_roles, send_access, show, user_page,
};

use super::{Ctx, field};
use sesame_app::groups::GroupView;
use sesame_app::roles::RoleView;
use sesame_app::users::UserView;
use sesame_core::UserField;
use std::collections::BTreeMap;

/// A field of the add and profile forms.
pub(crate) struct Input {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub required: bool,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub hint: String,
}

/// The person's fields as forms show them, required ones marked as this organisation says.
fn person_inputs(
    ctx: &Ctx,
    who: &sesame_app::Principal,
    values: &BTreeMap<String, Vec<String>>,
    with_login: bool,
) -> Vec<Input> {
    let org = &who.org;
    let v = |k: &str| field(values, k).to_string();
    let mut out = vec![
        Input {
            name: "first_name",
            label: ctx.t("web-field-first-name"),
            value: v("first_name"),
            required: org.requires(UserField::FirstName),
            kind: "text",
            autocomplete: "off",
            hint: String::new(),
        },
        Input {
            name: "last_name",
            label: ctx.t("web-field-last-name"),
            value: v("last_name"),
            required: org.requires(UserField::LastName),
            kind: "text",
            autocomplete: "off",
            hint: String::new(),
        },
        Input {
            name: "email",
            label: ctx.t("web-field-email"),
            value: v("email"),
            required: org.requires(UserField::Email),
            kind: "email",
            autocomplete: "off",
            hint: ctx.t("web-field-email-hint"),
        },
    ];
    if with_login {
        out.push(Input {
            name: "login",
            label: ctx.t("web-field-login"),
            value: v("login"),
            required: false,
            kind: "text",
            autocomplete: "off",
            hint: ctx.t("web-field-login-hint"),
        });
    }
    out.extend([
        Input {
            name: "phone",
            label: ctx.t("web-field-phone"),
            value: v("phone"),
            required: org.requires(UserField::Phone),
            kind: "tel",
            autocomplete: "off",
            hint: ctx.t("web-field-phone-hint"),
        },
        Input {
            name: "address_line",
            label: ctx.t("web-field-address"),
            value: v("address_line"),
            required: org.requires(UserField::Address),
            kind: "text",
            autocomplete: "off",
            hint: String::new(),
        },
        Input {
            name: "postal_code",
            label: ctx.t("web-field-postal-code"),
            value: v("postal_code"),
            required: false,
            kind: "text",
            autocomplete: "off",
            hint: String::new(),
        },
        Input {
            name: "city",
            label: ctx.t("web-field-city"),
            value: v("city"),
            required: org.requires(UserField::Address),
            kind: "text",
            autocomplete: "off",
            hint: String::new(),
        },
    ]);
    out
}

/// A choice among groups, ticked or not.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// The organisation's roles and groups, as the filters and the forms offer them.
async fn roles_and_groups(
    app: &sesame_app::App,
    who: &sesame_app::Principal,
) -> Result<(Vec<RoleView>, Vec<GroupView>), sesame_app::Error> {
    Ok((
        sesame_app::roles::list(app, who).await?,
        sesame_app::groups::list(app, who).await?,
    ))
}

pub(crate) fn full_name(u: &UserView) -> String {
    [u.first_name.as_deref(), u.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}
