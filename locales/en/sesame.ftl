# Sésame — messages in English.
# Each id is the stable code of an error or text (`email.invalid` → `email-invalid`).
# The test `both_languages_define_the_same_messages` checks that fr and en define the same ones.

## Refused values

email-empty = The e-mail address is empty: enter an address such as first.last@example.com.
email-too-long = The e-mail address is too long (at most { $max ->
    [one] { $max } character
   *[other] { $max } characters
  }).
email-no-at = The e-mail address must contain an "@", as in first.last@example.com.
email-no-domain = The e-mail address has no domain after the "@" (for example @example.com).
email-bad-domain = The domain "{ $domain }" of the e-mail address is not valid: it needs a name such as example.com.
email-invalid = The e-mail address is not valid: before the "@", only unaccented letters, digits and . _ - + are accepted.
email-taken = The e-mail address { $value } is already used by another account.
login-empty = The login is empty.
login-invalid-chars = The login may only contain unaccented lowercase letters, digits and . - _ (refused: { $chars }).
login-too-long = The login is too long (at most { $max ->
    [one] { $max } character
   *[other] { $max } characters
  }).
login-bad-start = The login must start with a letter or a digit.
login-taken = The login { $value } is already taken.
name-empty = The name is empty.
name-too-long = The name is too long (at most { $max ->
    [one] { $max } character
   *[other] { $max } characters
  }).
name-invalid-chars = The name contains characters that are not allowed (< > @ = ; \ {"{"} {"}"} or control characters).
name-no-letter = The name must contain at least one letter.
name-taken = The name "{ $value }" is already used.
phone-empty = The phone number is empty.
phone-invalid = The phone number is not valid for country { $country }: enter for example 06 12 34 56 78, (514) 555-1234 or +33 6 12 34 56 78.
country-unknown = Unknown country "{ $value }": enter a two-letter code such as FR or CA.
time-zone-unknown = { $field }: "{ $value }" is not a known time zone; choose a name from the list, such as Europe/Paris or America/Toronto.
time-zone-empty = { $field }: enter a time zone, such as Europe/Paris or America/Toronto.
field-name-time-zone = Time zone
# Dates as people read them (crates/app/src/time.rs): "4 December 2026 at 3:13 PM".
time-date = { $day } { $month } { $year }
time-date-time = { $date } at { $hour12 }:{ $minute } { $half ->
        [pm] PM
       *[am] AM
    }
time-month-1 = January
time-month-2 = February
time-month-3 = March
time-month-4 = April
time-month-5 = May
time-month-6 = June
time-month-7 = July
time-month-8 = August
time-month-9 = September
time-month-10 = October
time-month-11 = November
time-month-12 = December
language-unknown = Unknown language: choose among { $expected }.
profile-unknown = Unknown profile: choose among { $expected }.
status-unknown = Unknown status: choose among { $expected }.
field-unknown = Unknown field: choose among { $expected }.
field-required = This field is required by your organisation.
permission-unknown = Unknown permission "{ $value }"; the permissions are: { $expected }.
label-empty = The name is empty.
label-too-long = The name is too long (at most { $max ->
    [one] { $max } character
   *[other] { $max } characters
  }).
label-invalid-chars = The name contains control characters.
text-hidden-char = { $field }: the invisible character { $char } ({ $name }) is not accepted, as it can reorder or hide text. Remove it (if the value was pasted, type it again).
text-stray-joiner = { $field }: the invisible character { $char } ({ $name }) is accepted only inside a word of a script that needs it (Persian, Arabic, Hindi…). Remove it (if the value was pasted, type it again).
field-name-login = Login
field-name-first-name = First name
field-name-last-name = Last name
field-name-name = Name
field-name-kind = Kind
field-name-label-fr = French label
field-name-label-en = English label
field-name-org = Organisation
field-name-organisation = Organisation
field-name-email = E-mail address
field-name-phone = Phone
field-name-language = Language
field-name-address-line = Address
field-name-postal-code = Postal code
field-name-city = City
field-name-password = Password
field-name-new-password = New password
field-name-current-password = Current password
field-name-roles = Roles
field-name-groups = Groups
field-name-role = Role
field-name-group = Group
field-name-member = Member
field-name-file = File
field-name-code = Code
field-name-description = Description
field-name-permissions = Permissions
field-name-requires = Required role
field-name-country = Country
field-name-required = Required fields
field-name-two-factor-roles = Roles held to two-factor sign-in
field-name-signature = Signature
field-name-since = From
field-name-until = Until
field-name-status = Status
field-name-actor = By
field-name-target = Target
field-name-q = Search
field-name-username = Login
field-name-profile = Profile
field-name-action = Kind of change
field-name-limit = Entries per page
field-name-format = Format
text-too-long = The text is too long (at most { $max ->
    [one] { $max } character
   *[other] { $max } characters
  }).
text-invalid-chars = The text contains control characters.
slug-invalid = The short name must be 2 to 40 characters: unaccented lowercase letters, digits and hyphens.
slug-taken = An organisation already has the short name "{ $value }".
limit-range = The value must be between { $min } and { $max }.
password-too-short = The password is too short: at least { $min ->
    [one] { $min } character
   *[other] { $min } characters
  }.
password-too-long = The password is too long: at most { $max ->
    [one] { $max } character
   *[other] { $max } characters
  }.
password-personal = The password contains "{ $part }", taken from your login, name, e-mail or your organisation's name: choose one that does not point to you.
password-guessable = This password is too easy to guess (a common word, keyboard pattern, date…): a phrase of several unrelated words is safer and easier to remember.
value-taken = This value is already used.
role-unknown = The role "{ $value }" does not exist. Possible roles: { $expected }.
group-unknown = The group "{ $value }" does not exist. Possible groups: { $expected }.
org-ambiguous = Several organisations exist: say which one with --org (among { $slugs }).
org-required = Type your organisation's identifier: several organisations share this server (it is the short name in the sign-in link you were given, e.g. amap-du-quartier).

## Rules of the organisation

role-requires = The role "{ $role }" may only be given to someone who also holds the role "{ $required }".
role-requires-itself = A role cannot require itself.
role-assign-missing = You can neither give nor take back the role “{ $role }” { $scope ->
    [org] in the whole organisation
   *[group] in the group “{ $group }”
  }: it takes the { $permission } permission there.
role-outranks = The role “{ $role }” grants rights you do not hold { $scope ->
    [org] in the whole organisation
   *[group] in the group “{ $group }”
  } ({ $permission }): you can neither give nor take it back.
user-last-admin = This is the last active administrator: appoint another one before removing, disabling or deleting them.
user-self-disable = You cannot disable your own account.
user-self-delete = You cannot delete your own account.
token-user-inactive = This account is not active: it cannot receive an API token.

## Rights

permission-missing = You lack the permission needed: { $permission }.
permission-target-outranks = This person holds rights you do not have ({ $permission }): you cannot act on their account.
permission-role-outranks = This role grants rights you do not have ({ $permission }): you cannot grant it or take it back.
permission-token-outranks = A token cannot carry rights you do not have ({ $permission }).
permission-subject-lacks = This person's roles do not give them { $permission }: there is nothing to set for them here.
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
perm-apps-manage = manage applications

## Sign-in

auth-required = Sign in first: a token is needed (header Authorization: Bearer …).
auth-failed = Wrong login or password.
auth-disabled = This account is disabled.
auth-token-invalid = Unknown, expired or revoked token: sign in again.
auth-session-expired = Your session expired after a period of inactivity: sign in again.
auth-other-organisation = This session belongs to another organisation: sign in to this one.
auth-cross-site = Request refused: it comes from another site than Sésame.
auth-mfa-enrolment-required = Your organisation requires two-factor sign-in for one of your roles: turn it on first (My account → Two-factor).
auth-session-required = Only a signed-in session may do this: an API token can neither see nor change its owner's own account (password, e-mail, two-factor, sessions, API tokens, signature, alerts), nor make another token. Sign in with your password to do it.
auth-code-step-expired = The sign-in step expired (after five minutes): type your login and password again.
auth-throttled = Too many failed sign-in attempts: try again in { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
  }.
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
request-json-object = The request body must be a JSON object, in braces: {"{"} "field": value {"}"}.
request-unknown-field = The field "{ $field }" is not recognised; expected fields: { $expected }.
request-missing-field = The field "{ $field }" is required.
request-too-large = The request body is too large (at most { $max ->
    [one] { $max } byte
   *[other] { $max } bytes
  }).
