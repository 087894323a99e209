# Sésame — messages in English.
# Each id is the stable code of an error or text (`email.invalid` → `email-invalid`).
# The test `both_languages_define_the_same_messages` checks that fr and en define the same ones.

## Refused values

email-empty = The e-mail address is empty: enter an address such as first.last@example.com.
email-too-long = The e-mail address is too long (at most { $max } characters).
email-no-at = The e-mail address must contain an "@", as in first.last@example.com.
email-no-domain = The e-mail address has no domain after the "@" (for example @example.com).
email-bad-domain = The domain "{ $domain }" of the e-mail address is not valid: it needs a name such as example.com.
email-invalid = The e-mail address is not valid: before the "@", only unaccented letters, digits and . _ - + are accepted.
email-taken = The e-mail address { $value } is already used by another account.
login-empty = The login is empty.
login-invalid-chars = The login may only contain unaccented lowercase letters, digits and . - _ (refused: { $chars }).
login-too-long = The login is too long (at most { $max } characters).
login-bad-start = The login must start with a letter or a digit.
login-taken = The login { $value } is already taken.
name-empty = The name is empty.
name-too-long = The name is too long (at most { $max } characters).
name-invalid-chars = The name contains characters that are not allowed (< > @ = ; \ {"{"} {"}"} or control characters).
name-no-letter = The name must contain at least one letter.
name-taken = The name "{ $value }" is already used.
phone-empty = The phone number is empty.
phone-invalid = The phone number is not valid for country { $country }: enter for example 06 12 34 56 78, (514) 555-1234 or +33 6 12 34 56 78.
country-unknown = Unknown country "{ $value }": enter a two-letter code such as FR or CA.
language-unknown = Unknown language: choose among { $expected }.
profile-unknown = Unknown profile: choose among { $expected }.
status-unknown = Unknown status: choose among { $expected }.
field-unknown = Unknown field: choose among { $expected }.
field-required = This field is required by your organisation.
permission-unknown = Unknown permission "{ $value }"; the permissions are: { $expected }.
label-empty = The name is empty.
label-too-long = The name is too long (at most { $max } characters).
label-invalid-chars = The name contains control characters.
text-too-long = The text is too long (at most { $max } characters).
text-invalid-chars = The text contains control characters.
slug-invalid = The short name must be 2 to 40 characters: unaccented lowercase letters, digits and hyphens.
slug-taken = An organisation already has the short name "{ $value }".
limit-range = The value must be between { $min } and { $max }.
password-too-short = The password is too short: at least { $min } characters.
password-too-long = The password is too long: at most { $max } characters.
password-personal = The password contains "{ $part }", taken from your login, name, e-mail or your organisation's name: choose one that does not point to you.
password-guessable = This password is too easy to guess (a common word, keyboard pattern, date…): a phrase of several unrelated words is safer and easier to remember.
value-taken = This value is already used.
role-unknown = The role "{ $value }" does not exist. Possible roles: { $expected }.
group-unknown = The group "{ $value }" does not exist. Possible groups: { $expected }.
org-ambiguous = Several organisations exist: say which one with --org (among { $slugs }).

## Rules of the organisation

role-requires = The role "{ $role }" may only be given to someone who also holds the role "{ $required }".
role-requires-itself = A role cannot require itself.
user-last-admin = This is the last active administrator: appoint another one before removing, disabling or deleting them.
user-self-disable = You cannot disable your own account.
user-self-delete = You cannot delete your own account.
token-user-inactive = This account is not active: it cannot receive an API token.

## Rights

permission-missing = You lack the permission needed: { $permission }.
permission-target-outranks = This person holds rights you do not have ({ $permission }): you cannot act on their account.
permission-role-outranks = This role grants rights you do not have ({ $permission }): you cannot grant it or take it back.
permission-token-outranks = A token cannot carry rights you do not have ({ $permission }).
perm-users-view = view users
perm-users-create = create users
perm-users-edit = edit users
perm-users-disable = disable users
perm-users-delete = delete users
perm-users-import = import
perm-users-export = export
perm-users-invite = invite
perm-roles-assign = assign roles
perm-roles-manage = manage roles
perm-groups-manage = manage groups
perm-org-settings = organisation settings
perm-audit-read = read the audit log
perm-email-signature = e-mail signature

## Sign-in