request-content-type = The body must be JSON (Content-Type: application/json).
request-not-utf8 = The request body is not UTF-8.
request-bad-query = Invalid URL parameters ({ $detail }).
request-flag = The field "{ $field }" is true or false.
request-form-value = The field "{ $field }" cannot hold this value ({ $detail }).
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
storage-full = The disk where Sésame keeps its data is full: nothing was saved. Free some space on that disk (or tell whoever runs the server), then try again.
storage-read-only = Sésame cannot write to its database: the data directory, the database file or the disk is read-only (or not owned by the user running Sésame). Nothing was saved. Make them writable by that user (or tell whoever runs the server), then try again.
storage-unreachable = Sésame's database is not answering right now (stopped or restarting): nothing was saved. Try again in a few seconds; if it lasts, tell whoever runs the server.
mail-recipient-limit = Already { $limit ->
    [one] { $limit } e-mail sent
   *[other] { $limit } e-mails sent
  } one at a time to { $address } within the hour: that is the most allowed, so as not to flood that mailbox. You can write to it again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
  }.
import-interrupted = Interrupted: the server stopped during the import. An interrupted import writes nothing: import the file again (people already there will be recognised and left unchanged).
import-failed = The import failed unexpectedly; nothing was written. Try again, and tell whoever runs the server if it happens again.
store-migration-failed = Upgrading the database failed at migration { $version } ({ $name }): that migration was rolled back, and the database is exactly as it was before it (the earlier migrations are kept). Nothing else was done. Keep the database as it is, and report this message to Sésame's developers.
store-newer-database = This database was written by a later version of Sésame (it has migration { $version }, unknown to this one). Run that version again, or restore a backup made by this one.
backup-postgres = "sesame backup" copies the SQLite database only. For PostgreSQL, use pg_dump: pg_dump --format=custom --file=sesame.dump "postgres://…" (see "Backups" in the README).
restore-postgres = "sesame restore" puts back a SQLite database only. For PostgreSQL, use pg_restore into an empty database: pg_restore --no-owner --dbname="postgres://…" sesame.dump (see "Backups" in the README).
restore-in-use = A server is using this database: stop "sesame serve" first (systemctl stop sesame, or Ctrl-C), then restore. Nothing was changed.
restore-not-sesame = { $path } is not a Sésame database (no migrations table or no organisations). Nothing was changed.
restore-damaged = { $path } is damaged (SQLite's integrity check failed). Nothing was changed; take another backup.
restore-newer = { $path } was written by a later version of Sésame (migration { $version }): restore it with that version. Nothing was changed.
serve-restoring = A restore of this database is under way: start the server once it has finished.

## Problem titles (RFC 9457)

problem-invalid = Invalid data
problem-conflict = Value already used
problem-refused = Change refused
problem-denied = Access denied
problem-unauthenticated = Sign-in required
problem-mfa-required = Two-factor code required
problem-mfa-enrolment-required = Two-factor enrolment required
problem-session-required = Signed-in session required
problem-throttled = Too many attempts
problem-not-found = Not found
problem-bad-request = Bad request
problem-busy = Server busy
problem-internal = Internal error
problem-storage-full = Disk full
problem-storage-read-only = Database read-only
problem-storage-unreachable = Database unreachable
problem-recipient-limit = Too many e-mails to this address
problem-link-spent = Link no longer valid
problem-link-invalid = Invalid link

## Command line

cli-error = Error
cli-init-done = Organisation "{ $org }" ({ $slug }) created, profile { $profile }; administrator { $login }.
cli-init-no-password = Without a password the administrator is "invited": give them one with "sesame user passwd { $login } --password-file FILE".
cli-setup-link = First run: open this link (usable once) to create the first administrator:
cli-setup-api = or post this token to POST /api/v1/setup:
cli-listening = Sésame is listening on http://{ $addr } (database { $db }).
cli-metrics = Metrics (Prometheus) at http://{ $addr }/metrics.
cli-metrics-token-unreadable = --metrics-token-file: cannot read { $path }: { $error }
cli-metrics-token-empty = --metrics-token-file: { $path } is empty; write the token on its first line.
cli-imports-interrupted = Import "{ $file }" ({ $id }) interrupted: the server stopped during the import. It is marked failed; nothing of it was written, import the file again.
cli-backup-done = Backup written to { $path }.
cli-restore-done = Backup put in place: { $path } (its last migration: { $version }; the next start applies this version's later ones).
cli-restore-kept = The database that was there is kept as { $path }.
cli-yes = yes
cli-imports-headers = ID|WHEN|BY|FILE|STATE|CREATED/UPDATED/UNCHANGED/INVALID|CAN BE UNDONE
cli-imports-state-undone = undone
cli-imports-state-dry-run = dry run
cli-imports-state-applied = saved
cli-imports-state-done = nothing saved
cli-imports-state-failed = failed
cli-imports-state-running = running
cli-import-file-missing = Name the file to import (sesame import FILE), or use sesame import list or sesame import undo ID.
cli-import-undo-confirmed = [undone anyway]
cli-import-undo-left = [left as it is]
cli-import-undo-preview = What undoing this import does (a dry run: nothing was changed):
cli-import-undone = The import was undone:
cli-import-undo-unconfirmed = Some changes made since the import are left as they are; to undo them anyway add --confirm { $value }.
cli-user-created = User { $login } created.
cli-user-disabled = User { $login } disabled.
cli-user-enabled = User { $login } enabled again.
cli-password-set = Password of { $login } saved; their sessions are ended.
cli-two-factor-reset = Two-factor sign-in of { $login } removed: they sign in with their password and may turn it on again.
cli-app-created = Application "{ $name }" registered.
cli-app-secret-once = Copy the client secret now, it will not be shown again:
cli-app-removed = Application "{ $name }" deleted; its tokens have ended.
cli-group-created = Group "{ $name }" created.
cli-member-added = { $login } added to group "{ $group }".
cli-member-removed = { $login } removed from group "{ $group }".
cli-token-created = API token "{ $name }" created for { $login }. Copy it now, it will not be shown again:
cli-keys-rotated = { $alg }: key { $retired } retired (still published until the tokens it signed have expired); { $current } signs from now on; { $next } is published as the next key.
cli-keys-not-rotated = No key rotated: another instance rotated them at the same moment (see "sesame keys list").
cli-keys-deleted = { $count ->
    [one] { $count } retired key kept long enough was deleted.
   *[other] { $count } retired keys kept long enough were deleted.
  }
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
page-setup-done = Administrator { $login } is created: sign in to add your members.
page-setup-sign-in = Sign in

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
mail-alerts-changed-subject = Your { $org } alerts were changed
mail-alerts-changed-intro = { $actor } changed the alerts your account { $login } receives by e-mail from { $org }.
mail-signature-changed-subject = Your { $org } signature was changed
mail-signature-changed-intro = { $actor } changed the signature that closes the e-mails your account { $login } has sent in { $org }.
mail-changed-by-why = You can review and change them yourself from your { $org } account. If this change surprises you, tell an administrator.
mail-duration-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
  }
mail-duration-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
  }
mail-duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
  }
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
signature-too-long = The signature is too long: { $length ->
    [one] { $length } character
   *[other] { $length } characters
  }, at most { $max }.
mail-security-subject = Security alert — { $org }
mail-security-mfa-reset = { $actor } reset the two-factor sign-in of { $member } in { $org }.
mail-security-sign-in-blocked = The account of { $member } in { $org } just failed to sign in { $count ->
    [one] { $count } time
   *[other] { $count } times
  } in a row: further attempts are slowed down. Unless they mistyped, someone may be trying to guess their password.
mail-security-why = You receive this alert because security alerts are ticked in your notification preferences.
mail-operator = The technical team

## Import (issue 5)
import-duplicate = "{ $value }" is already in row { $row } of the file: each person must appear only once.
import-column-unknown = The column "{ $column }" is not recognised. Expected columns: { $expected }.
import-column-twice = The column "{ $column }" appears twice: keep only one.
import-column-missing = The column "{ $column }" is missing; your organisation requires it. Expected columns: { $expected }.
import-no-rows = The file holds only the header row: add one row per person below it.
import-undo-signed-in = { $login } has signed in (or acted themselves) since the import: they are kept unless you confirm "signed_in".
import-undo-signed-in-activated = { $login } has signed in (or acted themselves) since the import made them active with the password it brought: they stay active with their password unless you confirm "signed_in".
import-undo-edited-since = { $login }: the field "{ $field }" was changed again since the import; it is kept unless you confirm "edited_since".
import-already-undone = This import has already been undone: an import is undone only once.
import-not-undoable = The import "{ $file }" cannot be undone: only an import that saved changes can be (not a dry run, not one that saved nothing).
import-undo-confirm-unknown = "{ $value }" is not a kind of change to confirm. Expected: { $expected }.
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
cli-trusted-proxy = --trusted-proxies: "{ $value }" is neither an IP address nor a range: give addresses and ranges separated by commas, e.g. 127.0.0.1,10.0.0.0/8.
cli-template-written = Template written to { $path }.
cli-export-written = { $rows ->
    [one] { $rows } user exported
   *[other] { $rows } users exported
  } to { $path }.