auth-required = Sign in first: a token is needed (header Authorization: Bearer …).
auth-failed = Wrong login or password.
auth-disabled = This account is disabled.
auth-token-invalid = Unknown, expired or revoked token: sign in again.
auth-session-expired = Your session expired after a period of inactivity: sign in again.
auth-other-organisation = This session belongs to another organisation: sign in to this one.
auth-cross-site = Request refused: it comes from another site than Sésame.
auth-mfa-enrolment-required = Your organisation requires two-factor sign-in for one of your roles: turn it on first (My account → Two-factor).
auth-throttled = Too many failed sign-in attempts: try again in { $seconds } seconds.
password-incorrect = Wrong password.
mfa-code-required = Enter the 6-digit code from your authenticator app (or a recovery code).
mfa-code-invalid = Wrong two-factor code: enter the code your app shows now, or a recovery code you have not used yet.
mfa-code-reused = This code has already been used: wait for the next one in your app (30 seconds at most).
mfa-code-malformed = The code must be 6 digits (or, for a recovery code, 12 characters such as "abcd-efgh-jkmn").
mfa-already-enabled = Two-factor sign-in is already on: turn it off first to change apps.
mfa-not-started = First ask for a new secret (POST /api/v1/account/mfa/totp), then confirm with a code.
mfa-not-enabled = Two-factor sign-in is not on for this account.
mfa-required-by-role = Your organisation requires two-factor sign-in for one of your roles: it cannot be turned off.
setup-invalid = This setup link is not valid or has already been used. Restart "sesame serve" to get a new one.

## HTTP requests

request-json-syntax = The request body is not valid JSON ({ $detail }).
request-json-type = The field "{ $field }" has the wrong type ({ $detail }).
request-unknown-field = The field "{ $field }" is not recognised; expected fields: { $expected }.
request-missing-field = The field "{ $field }" is required.
request-too-large = The request body is too large (at most { $max } bytes).
request-content-type = The body must be JSON (Content-Type: application/json).
request-not-utf8 = The request body is not UTF-8.
request-bad-query = Invalid URL parameters ({ $detail }).
notfound-user = User not found.
notfound-group = Group not found.
notfound-role = Role not found.
notfound-organisation = Organisation not found.
notfound-token = Token not found.
notfound-session = Session not found (already ended?).
notfound-route = This address does not exist in the API.
method-not-allowed = This method is not allowed at this address.
server-busy = The server is very busy: try again in a few seconds.
server-internal = Internal server error. Nothing was saved; the incident is in the server's log.

## Problem titles (RFC 9457)

problem-invalid = Invalid data
problem-conflict = Value already used
problem-refused = Change refused
problem-denied = Access denied
problem-unauthenticated = Sign-in required
problem-mfa-required = Two-factor code required
problem-mfa-enrolment-required = Two-factor enrolment required
problem-throttled = Too many attempts
problem-not-found = Not found
problem-bad-request = Bad request
problem-busy = Server busy
problem-internal = Internal error
problem-link-spent = Link no longer valid
problem-link-invalid = Invalid link

## Command line

cli-error = Error
cli-init-done = Organisation "{ $org }" ({ $slug }) created, profile { $profile }; administrator { $login }.
cli-init-no-password = Without a password the administrator is "invited": give them one with "sesame user passwd { $login } --password-file FILE".
cli-setup-link = First run: open this link (usable once) to create the first administrator:
cli-setup-api = or post this token to POST /api/v1/setup:
cli-listening = Sésame is listening on http://{ $addr } (database { $db }).
cli-user-created = User { $login } created.
cli-user-disabled = User { $login } disabled.
cli-user-enabled = User { $login } enabled again.
cli-password-set = Password of { $login } saved; their sessions are ended.
cli-two-factor-reset = Two-factor sign-in of { $login } removed: they sign in with their password and may turn it on again.
cli-group-created = Group "{ $name }" created.
cli-member-added = { $login } added to group "{ $group }".
cli-member-removed = { $login } removed from group "{ $group }".
cli-token-created = API token "{ $name }" created for { $login }. Copy it now, it will not be shown again:
cli-no-users = No users.
cli-password-file = Cannot read the password file { $path }: { $error }

## Setup page

page-setup-title = Create the first administrator
page-setup-intro = This link works once. Say who will administer Sésame for your organisation.
page-setup-organisation = Organisation name
page-setup-first-name = First name
page-setup-last-name = Last name
page-setup-email = E-mail address
page-setup-login = Login
page-setup-login-hint = (optional: suggested from the first and last names)
page-setup-password = Password
page-setup-password-hint = (at least 12 characters; a phrase of several words works well)
page-setup-submit = Create the administrator
page-setup-done = Administrator { $login } is created. Sign in with POST /api/v1/auth/login; the administration pages come in a next version.