sheet-io = The file could not be read: check its path and permissions.
sheet-not-spreadsheet = This file is not a spreadsheet: save it as XLSX, ODS or CSV.
sheet-unsupported = { $format } files are not supported: save it as XLSX, ODS or CSV.
sheet-corrupt = This { $format } file is damaged: open it in your spreadsheet program and save it again.
sheet-encrypted = This { $format } file is protected by a password: save a copy without one.
sheet-empty = The file is empty.
sheet-headers-only = The file holds only the header row: add one row per person below it.
sheet-too-big = The file is too big ({ $size ->
    [one] { $size } byte
   *[other] { $size } bytes
  }, at most { $limit }).
sheet-unpacked-too-big = Unpacked, the file would be more than { $limit ->
    [one] { $limit } byte
   *[other] { $limit } bytes
  }: it is not read.
sheet-too-many-rows = The file has more than { $limit ->
    [one] { $limit } row
   *[other] { $limit } rows
  }: split it into several files.
sheet-too-many-columns = Row { $row } has cells beyond column { $limit }.
sheet-cell-too-long = Cell { $column }{ $row } is longer than { $limit ->
    [one] { $limit } character
   *[other] { $limit } characters
  }.
sheet-encoding = Row { $row } is not valid { $encoding } text: save the file as UTF-8.
notfound-import = Import not found.
notfound-import-errors = This import has no faulty row (or has not finished).
import-format = Unknown format "{ $value }": xlsx, ods or csv.
upload-missing = { $field }: no file came; choose the spreadsheet to import.
upload-too-large = { $field }: the file is too large (at most { $max } MB).
upload-broken = { $field }: the file could not be received (the form broke off, or is not multipart/form-data); send it again.
mail-import-finished-subject = Member import finished — { $org }
mail-import-finished-intro = { $actor } imported "{ $file }" into { $org }: { $created ->
    [one] { $created } person created
   *[other] { $created } people created
  }, { $updated } updated, { $unchanged } unchanged, { $invalid ->
    [one] { $invalid } row with errors not imported
   *[other] { $invalid } rows with errors not imported
  }.
mail-import-finished-why = You receive this alert because finished imports are ticked in your notification preferences.

## Web pages (issue 6)
web-skip = Skip to the content
web-nav-label = Main menu
web-nav-users = Users
web-nav-import = Import
web-nav-account = My account
web-sign-out = Sign out
web-error-title = Something went wrong
web-csrf = This form expired or did not come from Sésame's page: go back, reload the page and send it again.
web-bad-form = This form is not one Sésame knows: reload the page and try again.
web-language-unknown = Unknown language: choose fr or en.
web-form-errors = Please correct what is marked below:
web-required = required
web-required-note = Fields marked * are required by your organisation.
web-save = Save
web-any = All
web-pages = Pages
web-page-prev = ← Previous page
web-page-next = Next page →
web-page-of = Page { $page }
web-tabs = Sections of this user
web-sign-in-title = Sign in
web-sign-in-login = Login or e-mail address
web-sign-in-password = Password
web-sign-in-org = Organisation identifier
web-sign-in-org-hint = The short name of your association or organisation on this server, as in the sign-in link you were given (e.g. amap-du-quartier).
web-sign-in-submit = Sign in
web-sign-in-forgot = Forgotten password?
web-code-title = Two-factor sign-in
web-code-intro = Your password is right. Now type the code your authenticator app shows.
web-code-intro-both = Your password is right. Now confirm it is you: type the code your authenticator app shows, or use one of your passkeys.
web-code-intro-passkey = Your password is right. Now confirm it is you with one of your passkeys (your phone's or computer's own unlock).
web-code-label = Code
web-code-hint = (six digits, or one of your recovery codes)
web-code-submit = Sign in
web-code-restart = Start again with the login
web-users-title = Users
web-users-add = Add a user
web-users-search = Search (name, login, e-mail)
web-users-role = Role
web-users-group = Group
web-users-status = Status
web-users-filter = Filter
web-users-count = { $count ->
    [0] No user matches.
    [one] One user.
   *[other] { $count } users.
}
web-users-none = Nobody matches these filters.
web-users-col-login = Login
web-users-col-name = Name
web-users-col-email = E-mail
web-users-col-status = Status
web-users-col-created = Created
web-users-col-roles = Roles
web-status-all = All
web-status-active = Active
web-status-invited = Invited
web-status-disabled = Disabled
web-state-active = Active
web-state-invited = Invited
web-state-disabled = Disabled
web-export-xlsx = Export (Excel)
web-export-ods = Export (LibreOffice)
web-export-csv = Export (CSV)
web-field-first-name = First name
web-field-last-name = Last name
web-field-email = E-mail address
web-field-email-hint = The invitation and the password links are sent to it.
web-field-email-change-hint = (a new address is confirmed from a link sent to it)
web-field-login = Login
web-field-login-hint = Suggested from the names (first.last); no spaces or accents. Leave empty to take the suggestion.
web-field-phone = Phone
web-field-phone-hint = e.g. 06 12 34 56 78 or +1 514 555 0123
web-field-address = Address
web-field-postal-code = Postal code
web-field-city = City
web-field-language = Language
web-field-roles = Roles
web-field-groups = Groups
web-user-new-title = Add a user
web-user-new-invite = Send the invitation e-mail
web-user-new-invite-hint = The person receives a link to choose their password.
web-user-new-submit = Add the user
web-tab-profile = Profile
web-tab-login = Sign-in
web-tab-roles = Roles
web-tab-access = Access
web-email-pending = Waiting for confirmation: { $email }
web-access-invite-text = This person has not activated their account yet.
web-access-invite = Send the invitation e-mail
web-access-reset-text = The account is active: send a link to choose a new password.
web-access-reset = Send a password reset link
web-access-sessions = Open sessions
web-access-no-sessions = No open session.
web-access-end-sessions = End every session
web-access-remove-passkeys-text = { $count ->
    [one] Lost or stolen device: remove this person's passkey. Their authenticator app, if they have one, stays.
   *[other] Lost or stolen device: remove this person's { $count } passkeys. Their authenticator app, if they have one, stays.
}
web-access-remove-passkeys = Remove the passkeys
web-access-reset-2fa-text = Lost phone: remove this person's authenticator app and passkeys, so they can enrol again.
web-access-reset-2fa = Reset two-factor sign-in
web-access-disable-text = A disabled account can no longer sign in; nothing is deleted.
web-access-disable = Disable the account
web-access-enable = Enable the account
web-access-delete = Delete the user
web-access-delete-text = Their personal data is erased; the audit log keeps that they existed. This cannot be undone.
web-access-delete-confirm = Yes, delete this user for good
web-delete-unconfirmed = Tick the box to confirm the deletion.
web-session-since = Since
web-session-seen = Last seen
web-session-from = From
web-session-current = this one
web-import-title = Import users
web-imports-link = Past imports (last 90 days), and undoing one
web-imports-title = Imports
web-imports-intro = Every import of the last 90 days: who ran it, when, the file, what it did. An import that saved changes can be undone, after a preview.
web-imports-none = No import in the last 90 days.
web-imports-col-when = When
web-imports-col-who = By
web-imports-col-file = File
web-imports-col-state = State
web-imports-col-counts = Created / updated / unchanged / with errors
web-imports-col-options = Options
web-imports-col-actions = Actions
web-imports-counts-hint = A dry run (preview) counts what the import would have done.
web-imports-state-undone = Undone
web-imports-state-dry-run = Preview (nothing saved)
web-imports-state-applied = Saved
web-imports-state-running = Running
web-imports-state-failed = Failed
web-imports-state-nothing = Nothing saved
web-imports-option-skip-invalid = valid rows only
web-imports-option-invite = invitations sent
web-imports-undone-by = on { $when } by { $actor }
web-imports-undo = Undo…
web-import-undo-title = Undo an import
web-import-undo-preview = What undoing this import does (a preview: nothing is changed yet):
web-import-undo-done = The import was undone:
web-import-undo-deleted = People it created, deleted: { $count }
web-import-undo-restored = People it changed, put back: { $count }
web-import-undo-roles = Roles taken back or given back: { $count }
web-import-undo-memberships = Group memberships taken back or given back: { $count }
web-import-undo-left = People left as they are (a change since, not confirmed): { $count }
web-import-undo-invited = People it made active with the password it brought, invited again (that password removed): { $count }
web-import-undo-gone = People deleted since (nothing to undo): { $count }
web-import-undo-conflicts = Changed since the import
web-import-undo-now = now
web-import-undo-confirm-signed-in = Also undo it for the people who have signed in since: those it created deleted, those it made active invited again
web-import-undo-confirm-edited-since = Also put back the fields changed again since the import
web-import-undo-hint = What is not ticked is left as it is. The undo is done in one go: everything listed above, or nothing.
web-import-undo-button = Undo this import
web-import-undo-impossible = This import cannot be undone: it saved no change, or it was already undone.
web-import-step-template = Download the template: bold columns are required, italic ones optional. Do not rename the columns.
web-import-template-xlsx = Template (Excel)
web-import-template-ods = Template (LibreOffice)
web-import-template-csv = Template (CSV)
web-import-step-fill = Fill it from the lists you already keep (one person per row).
web-import-step-upload = Upload it: you will see what it would do before anything is written.
web-import-file = Spreadsheet file
web-import-file-hint = (XLSX, XLS, ODS or CSV; you can also drop it here)
web-import-preview = Check the file
web-import-preview-title = Import preview
web-import-result-title = Import result
web-import-file-name = File: { $name }
web-import-running = Reading the file…
web-import-rows-read = Rows read:
web-import-failed = The import failed unexpectedly; nothing was written. Try again, and tell your administrator if it happens again.
web-import-created = To create
web-import-updated = To update
web-import-unchanged = Unchanged
web-import-invalid = With errors
web-import-applied = The import is done.
web-import-not-applied = Nothing was written: some rows have errors. Fix them in the error file and import it again, or import the valid rows only.
web-import-error-file-text = The rows with errors, with an "Error" column: fix them in this file and import it again.
web-import-error-file = Download the error file
web-import-faulty = Rows with errors
web-import-faulty-cell = wrong
web-import-row = Row
web-import-problems = Problems
web-import-invite = Send the invitation e-mail to the users created
web-import-refresh-text = The page shows the progress by itself; without JavaScript, refresh it to see it.
web-import-refresh = Refresh
web-import-apply-valid = Import the valid rows
web-import-apply-valid-text = { $count ->
    [one] The row with errors will be left out: it will be in the error file, to fix and import again.
   *[other] The { $count } rows with errors will be left out: they will be in the error file, to fix and import again.
}
web-import-apply = Import
web-import-rows = What each row does
web-import-action = Action
web-import-action-create = create
web-import-action-update = update
web-import-action-unchanged = unchanged
web-import-action-invalid = error
web-import-truncated = Only the first rows are listed.
web-upload-expired = This preview's file is no longer kept (after an hour, once imported, or when you uploaded another since): upload it again.
web-account-title = My account
web-account-intro = Login: { $login }
web-account-profile = My profile
web-account-password = My password
web-account-current-password = Current password
web-account-new-password = New password
web-account-change-password = Change my password
web-strength-0 = Too short
web-strength-1 = Weak: longer is better
web-strength-2 = Good
web-strength-3 = Strong
web-2fa-must-enrol = Your organisation asks for two-factor sign-in for one of your roles. Choose one of the two ways below: a passkey (your phone's or computer's own unlock, nothing to type) or an authenticator app.
web-passkeys-continue = Go on to the application
web-2fa-title = Two-factor sign-in
web-2fa-on = Two-factor sign-in is on.
web-2fa-off = Two-factor sign-in is off.
web-2fa-manage = Manage two-factor sign-in
web-2fa-explain = At each sign-in, after your password, you will type a code from an authenticator app on your phone (for example FreeOTP, Aegis or Google Authenticator).
web-2fa-start = Turn on two-factor sign-in
web-2fa-scan = Scan this QR code with your authenticator app, then type the code it shows.
web-2fa-qr-label = QR code to scan with the authenticator app
web-2fa-secret = Or type this key in the app:
web-2fa-code = Code shown by the app
web-2fa-confirm = Confirm
web-2fa-codes-intro = Two-factor sign-in is on. Print or write down these recovery codes now: each one replaces a code from the app once, if you lose your phone. They will not be shown again.
web-2fa-codes-done = I have kept my codes
web-2fa-codes-left = Recovery codes left: { $count }.
web-2fa-regenerate = New recovery codes
web-2fa-disable = Turn off two-factor sign-in
web-done-signed-out = You are signed out.
web-done-password-changed = Your password is changed: sign in with the new one.
web-done-created = The user is created.
web-done-created-invited = The user is created and the invitation e-mail is on its way.
web-done-saved = Saved.
web-done-email-pending = Saved. The new address will be used once confirmed from the link sent to it.
web-done-invitation-sent = The invitation e-mail is on its way.
web-done-reset-sent = The password reset link is on its way.
web-done-sessions-ended = Every session of this user is ended.
web-done-two-factor-reset = Two-factor sign-in is reset: the person can enrol again.
web-done-passkeys-removed = This person's passkeys are removed; they are told by e-mail.
web-done-disabled = The account is disabled.
web-done-enabled = The account is enabled.
web-done-deleted = The user is deleted.
web-done-two-factor-off = Two-factor sign-in is off.