## E-mails (issue 4)
mail-greeting = Hello { $name },
mail-closing = The { $org } team
mail-ignore = If you were not expecting this message, ignore it: nothing will change without you.
mail-not-you = If this was not you, tell an administrator of { $org } as soon as possible.
mail-link-expiry = This link works once and stays valid for { $duration } (until { $date }). If it has expired, the page it opens offers to send you a new one.
mail-invitation-subject = Your { $org } account is waiting for you
mail-invitation-intro = An account was created for you in { $org }. To activate it, choose your password.
mail-invitation-intro-by = { $actor } invites you to join { $org }. To activate your account, choose your password.
mail-invitation-login = Your login: { $login }
mail-invitation-action = Choose my password
mail-password-reset-subject = New password for your { $org } account
mail-password-reset-intro = A new password was requested for your account { $login } in { $org }.
mail-password-reset-intro-by = { $actor } sends you a link to choose a new password for your account { $login } in { $org }.
mail-password-reset-action = Choose a new password
mail-password-changed-subject = Your { $org } password was changed
mail-password-changed-intro = The password of your account { $login } in { $org } was just changed. Sessions opened with the old one were closed.
mail-mfa-enabled-subject = Two-factor sign-in turned on for your { $org } account
mail-mfa-enabled-intro = Two-factor sign-in was just turned on for your account { $login } in { $org }: every sign-in will now ask for a code from your app.
mail-mfa-disabled-subject = Two-factor sign-in turned off for your { $org } account
mail-mfa-disabled-intro = Two-factor sign-in was just turned off for your account { $login } in { $org }: the password alone now signs in.
mail-mfa-reset-subject = Two-factor sign-in reset for your { $org } account
mail-mfa-reset-intro = Two-factor sign-in of your account { $login } in { $org } was reset by the technical team: you can turn it on again from your account.
mail-mfa-reset-intro-by = { $actor } reset two-factor sign-in of your account { $login } in { $org }: you can turn it on again from your account.
mail-email-change-subject = Confirm your new e-mail address for { $org }
mail-email-change-intro = For { $new_email } to become the address of your account { $login } in { $org }, confirm it with this link. Until then, the old address stays.
mail-email-change-action = Confirm this address
mail-email-changed-subject = Your { $org } account's e-mail address is changing
mail-email-changed-intro = The address of your account { $login } in { $org } will be replaced by { $new_email } as soon as it is confirmed from that new address.
mail-member-joined-subject = { $member } joined { $org }
mail-member-joined-intro = { $member } just activated their account in { $org }.
mail-member-joined-why = You receive this alert because it is ticked in your notification preferences; you can untick it from your account.
link-invalid = This link is not valid: check that it was copied whole from the message you received.
link-wrong-kind = This link is not for this: use it from the message that brought it.
link-expired = This link has expired. You can ask for a new link to be sent to you.
link-used = This link was already used. You can ask for a new link to be sent to you.
link-replaced = A newer link was sent since: use the latest message you received, or ask for a new link.
invitation-disabled = This account is disabled: enable it before sending an invitation.
invitation-no-email = This account has no e-mail address: add one before sending an invitation.
access-reset-requested = If an account uses this address, a link to choose a new password was just sent to it. Remember to look in the spam folder.
access-link-renewed = A new link was just sent to the account's e-mail address, if it can still receive one.
outbox-state = The state must be "queued", "sent" or "failed".
notfound-message = Message not found in the outbox.
page-link-password-hint = (at least 8 characters, 12 for an administrator; a phrase of several words works well)
page-activate-title = Activate your account
page-activate-intro = Choose the password of your account { $login } in { $org }.
page-activate-submit = Activate my account
page-activate-done = Your account { $login } is active and you are signed in.
page-reset-title = Choose a new password
page-reset-intro = Choose the new password of your account { $login } in { $org }. Open sessions will be closed.
page-reset-submit = Save the password
page-reset-done = Your password is changed. Sign in with the new one.
page-email-title = Confirm your e-mail address
page-email-intro = Confirm that { $new_email } becomes the address of your account { $login } in { $org }.
page-email-submit = Confirm this address
page-email-done = The address { $email } is now that of the account { $login }.
page-renew-title = New link
page-renew-submit = Send me a new link
page-forgot-title = Forgotten password
page-forgot-intro = Give your account's e-mail address: you will receive a link there to choose a new password.
page-forgot-submit = Get a link
cli-mail = E-mails: { $mail }
cli-invitation-queued = Invitation of { $login } queued: "sesame serve" delivers it (see GET /api/v1/outbox).
cli-reset-queued = { $login } is already active: a link to choose a new password is queued ("sesame serve" delivers it).
## Notifications and signatures