## Web pages: audit, e-mails, notifications, signature
web-nav-audit = Audit log
web-nav-emails = E-mails
web-yes = Yes
web-no = No
web-audit-title = Audit log
web-audit-intro = Every change: who made it, what, to whom, before → after, when and from where. Newest first.
web-audit-actor = Made by
web-audit-target = About
web-audit-person-hint = (login or e-mail address)
web-audit-kind = Kind of change
web-audit-since = From
web-audit-until = To (included)
audit-person-unknown = No one has the login or address “{ $value }”: check the spelling, or leave it empty.
audit-time-invalid = “{ $value }” is not a date: choose a day (YYYY-MM-DD) or, through the API, a time (RFC 3339).
audit-backwards = The end date is before the start date: swap them.
audit-action-unknown = This kind of change does not exist: choose one from the list.
web-audit-export-csv = Export these entries (CSV)
web-audit-export-xlsx = Export these entries (Excel)
web-audit-file-name = audit-log
web-audit-none = No entry matches these filters.
web-audit-newest = ← Newest
web-audit-older = Older →
web-audit-col-when = When
web-audit-col-who = Who
web-audit-col-what = What
web-audit-col-code = Code
web-audit-col-at = Timestamp (UTC, RFC 3339)
web-audit-col-whom = To whom
web-audit-col-change = Before → after
web-audit-col-before = Before
web-audit-col-after = After
web-audit-col-from = From
web-audit-from-cli = command line
web-audit-default = default setting
web-audit-kind-user = User accounts
web-audit-kind-users-import = Imports
web-audit-kind-role = Roles
web-audit-kind-group = Groups
web-audit-kind-app = Applications
web-audit-kind-auth = Sign-ins
web-audit-kind-mfa = Two-factor sign-in
web-audit-kind-token = Access tokens (API)
web-audit-kind-notifications = Notifications
web-audit-kind-signature = Signatures
web-audit-kind-outbox = E-mails
web-audit-kind-settings = Settings
web-audit-action-user-create = created the account
web-audit-action-user-update = changed the account
web-audit-action-user-delete = deleted the account
web-audit-action-user-disable = disabled the account
web-audit-action-user-enable = enabled the account
web-audit-action-user-activate = activated their account
web-audit-action-user-password-reset = reset their password
web-audit-action-user-invitation-sent = sent the invitation
web-audit-action-user-reset-link-sent = sent a password link
web-audit-action-user-email-confirmed = confirmed their new address
web-audit-action-mfa-enable = turned two-factor sign-in on
web-audit-action-mfa-disable = turned two-factor sign-in off
web-audit-action-mfa-reset = reset two-factor sign-in
web-audit-action-mfa-recovery-codes-replaced = replaced their recovery codes
web-audit-action-group-member-add = added to the group
web-audit-action-group-member-remove = removed from the group
web-audit-action-user-password-set = chose their password
web-audit-action-users-import = imported users
web-audit-action-role-create = created the role
web-audit-action-role-update = changed the role
web-audit-action-role-delete = deleted the role
web-audit-action-group-create = created the group
web-audit-action-group-update = changed the group
web-audit-action-group-delete = deleted the group
web-audit-action-auth-sign-in = signed in
web-audit-action-auth-sign-in-failed = failed to sign in
web-audit-action-auth-sign-out = signed out
web-audit-action-auth-sessions-ended = ended the sessions
web-audit-action-mfa-recovery-code-used = used a recovery code
web-audit-action-token-create = created an access token
web-audit-action-token-revoke = revoked an access token
web-audit-action-notifications-update = changed their notifications
web-audit-action-notifications-defaults-update = changed the default notifications
web-audit-action-notifications-alert-register = registered an alert type
web-audit-action-signature-update = changed their signature
web-audit-action-outbox-resend = sent an e-mail again
web-audit-action-settings-update = changed the settings
web-audit-action-organisation-create = created the organisation
web-audit-field-login = login
web-audit-field-email = e-mail address
web-audit-field-first-name = first name
web-audit-field-last-name = last name
web-audit-field-phone = phone
web-audit-field-language = language
web-audit-field-status = status
web-audit-field-roles = roles
web-audit-field-groups = groups
web-audit-field-name = name
web-audit-field-signature = signature
web-audit-field-state = state
web-audit-field-last-error = last error
web-audit-field-enabled = received
web-audit-field-address-line = address
web-audit-field-postal-code = postal code
web-audit-field-city = city
web-audit-field-kind = kind
web-audit-field-permissions = permissions
web-audit-field-description = description
web-emails-title = E-mails sent
web-emails-intro = The e-mails Sésame sends (invitations, password links, alerts) and where they are. What they said is not kept.
web-emails-none = No e-mail.
web-emails-limited = Addresses at the most e-mails allowed
web-emails-limited-intro = No more than { $limit ->
    [one] { $limit } e-mail sent
   *[other] { $limit } e-mails sent
  } one at a time (invitation, reset link, sent again) to one address in an hour; imports, which write to each person once, are not counted. These addresses reached it:
web-emails-limited-row = { $address }: { $count } sent within the hour; the next one can be sent { $at }.
web-email-all = All
web-email-state = State
web-email-state-queued = Waiting
web-email-state-sent = Sent
web-email-state-failed = Failed
web-email-recipient = Recipient
web-email-kind = Kind
web-email-attempts = Attempts
web-email-dates = Dates
web-email-actions = Actions
web-email-created = Created { $at }
web-email-sent-at = Sent { $at }
web-email-next-at = Next attempt { $at }
web-email-server-said = The mail server answered: { $answer }
web-email-reason-refused = The mail server refused this e-mail: the address may be wrong. Correct it, then send it again.
web-email-reason-unreachable = The mail server does not answer: Sésame tries again by itself. If it goes on, tell whoever hosts it.
web-email-reason-later = The mail server did not take this e-mail for now: Sésame tries again by itself.
web-email-reason-account = The person was deleted or their account disabled before it left: this e-mail will not go.
web-email-resend = Send again
web-email-resend-to = Send again the e-mail to { $recipient }
web-email-kind-invitation = Invitation
web-email-kind-password-reset = Password link
web-email-kind-password-changed = Password changed
web-email-kind-mfa-enabled = Two-factor turned on
web-email-kind-mfa-disabled = Two-factor turned off
web-email-kind-mfa-reset = Two-factor reset
web-email-kind-email-change = New address confirmation
web-email-kind-email-changed = Address changed
web-email-kind-member-joined = New member
web-email-kind-import-finished = Import finished
web-email-kind-security = Security alert
web-done-email-resent = The e-mail is on its way again.
web-tab-notifications = Notifications
web-tab-signature = Signature
web-alerts-title = My e-mail notifications
web-alerts-intro = Choose the alerts you receive by e-mail and, for some, from which groups.
web-alerts-manage = Choose my notifications
web-alerts-default = (the organisation’s default)
web-alerts-on = I receive it
web-alerts-off = I do not receive it
web-alerts-scope = From which groups?
web-alerts-all-groups = All groups
web-alerts-some-groups = Only these groups:
web-alerts-no-groups = The organisation has no groups yet.
web-alerts-none = No alert concerns you.
web-alert-groups-none = Tick at least one group for “{ $alert }”, or choose “All groups”.
web-alerts-col-alert = Alert
web-alerts-col-received = Received
web-alerts-col-groups = Groups
web-user-alerts-intro = The alerts this person receives by e-mail; only they can change them, from their account.
web-user-alerts-edit-intro = The alerts this person receives by e-mail. If you change them, they are told by e-mail and can still change them themselves from their account.
web-user-alerts-change = Change mine
web-signature-title = My e-mail signature
web-signature-intro = It closes the e-mails you have sent (invitations, for example). Plain text, or a little HTML: bold, italics, underline, paragraphs, links.
web-signature-manage = Edit my signature
web-signature-label = Signature
web-signature-hint = (at most { $max ->
    [one] { $max } character
   *[other] { $max } characters
  }; leave empty not to sign)
web-signature-preview = Preview
web-signature-preview-title = Preview at the bottom of an e-mail
web-signature-unsaved = Preview of what you typed: not saved yet.
web-signature-none = No signature: your e-mails end without one.
web-signature-sample = Hello, you are invited to join the organisation…
web-signature-as-text = As plain text
web-done-signature-saved = Your signature is saved.
web-user-signature-intro = The signature that closes the e-mails this person has sent:
web-user-signature-none = This person has no signature.
web-user-signature-change = Edit my signature
web-user-signature-edit-intro = The signature that closes the e-mails this person has sent. If you change it, they are told by e-mail and can still change it themselves from their account.
## Web pages: groups, roles, settings
web-nav-groups = Groups
web-nav-roles = Roles
web-nav-settings = Settings
web-not-a-number = Give a whole number, in digits.
web-groups-title = Groups
web-groups-intro = Groups bring people together: a facility, a room, a distribution place, a producer’s team… A role can be given across the organisation or within one group.
web-groups-none = No group yet.
web-groups-col-name = Name
web-groups-col-kind = Kind
web-groups-col-members = Members
web-groups-new = Create a group
web-group-name = Group name
web-group-kind = Kind
web-group-kind-hint = e.g. facility, room, distribution place (empty: “group”)
web-group-create = Create the group
web-group-edit = Rename or describe
web-group-members = Members
web-group-members-none = Nobody is a member of this group yet. A person is added to a group from their page, Roles tab.
web-group-members-all = { $count ->
    [0] See the users list
    [one] See the member in the users list
   *[other] See the { $count } members in the users list
  }
web-group-members-none-yet = Nobody is a member of this group yet: add people above.
web-group-member-add = Add a member
web-group-member-field = Person to add
web-group-member-hint = their login, e-mail address or name
web-group-col-roles-here = Roles in this group
web-group-col-actions = Actions
web-group-member-remove = Remove
web-group-member-remove-named = Remove { $login } from the group
web-group-member-remove-roles = Someone removed from the group loses the roles they held in it; their account stays.
web-member-missing = Enter the login, e-mail address or name of the person to add.
web-member-unknown = Nobody matches “{ $value }”: check the spelling, or look for the person in the users list.
web-member-ambiguous = { $count ->
    [one] { $count } person matches
   *[other] { $count } people match
  } “{ $value }” ({ $candidates }): enter the login of the one to add.
web-member-already = { $login } is already a member of this group.
web-done-member-added = The person is added to the group.
web-done-member-removed = The person is removed from the group.
web-group-delete = Delete the group
web-group-delete-text = { $count ->
    [0] The group has no members: it simply goes. This cannot be undone.
    [one] Its member leaves the group (their account stays) and loses the roles given within it. This cannot be undone.
   *[other] Its { $count } members leave the group (their accounts stay) and lose the roles given within it. This cannot be undone.
  }
web-group-delete-confirm = Yes, delete this group
web-roles-title = Roles
web-roles-intro = A role is a set of permissions. The preset roles come with your organisation; you can create your own.
web-roles-new = Create a custom role
web-roles-col-name = Role
web-roles-col-kind = Kind
web-roles-col-description = Description
web-roles-col-holders = People
web-roles-preset = preset
web-roles-custom = custom
web-roles-matrix = What each role may do
web-roles-col-permission = Permission
web-role-new-title = New custom role
web-role-name = Role name
web-role-description = Description
web-role-description-hint = One sentence saying who this role is for.
web-role-requires = May only be given to someone who also holds the role
web-role-requires-none = (no other role required)
web-role-permissions = Permissions of this role
web-role-cannot-grant = You do not hold this permission yourself: you cannot grant it.
web-role-create = Create the role
web-role-copy = Create a custom role from this one
web-role-preset-note = This role is a preset: it cannot be changed. For a different role, create a custom role from this one.
web-role-readonly-outranks = This role grants permissions you do not hold: you may read it but not change or delete it.
web-role-readonly-manage = You may read this role; changing it takes the “manage roles” permission.
web-role-holders = { $count ->
    [0] Nobody holds this role.
    [one] One person holds this role.
   *[other] { $count } people hold this role.
}
web-role-delete = Delete the role
web-role-delete-text = { $count ->
    [0] Nobody holds this role: it simply goes.
    [one] The person who holds this role loses it (their account stays). This cannot be undone.
   *[other] The { $count } people who hold this role lose it (their accounts stay). This cannot be undone.
}
web-role-delete-confirm = Yes, delete this role
web-role-holder-org-wide = in the whole organisation
web-role-holder-in-groups = in: { $groups }
web-role-holders-all = { $count ->
    [0] See the users list
    [one] See the person who holds this role in the users list
   *[other] See the { $count } people who hold this role in the users list
  }
web-perm-explain-users-view = See the list of people and their pages (name, e-mail, phone, roles).
web-perm-explain-users-create = Add people one by one.
web-perm-explain-users-edit = Change people’s profile, login and e-mail address.
web-perm-explain-users-disable = Disable and re-enable accounts, end their sessions, reset their two-factor sign-in.
web-perm-explain-users-delete = Delete an account for good (its personal data is erased).
web-perm-explain-users-import = Import a list of people from a spreadsheet (Excel, LibreOffice, CSV).
web-perm-explain-users-export = Download the list of people as a spreadsheet.
web-perm-explain-users-invite = Send the invitation e-mail, or a link to choose a new password.
web-perm-explain-roles-assign = Give roles to people and take them back (only roles whose every permission one holds).
web-perm-explain-roles-manage = Create, change and delete custom roles.
web-perm-explain-groups-manage = Create, rename and delete groups, and add people to them or remove them.
web-perm-explain-org-settings = Change the organisation’s settings: name, language, time zone, required fields, two-factor sign-in, sender, link lifetimes.
web-perm-explain-audit-read = Read the log of what was done, by whom and when.
web-perm-explain-email-signature = Have a signature added to the e-mails sent in one’s name.
web-perm-explain-apps-manage = Register the organisation’s applications (single sign-on with OpenID Connect), change them, renew their secret and delete them.
web-settings-title = Organisation settings
web-settings-org = Organisation
web-settings-name = Organisation name
web-settings-language = Default language
web-settings-language-hint = That of pages and e-mails when the person has not chosen one.
web-settings-country = Country
web-settings-country-hint = To read phone numbers written the country’s way (06 12 34 56 78, (514) 555-1234).
web-settings-time-zone = Time zone
web-settings-time-zone-hint = Dates on the pages, in e-mails and in exports are given in this zone’s time (an IANA name, such as Europe/Paris or America/Toronto).
web-country-FR = France
web-country-BE = Belgium
web-country-CH = Switzerland
web-country-LU = Luxembourg
web-country-MC = Monaco
web-country-CA = Canada
web-settings-required = Required fields
web-settings-required-hint = What every person’s record must hold, when added, edited and imported.
web-settings-always = (always required)
web-settings-two-factor = Two-factor sign-in
web-settings-two-factor-hint = People who hold one of these roles must turn on two-factor sign-in before using Sésame.
web-settings-mail = E-mails
web-settings-mail-from-name = Sender name
web-settings-mail-from-name-hint = Empty: the organisation’s name.
web-settings-mail-from-address = Sender address
web-settings-mail-from-address-hint = Empty: the address set on the server.
web-settings-links = Lifetime of the links sent
web-settings-invitation-ttl = Invitation link valid for, in hours
web-settings-invitation-ttl-hint = From 1 to 720 hours (168 hours = one week).
web-settings-reset-ttl = New-password link valid for, in minutes
web-settings-reset-ttl-hint = From 5 to 1440 minutes (60 minutes = one hour).
web-done-group-created = The group is created.
web-done-group-deleted = The group is deleted.
web-done-role-created = The role is created.
web-done-role-deleted = The role is deleted.

## Roles by place: the Add form and the Roles tab (issue 18, point 4)
web-scopes-held = Roles held
web-scopes-none = No role yet.
web-scopes-in = in { $group }
web-scopes-everywhere = the whole organisation
web-scopes-take-back = Take back
web-scopes-kept = You may not take this role back: it stays.
web-scopes-give = Give roles
web-scopes-give-hint = For each role, tick where it applies: in the whole organisation, or only in some groups (several at once if needed). Roles already held do not change.
web-scopes-give-hint-new = For each role, tick where it applies: in the whole organisation, or only in some groups (several at once if needed).
web-scopes-give-none = There is no other role you may give this person.
web-scopes-organisation = The whole organisation
web-scopes-groups-hint = Tick the groups this person is a member of. A role given in a group also makes them a member.
web-scopes-other-groups = Also a member of: { $groups }.
web-scopes-group-required = Tick at least one group, or give a role in one of them: you may add people only in your groups ({ $groups }).

## Single sign-on (OpenID Connect, issue 21)
oidc-org-unknown = No organisation matches this address. Check the application's link.
oidc-unavailable = The sign-in service is unavailable for a moment. Try again shortly.
oidc-client-missing = The application did not say who it is (client_id is missing). Tell its administrator.
oidc-client-unknown = This application is not registered in Sésame for this organisation (unknown client_id). Tell its administrator.
oidc-redirect-missing = The application did not say where to come back (redirect_uri is missing). Tell its administrator.
oidc-redirect-unregistered = The return address the application asked for is not registered in Sésame: to be safe, you are not sent there. Its administrator must add this return address to the application.
forward-rd-missing = The application did not say which page to open after sign-in. Open the application again from its usual address.
forward-rd-unregistered = The page to return to is not on the address of an application registered in Sésame: to be safe, you are not sent there. Its administrator must add this address (host) to the application.
forward-code-invalid = This sign-in link has expired or was already used. Open the application again: you will be let in.
web-oidc-consent-title = Allow “{ $app }”?
web-oidc-consent-intro = The application “{ $app }” asks to use your Sésame account. It will receive:
web-oidc-consent-person = You are signed in as
web-oidc-consent-withdraw = You can withdraw this permission at any time under “My account”.
web-oidc-consent-allow = Allow
web-oidc-consent-deny = Deny
web-oidc-scope-openid = your Sésame identifier (a number that never changes)
web-oidc-scope-profile = your login, your first and last names, your language
web-oidc-scope-email = your e-mail address
web-oidc-scope-phone = your phone number
web-oidc-scope-groups = the names of the groups you belong to
web-oidc-scope-roles = your roles (and the group you hold each in)
web-oidc-scope-offline-access = access that lasts when you are no longer signed in
web-oidc-no-access-title = Access not allowed
web-oidc-no-access-text = Your account does not give access to “{ $app }”: it is kept for the members of some groups. If you think you should have access, ask an administrator of your organisation.
web-oidc-no-access-back = Back to the application
web-oidc-home = Go to Sésame's home page
web-oidc-logout-title = Sign out
web-oidc-logout-ask = Do you want to sign out of Sésame and of the applications you entered with it?
web-oidc-logout-ask-app = The application “{ $app }” asks to sign you out. Do you want to sign out of Sésame and of the applications you entered with it?
web-oidc-logout-confirm = Sign me out
web-oidc-logout-stay = Stay signed in
web-oidc-logout-done = You are signed out of Sésame and of the applications you had entered with it.
web-oidc-logout-done-unregistered = You are signed out. The application asked to send you to an address that is not registered in Sésame: to be safe, you stay here.
web-oidc-logout-again = Sign in again
## Applications (OpenID Connect clients)
notfound-app = Application not found.
app-uri-invalid = { $field }: "{ $value }" is not a complete address: write it whole, starting with https://.
app-uri-fragment = { $field }: "{ $value }" must not contain a "#" part (a fragment).
app-uri-credentials = { $field }: "{ $value }" must not contain a user name or password.
app-uri-not-https = { $field }: "{ $value }" must start with https:// (http:// is accepted only on this machine: 127.0.0.1, [::1] or localhost).
app-uri-custom-confidential = { $field }: the scheme "{ $scheme }" of "{ $value }" is for public applications only (mobile or desktop apps); a confidential application uses an https:// address.
app-uri-custom-scheme = { $field }: "{ $scheme }" is not a usable scheme for "{ $value }": a mobile app's scheme is a reversed domain name with a dot, such as fr.amisgest.app:/callback.
app-redirect-required = { $field }: give at least one redirect address, where the application receives the person after sign-in (or, for an application behind forward authentication, its host).
app-group-unknown = { $field }: the organisation has no group "{ $value }".
app-lifetime-range = { $field }: { $value } is outside the accepted range: from { $min } to { $max } { $max ->
    [one] second
   *[other] seconds
  }.