alert-member-joined = A new member joined the organisation
alert-import-finished = An import of members finished
alert-security = Security notices for administrators
alert-unknown = The alert "{ $value }" does not exist. Possible alerts: { $expected }.
alert-key-invalid = The alert key "{ $value }" is not valid: 1 to 64 characters among lowercase letters without accents, digits and . - _, starting with a letter or digit (for example menus.published).
alert-key-reserved = The key "{ $value }" is one of Sésame's own alerts: choose another one (for example myapp.{ $value }).
alert-no-group-filter = The alert "{ $alert }" cannot be limited to some groups: remove the list of groups or leave it empty.
signature-too-long = The signature is too long: { $length } characters, at most { $max }.
mail-security-subject = Security alert — { $org }
mail-security-mfa-reset = { $actor } reset the two-factor sign-in of { $member } in { $org }.
mail-security-sign-in-blocked = The account of { $member } in { $org } just failed to sign in { $count } times in a row: further attempts are slowed down. Unless they mistyped, someone may be trying to guess their password.
mail-security-why = You receive this alert because security alerts are ticked in your notification preferences.
mail-operator = The technical team

## Import (issue 5)
import-duplicate = "{ $value }" is already in row { $row } of the file: each person must appear only once.
import-column-unknown = The column "{ $column }" is not recognised. Expected columns: { $expected }.
import-column-twice = The column "{ $column }" appears twice: keep only one.
import-column-missing = The column "{ $column }" is missing; your organisation requires it. Expected columns: { $expected }.
import-no-rows = The file holds only the header row: add one row per person below it.
import-error-column = Error
template-instructions-sheet = Instructions
template-col-column = Column
template-col-required = Required?
template-col-format = Expected format
template-col-example = Example
template-required = Required (bold)
template-optional = Optional (italic)
template-suggested = Optional: suggested from the first and last names when empty
template-notes = One row per person; do not rename the columns. A person already known (same e-mail, else same login) is updated; an empty cell leaves the current value.
template-format-login = lowercase letters without accents, digits, . - _
template-format-email = an e-mail address; it identifies the person
template-format-first-name = any letters, accents included
template-format-last-name = any letters, accents included
template-format-phone = national or international format
template-format-language = fr or en
template-format-address-line = number and street
template-format-postal-code = postal code
template-format-city = city
template-format-roles = role names separated by commas; "Role@Group" for a role held within a group
template-format-groups = group names separated by commas
template-example-login = zoe.lefevre
template-example-email = zoe.lefevre@example.org
template-example-first-name = Zoé
template-example-last-name = Lefèvre
template-example-phone = (514) 555-1234
template-example-language = en
template-example-address-line = 12 Lilac Street
template-example-postal-code = H2X 1Y4
template-example-city = Montréal
template-example-roles = Member, Producer contact@Bec Farm
template-example-groups = Bec Farm
cli-import-row = Row { $row }:
cli-import-cell = Row { $row }, column "{ $column }":
cli-import-counts = { $created } to create or created, { $updated } updated, { $unchanged } unchanged, { $invalid } with errors.
cli-import-applied = Import saved.
cli-import-dry-run = Dry run: nothing was saved.
cli-import-nothing-written = Nothing was saved: fix the rows with errors (or run again with --skip-invalid to import only the valid rows).
cli-import-error-file = The rows with errors are in { $path }: fix them there and import that file.
cli-sheet-format = Unknown format "{ $value }": xlsx, ods or csv.
cli-template-written = Template written to { $path }.
cli-export-written = { $rows } users exported to { $path }.
sheet-io = The file could not be read: check its path and permissions.
sheet-not-spreadsheet = This file is not a spreadsheet: save it as XLSX, ODS or CSV.
sheet-unsupported = { $format } files are not supported: save it as XLSX, ODS or CSV.
sheet-corrupt = This { $format } file is damaged: open it in your spreadsheet program and save it again.
sheet-encrypted = This { $format } file is protected by a password: save a copy without one.
sheet-empty = The file is empty.
sheet-headers-only = The file holds only the header row: add one row per person below it.
sheet-too-big = The file is too big ({ $size } bytes, at most { $limit }).
sheet-unpacked-too-big = Unpacked, the file would be more than { $limit } bytes: it is not read.
sheet-too-many-rows = The file has more than { $limit } rows: split it into several files.
sheet-too-many-columns = Row { $row } has cells beyond column { $limit }.
sheet-cell-too-long = Cell { $column }{ $row } is longer than { $limit } characters.
sheet-encoding = Row { $row } is not valid { $encoding } text: save the file as UTF-8.
notfound-import = Import not found.
notfound-import-errors = This import has no faulty row (or has not finished).
import-format = Unknown format "{ $value }": xlsx, ods or csv.
import-upload = Send the file in a multipart form, field "file" ({ $detail }).
mail-import-finished-subject = Member import finished — { $org }
mail-import-finished-intro = { $actor } imported "{ $file }" into { $org }: { $created } people created, { $updated } updated, { $unchanged } unchanged, { $invalid } rows with errors not imported.
mail-import-finished-why = You receive this alert because finished imports are ticked in your notification preferences.