app-alg-unknown = { $field }: "{ $value }" is not offered; choose among { $expected }.
app-host-invalid = { $field }: "{ $value }" is not a host name such as wiki.example.org (without https:// or path).
app-public-no-secret = A public application has no secret: there is nothing to renew.
field-name-client-id = Client identifier
field-name-redirect-uris = Redirect addresses
field-name-post-logout-uris = Addresses after sign-out
field-name-backchannel-logout-uri = Back-channel logout address
field-name-launch-url = Launch address
field-name-logo-url = Logo address
field-name-forward-auth-hosts = Hosts behind the reverse proxy
field-name-id-token-alg = ID token signature
field-name-access-token-lifetime-s = Access token lifetime (seconds)
field-name-refresh-token-lifetime-s = Refresh token lifetime (seconds)
field-name-public = Public application
field-name-trusted = Trusted application
web-account-apps = Allowed applications
web-account-apps-none = You have not allowed any application to use your account.
web-account-apps-name = Application
web-account-apps-since = Allowed on
web-account-apps-action = Action
web-account-apps-withdraw = Withdraw
web-account-apps-withdraw-named = Withdraw { $app }'s permission
web-done-app-withdrawn = Permission withdrawn: the application can no longer use your account and will ask again.

## Pages: applications and « Mes applications »
web-nav-apps = Applications
web-apps-title = Applications
web-apps-intro = The organisation's applications (website, cloud, mobile app…) that sign their users in with Sésame. Each receives who the person is, their groups and their roles.
web-apps-new = Register an application
web-apps-none = No application is registered yet.
web-apps-col-name = Application
web-apps-col-kind = Kind
web-apps-col-groups = Who may use it
web-apps-col-client-id = Client identifier (client_id)
web-app-public = Public (mobile or desktop app)
web-app-confidential = Confidential (with a secret)
web-app-groups-everyone = Every member
web-app-groups-nobody = Nobody: its groups were deleted (choose again who may use it)
web-app-name = Name
web-app-public-field = Public application
web-app-public-hint = A mobile, desktop or in-browser application, which cannot keep a secret: it gets none and must use PKCE.
web-app-trusted-field = Trusted application
web-app-trusted-hint = One of the organisation's own applications: people are not asked to consent.
web-app-redirect-hint = One address per line, exactly as the application sends it (https://…; http:// only on 127.0.0.1 or localhost; a mobile app's scheme such as fr.amisgest.app:/callback for a public application).
web-app-post-logout-hint = Optional. One address per line, where the application may send people after sign-out.
web-app-backchannel-hint = Optional. Sésame calls this address when a person signs out, so the application ends their session too.
web-app-launch-hint = Optional. Where the application's tile on the members' home page leads.
web-app-logo-hint = Optional. An image for the tile (https://…); without one, the name's initial.
web-app-groups = Who may use it
web-app-access-all = Every member of the organisation
web-app-access-groups = Only the members of these groups:
web-app-no-groups = The organisation has no group yet.
app-groups-none-ticked = { $field }: tick at least one group, or choose every member of the organisation.
web-app-advanced = Advanced settings
web-app-hosts-hint = Optional. For a site behind a reverse proxy (forward authentication): its host names, one per line, such as wiki.example.org.
web-app-alg-hint = RS256 suits every application; EdDSA only if it asks for it.
web-app-access-hint = In seconds, from 60 to 86400 (one day).
web-app-refresh-hint = In seconds, from 3600 (one hour) to 31536000 (one year).
web-app-secret-title = The client secret
web-app-secret-once = Copy it now into the application's settings: it will not be shown again. Only its fingerprint is kept.
web-app-client-secret = Client secret (client_secret)
web-app-edit = Settings
web-app-create = Register the application
web-app-rotate = Renew the secret
web-app-rotate-text = A new secret is made and shown once; the current one stops working at once, so the application must be given the new one.
web-app-delete = Delete the application
web-app-delete-text = People will no longer be able to sign in to it with Sésame, and the sessions it opened end.
web-app-delete-confirm = Yes, delete this application
web-done-app-created = The application is registered.
web-done-app-secret = The secret is renewed.
web-done-app-deleted = The application is deleted.
web-home-apps-title = My applications
web-2fa-codes-continue = I have kept my codes: go on to the application

## Grace period of required two-factor sign-in (issue 22)
field-name-two-factor-grace-days = Time to turn on two-factor sign-in
field-name-days = Number of days
field-name-two-factor = Two-factor sign-in
mfa-grace-days-range = The time to turn on two-factor sign-in must be a whole number of days, between zero (none) and { $max }.
mfa-grace-not-required = None of this person's roles requires two-factor sign-in: there is no deadline to extend.
mfa-grace-until-range = Choose a date to come, at most { $max } { $max ->
    [one] day
   *[other] days
} from today.
mfa-grace-days-or-until = Give either a number of days (1 to 365) or a date.
date-invalid = "{ $value }" is not a date: write it YYYY-MM-DD, for example 2026-12-31.
two-factor-filter-unknown = Unknown two-factor filter "{ $value }": choose among { $expected }.
mail-mfa-grace-started-subject = { $org }: turn on two-factor sign-in within { $days } { $days ->
    [one] day
   *[other] days
}
mail-mfa-grace-started-intro = Your organisation { $org } now requires two-factor sign-in for one of the roles of your account { $login }. You can still sign in with your password alone until { $date } ({ $days } { $days ->
    [one] day
   *[other] days
}); after that, signing in will first lead you to turn it on.
mail-mfa-grace-soon-subject = { $org }: { $days } { $days ->
    [one] day
   *[other] days
} left to turn on two-factor sign-in
mail-mfa-grace-soon-intro = You have { $days } { $days ->
    [one] day
   *[other] days
} left, until { $date }, to turn on two-factor sign-in for your account { $login } in { $org }.
mail-mfa-grace-last-day-subject = { $org }: last day to turn on two-factor sign-in
mail-mfa-grace-last-day-intro = This is the last day: after { $date }, your account { $login } in { $org } will open only once two-factor sign-in is on.
mail-mfa-grace-how = All it takes is an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or FreeOTP): sign in, then follow the steps under My account → Two-factor sign-in. It takes two minutes.
mail-mfa-grace-action = Turn on two-factor sign-in
mail-mfa-grace-why = You receive this message because a role of your account requires two-factor sign-in; it stops as soon as it is on.
web-grace-banner = Your organisation requires two-factor sign-in for one of your roles. You have { $days } { $days ->
    [one] day
   *[other] days
} left to turn it on (until { $date }); after that, signing in will ask for it.
web-grace-banner-label = Two-factor sign-in to turn on
web-settings-grace-days = Time to turn it on, in days
web-settings-grace-days-hint = From 0 to 365 days: during this time, someone given one of these roles signs in as before and receives reminders. 0: they must turn it on at their next sign-in.
web-users-col-two-factor = Two-factor sign-in
web-users-two-factor = Two-factor sign-in
web-users-two-factor-without = Without two-factor sign-in
web-users-two-factor-with = With two-factor sign-in
web-2fa-state-enabled = On
web-2fa-state-not-required = Off
web-2fa-state-grace = Required, to turn on before { $date }
web-2fa-state-required = Required, deadline passed: to turn on at the next sign-in
web-access-extend-2fa = Extend the two-factor deadline
web-access-extend-2fa-text = Give this person more time to turn on two-factor sign-in: a number of days more, or a date.
web-access-extend-2fa-days = Days more
web-access-extend-2fa-until = Or until
web-access-extend-2fa-submit = Extend the deadline
web-done-two-factor-extended = The deadline is extended.
web-email-kind-mfa-grace-started = Two-factor sign-in to turn on
web-email-kind-mfa-grace-soon = Reminder: two-factor sign-in
web-email-kind-mfa-grace-last-day = Last day: two-factor sign-in
web-audit-action-mfa-grace-extend = extended the two-factor deadline
cli-two-factor-extended = { $login } has until { $date } to turn on two-factor sign-in.
## Invitations followed to the end (issue 23)
field-name-invitation-reminder-days = Invitation reminders
field-name-ids = People chosen
field-name-select = People to remind
invitation-state-unknown = Unknown invitation state "{ $value }": choose among { $expected }.
invitation-select-unknown = "{ $value }" does not name a group of people to remind: choose among { $expected }.
invitation-ids-or-select = Give either the people to remind (ids) or a group (select: all, expired, failed or not_sent), not both.
invitation-not-pending = "{ $value }" names nobody invited and not yet active (already active, disabled, or unknown): reload the list of invitations.
invitation-recipient-busy = The address { $address } already received { $limit } { $limit ->
    [one] e-mail
   *[other] e-mails
} sent one at a time within the hour: try again later.
invitation-reminders-too-many = At most { $max } { $max ->
    [one] reminder
   *[other] reminders
} per invitation.
invitation-reminder-day-range = "{ $value }" is not a reminder day: give whole numbers of days after the invitation, from 1 to { $max }, separated by commas (for example 3, 7), or leave it empty for no reminders.
invitation-reminder-day-twice = Day { $value } appears twice in the reminders: each day once.
web-invitations-none-ticked = Tick at least one person, or choose "Remind everyone".
mail-invitation-reminder-subject = Reminder: your { $org } account is still waiting for you
mail-invitation-reminder-intro = You were invited to join { $org } { $days } { $days ->
    [one] day
   *[other] days
} ago, but your account is not activated yet. Here is a new link to choose your password (the previous one no longer works).
mail-invitation-reminder-intro-by = { $actor } invited you to join { $org } { $days } { $days ->
    [one] day
   *[other] days
} ago, but your account is not activated yet. Here is a new link to choose your password (the previous one no longer works).
mail-invitation-reminder-why = You receive this reminder because an account is waiting for you in { $org }; reminders stop as soon as your account is activated. If you do not want an account, ignore this message.
web-email-reason-activated = The person activated their account before this reminder left: it will not go, as intended.
web-email-kind-invitation-reminder = Invitation reminder
web-settings-reminder-days = Invitation reminders, in days after the invitation
web-settings-reminder-days-hint = For example "3, 7": a reminder with a new link after 3 days, then after 7, to whoever has not activated their account yet; then nothing more. Leave empty to never remind.
web-users-invitations = Invitations: { $pending } waiting, { $expired } expired, { $failed } not delivered — follow the invitations
web-access-invitation = Invitation: { $state }.
web-access-all-invitations = All invitations
web-invitations-title = Invitations
web-invitations-intro = The people invited who have not activated their account yet: when and by whom they were invited, until when their link works, and what became of the last e-mail. A new invitation carries a new link; the previous one stops working.
web-invitations-reminders-on = Automatic reminders, in days after the invitation: { $list }.
web-invitations-reminders-off = Automatic reminders: off.
web-invitations-change-setting = Change
web-invitations-state = Invitation state
web-invitation-state-pending = Waiting
web-invitation-state-expired = Link expired
web-invitation-state-failed = Not delivered
web-invitation-state-not-sent = Never sent
web-invitations-col-pick = Choose
web-invitations-col-person = Person
web-invitations-col-state = State
web-invitations-col-invited = Invited
web-invitations-col-link = Link
web-invitations-col-reminders = Reminders
web-invitations-col-email = Last e-mail
web-invitations-pick = Choose { $name }
web-invitation-never-sent = No invitation sent
web-invitation-invited-by = On { $date }, by { $name }
web-invitation-invited-at = On { $date }
web-invitation-expires-on = Works until { $date }
web-invitation-expired-on = Expired on { $date }
web-invitation-reminders-sent = { $count ->
    [0] No reminder sent.
    [one] One reminder sent.
   *[other] { $count } reminders sent.
}
web-invitation-next-reminder = Next on { $date }.
web-invitation-delivery-sent = Delivered on { $date }
web-invitation-delivery-retrying = The mail server has not accepted it yet: next try on { $date }
web-invitation-delivery-failed = Refused by the mail server: the address may be wrong. Correct it, then send the invitation again.
web-invitation-delivery-queued = Being sent
web-invitations-none = Everyone has activated their account: no invitation waiting.
web-invitations-resend-ticked = Send again to the people ticked
web-invitations-renew-expired = { $count ->
    [one] Renew the expired link
   *[other] Renew the { $count } expired links
}
web-invitations-resend-all = Remind everyone ({ $count })
web-invitations-resend-hint = Each person receives a new link in their language; the old one stops working. An address that already received 5 e-mails within the hour is left out.
web-invitations-first = ← Start of the list
web-invitations-sent = { $count ->
    [0] No invitation sent.
    [one] One invitation sent.
   *[other] { $count } invitations sent.
}
web-invitations-skipped = { $count ->
    [one] One person did not receive a new invitation:
   *[other] { $count } people did not receive a new invitation:
}
cli-invitations-none = No invitation waiting.
cli-invitations-sent = { $count ->
    [0] No invitation sent.
    [one] One invitation sent.
   *[other] { $count } invitations sent.
}
cli-invitations-skipped = { $login }: no new invitation ({ $reason })
# Passkeys (issue 22)
notfound-passkey = Passkey not found (already removed?).
passkey-unavailable = Passkeys need the server to be reached by a domain name (not an IP address): ask your technical team to start it with --public-url (for example https://comptes.example.org).
passkey-ceremony = This passkey request has expired (after 5 minutes) or was already used: start again.
passkey-user-not-verified = Your device did not check that it is you (fingerprint, face or PIN): turn on the screen lock of the device and try again, or sign in with your password.
passkey-counter = This passkey was refused: its signature counter went backwards, so the device may have been copied. Sign in with your password and remove this passkey from My account; the attempt was recorded.
passkey-wrong-site = This passkey answer was made for another address than this server's: open Sésame at its usual address and try again.
passkey-refused = The passkey's answer could not be checked: try again, or use another passkey or your password.
passkey-malformed = The browser's answer is not a passkey credential (PublicKeyCredential.toJSON()): try again with an up-to-date browser.
passkey-name-empty = Give the passkey a name (for example "Phone").
passkey-name-control = The name may not contain line breaks or control characters.
passkey-already-registered = This device already holds a passkey for this site: use it to sign in, or remove the old one from My account first.
passkey-required-by-role = Your organisation requires two-factor sign-in for one of your roles and this is your last second factor: add another passkey or an authenticator app before removing it.
passkey-none = This person has no passkey.
passkey-unknown = This passkey is not registered here (it may have been removed): sign in with your login and password, then add it again under My account.
passkey-none-for-sign-in = You have no passkey: enter the code from your authenticator app instead.
mail-passkey-added-subject = A passkey was added to your { $org } account
mail-passkey-added-intro = The passkey « { $device } » was just added to your account { $login } in { $org }: it now signs you in with this device's unlock (fingerprint, face or PIN).
mail-passkey-removed-subject = A passkey was removed from your { $org } account
mail-passkey-removed-intro = The passkey « { $device } » was just removed from your account { $login } in { $org }: it no longer signs you in.
mail-passkey-removed-intro-by = { $actor } removed the passkeys of your account { $login } in { $org }: they no longer sign you in. You can add new ones from your account.
web-audit-action-passkey-add = added a passkey
web-audit-action-passkey-rename = renamed a passkey
web-audit-action-passkey-remove = removed a passkey
web-audit-action-passkey-reset = removed someone's passkeys
web-audit-action-passkey-counter-regressed = used a passkey whose counter went backwards (refused)
web-email-kind-passkey-added = Passkey added
web-email-kind-passkey-removed = Passkey removed
web-passkeys-title = Passkeys
web-passkeys-intro = A passkey signs you in with this device's own unlock (fingerprint, face or PIN), with nothing to type. It also counts as two-factor sign-in.
web-passkeys-count = { $count ->
    [0] No passkey yet.
    [one] One passkey.
   *[other] { $count } passkeys.
}
web-passkeys-manage = Manage my passkeys
web-passkeys-list = My passkeys
web-passkeys-none = You have no passkey yet.
web-passkeys-back = Back to two-factor sign-in
web-passkey-add-title = Add a passkey
web-passkey-add = Add a passkey
web-passkey-name = Name
web-passkey-name-hint = optional: by default, the device's (for example "Chrome · Android")
web-passkey-new-name = New name
web-passkey-rename = Rename
web-passkey-remove = Remove
web-passkey-remove-named = Remove the passkey { $name }
web-passkey-added = Added { $when }.
web-passkey-used = Last used { $when }.
web-passkey-never-used = Not used to sign in yet.
web-passkey-needs-script = Adding a passkey needs JavaScript: turn it on for this site, or use an authenticator app.
web-passkey-sign-in = Sign in with a passkey
web-passkey-waiting-create = Follow your browser's instructions: unlock the device (fingerprint, face or PIN) to create the passkey.
web-passkey-waiting-get = Follow your browser's instructions: choose your passkey and unlock the device.
web-passkey-error-registered = This device already holds a passkey for your account: nothing to add. Use it to sign in, or remove the old one below first.
web-passkey-error-refused = The passkey was not created: it was cancelled, took too long, or the device could not check it is you. Try again and unlock the device when asked (fingerprint, face or PIN).
web-passkey-error-refused-get = No passkey was used: it was cancelled, took too long, or the device could not check it is you. Try again and unlock the device when asked, or use your password.
web-passkey-error-security = The browser refused passkeys on this address: open Sésame at its usual address (https://…), not an IP address.
web-passkey-error-failed = The passkey did not work: try again, or use your password.
web-passkey-error-unsupported = This browser cannot use passkeys: update it, or use another browser or an authenticator app.
web-code-passkey-intro = Or use one of your passkeys.
web-code-passkey = Use a passkey
web-done-passkey-added = The passkey was added: you can now sign in with it.
web-done-passkey-renamed = The passkey was renamed.
web-done-passkey-removed = The passkey was removed: it no longer signs you in.

## Moving in from WordPress (issue 23)
field-name-password-hash = Password hash
password-hash-unknown = This password hash is not of a known kind: expected WordPress's ("$P$…", "$wp$2y$…") or bcrypt ("$2y$…", "$2b$…"), as the export gives it, or an empty cell.
password-hash-too-costly = This password hash is too costly to verify (cost above { $max }): leave the cell empty and the person will be invited to choose their password.
permission-administrators-only = Only an administrator (who holds every permission across the organisation) may do this; you lack: { $permission }.
cli-role-map-file = Cannot read the role mapping file { $path }: { $error }
import-role-map-line = Role mapping, line { $line }: expected "file's role = Sésame role" (nothing after "=" for no role).
import-role-map-invalid = The role mapping must be a JSON object whose every value is a role's name or null, for example {"{"}"subscriber": "Amapien", "editor": null{"}"}.
import-role-map-unknown = Role mapping: "{ $source }" would give the role "{ $value }", which does not exist. Possible roles: { $expected }.
web-import-role-map = Role mapping
web-import-role-map-hint = Each role of the file (WordPress, Amapress) gives the role chosen here to the people created; "No role" gives none. People already here keep their roles.
web-import-role-source = Role in the file
web-import-role-target = Role in Sésame
web-import-role-none = No role
web-import-role-proposed = (proposed)
web-import-password-hashes = { $count ->
    [one] One person comes with their WordPress password: they will be active without an invitation, and sign in with the password they know.
   *[other] { $count } people come with their WordPress password: they will be active without an invitation, and sign in with the password they know.
}
