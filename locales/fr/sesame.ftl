# Sésame — messages en français.
# Chaque identifiant est le code stable d'une erreur ou d'un texte (`email.invalid` → `email-invalid`).
# Le test `both_languages_define_the_same_messages` vérifie que fr et en définissent les mêmes.

## Valeurs refusées

email-empty = L'adresse e-mail est vide : indiquez une adresse comme prenom.nom@exemple.fr.
email-too-long = L'adresse e-mail est trop longue (au plus { $max } caractères).
email-no-at = L'adresse e-mail doit contenir un « @ », comme prenom.nom@exemple.fr.
email-no-domain = L'adresse e-mail n'a pas de domaine après le « @ » (par exemple @exemple.fr).
email-bad-domain = Le domaine « { $domain } » de l'adresse e-mail n'est pas valide : il faut un nom comme exemple.fr.
email-invalid = L'adresse e-mail n'est pas valide : avant le « @ », seuls les lettres sans accent, chiffres et . _ - + sont acceptés.
email-taken = L'adresse e-mail { $value } est déjà utilisée par un autre compte.
login-empty = L'identifiant est vide.
login-invalid-chars = L'identifiant ne peut contenir que des lettres minuscules sans accent, des chiffres et . - _ (refusé : { $chars }).
login-too-long = L'identifiant est trop long (au plus { $max } caractères).
login-bad-start = L'identifiant doit commencer par une lettre ou un chiffre.
login-taken = L'identifiant { $value } est déjà pris.
name-empty = Le nom est vide.
name-too-long = Le nom est trop long (au plus { $max } caractères).
name-invalid-chars = Le nom contient des caractères non permis (< > @ = ; \ {"{"} {"}"} ou caractères de contrôle).
name-no-letter = Le nom doit contenir au moins une lettre.
name-taken = Le nom « { $value } » est déjà utilisé.
phone-empty = Le numéro de téléphone est vide.
phone-invalid = Le numéro de téléphone n'est pas valide pour le pays { $country } : indiquez par exemple 06 12 34 56 78, (514) 555-1234 ou +33 6 12 34 56 78.
country-unknown = Le pays « { $value } » est inconnu : indiquez un code à deux lettres comme FR ou CA.
language-unknown = Langue inconnue : choisissez parmi { $expected }.
profile-unknown = Profil inconnu : choisissez parmi { $expected }.
status-unknown = Statut inconnu : choisissez parmi { $expected }.
field-unknown = Champ inconnu : choisissez parmi { $expected }.
field-required = Ce champ est obligatoire pour votre organisation.
permission-unknown = Permission « { $value } » inconnue ; les permissions sont : { $expected }.
label-empty = Le nom est vide.
label-too-long = Le nom est trop long (au plus { $max } caractères).
label-invalid-chars = Le nom contient des caractères de contrôle.
text-too-long = Le texte est trop long (au plus { $max } caractères).
text-invalid-chars = Le texte contient des caractères de contrôle.
slug-invalid = Le nom court doit faire 2 à 40 caractères : lettres minuscules sans accent, chiffres et tirets.
slug-taken = Une organisation porte déjà le nom court « { $value } ».
limit-range = La valeur doit être comprise entre { $min } et { $max }.
password-too-short = Le mot de passe est trop court : au moins { $min } caractères.
password-too-long = Le mot de passe est trop long : au plus { $max } caractères.
password-personal = Le mot de passe contient « { $part } », tiré de votre identifiant, de votre nom, de votre adresse ou de celui de l'organisation : choisissez-en un qui ne vous désigne pas.
password-guessable = Ce mot de passe est trop facile à deviner (mot courant, suite de clavier, date…) : une phrase de plusieurs mots sans lien entre eux est plus sûre et plus facile à retenir.
value-taken = Cette valeur est déjà utilisée.
role-unknown = Le rôle « { $value } » n'existe pas. Rôles possibles : { $expected }.
group-unknown = Le groupe « { $value } » n'existe pas. Groupes possibles : { $expected }.
org-ambiguous = Plusieurs organisations existent : précisez laquelle avec --org (parmi { $slugs }).

## Règles de l'organisation

role-requires = Le rôle « { $role } » ne peut être donné qu'à une personne qui a aussi le rôle « { $required } ».
role-requires-itself = Un rôle ne peut pas exiger d'être détenu avec lui-même.
user-last-admin = C'est le dernier administrateur actif : nommez-en un autre avant de le retirer, le désactiver ou le supprimer.
user-self-disable = Vous ne pouvez pas désactiver votre propre compte.
user-self-delete = Vous ne pouvez pas supprimer votre propre compte.
token-user-inactive = Ce compte n'est pas actif : il ne peut pas recevoir de jeton d'API.

## Droits

permission-missing = Vous n'avez pas la permission nécessaire : { $permission }.
permission-target-outranks = Cette personne a des droits que vous n'avez pas ({ $permission }) : vous ne pouvez pas agir sur son compte.
permission-role-outranks = Ce rôle donne des droits que vous n'avez pas ({ $permission }) : vous ne pouvez pas l'attribuer ni le retirer.
permission-token-outranks = Un jeton ne peut pas porter de droits que vous n'avez pas ({ $permission }).
perm-users-view = voir les utilisateurs
perm-users-create = créer des utilisateurs
perm-users-edit = modifier des utilisateurs
perm-users-disable = désactiver des utilisateurs
perm-users-delete = supprimer des utilisateurs
perm-users-import = importer
perm-users-export = exporter
perm-users-invite = inviter
perm-roles-assign = attribuer des rôles
perm-roles-manage = gérer les rôles
perm-groups-manage = gérer les groupes
perm-org-settings = réglages de l'organisation
perm-audit-read = lire le journal
perm-email-signature = signature courriel

## Connexion

auth-required = Connectez-vous : il faut un jeton (en-tête Authorization: Bearer …).
auth-failed = Identifiant ou mot de passe incorrect.
auth-disabled = Ce compte est désactivé.
auth-token-invalid = Jeton inconnu, expiré ou révoqué : reconnectez-vous.
auth-session-expired = Votre session a expiré faute d'activité : reconnectez-vous.
auth-other-organisation = Cette session appartient à une autre organisation : connectez-vous à celle-ci.
auth-cross-site = Requête refusée : elle vient d'un autre site que Sésame.
auth-mfa-enrolment-required = Votre organisation exige la double authentification pour l'un de vos rôles : activez-la d'abord (Mon compte → Double authentification).
auth-throttled = Trop de tentatives de connexion échouées : réessayez dans { $seconds } secondes.
password-incorrect = Mot de passe incorrect.
mfa-code-required = Saisissez le code à 6 chiffres de votre application d'authentification (ou un code de secours).
mfa-code-invalid = Code de double authentification incorrect : saisissez le code affiché en ce moment par votre application, ou un code de secours encore inutilisé.
mfa-code-reused = Ce code a déjà servi : attendez le suivant dans votre application (30 secondes au plus).
mfa-code-malformed = Le code doit comporter 6 chiffres (ou, pour un code de secours, 12 caractères comme « abcd-efgh-jkmn »).
mfa-already-enabled = La double authentification est déjà activée : désactivez-la d'abord pour changer d'application.
mfa-not-started = Commencez par demander un nouveau secret (POST /api/v1/account/mfa/totp), puis confirmez avec un code.
mfa-not-enabled = La double authentification n'est pas activée pour ce compte.
mfa-required-by-role = Votre organisation exige la double authentification pour l'un de vos rôles : elle ne peut pas être désactivée.
setup-invalid = Ce lien d'installation n'est pas valide ou a déjà servi. Relancez « sesame serve » pour en obtenir un nouveau.

## Requêtes HTTP

request-json-syntax = Le corps de la requête n'est pas du JSON valide ({ $detail }).
request-json-type = Le champ « { $field } » n'a pas le bon type ({ $detail }).
request-unknown-field = Le champ « { $field } » n'est pas reconnu ; champs attendus : { $expected }.
request-missing-field = Le champ « { $field } » est obligatoire.
request-too-large = Le corps de la requête est trop gros (au plus { $max } octets).
request-content-type = Le corps doit être du JSON (Content-Type: application/json).
request-not-utf8 = Le corps de la requête n'est pas en UTF-8.
request-bad-query = Paramètres d'URL invalides ({ $detail }).
notfound-user = Utilisateur introuvable.
notfound-group = Groupe introuvable.
notfound-role = Rôle introuvable.
notfound-organisation = Organisation introuvable.
notfound-token = Jeton introuvable.
notfound-session = Session introuvable (déjà terminée ?).
notfound-route = Cette adresse n'existe pas dans l'API.
method-not-allowed = Cette méthode n'est pas permise à cette adresse.
server-busy = Le serveur est très sollicité : réessayez dans quelques secondes.
server-internal = Erreur interne du serveur. Rien n'a été enregistré ; l'incident est consigné dans le journal du serveur.

## Titres des problèmes (RFC 9457)

problem-invalid = Données invalides
problem-conflict = Valeur déjà utilisée
problem-refused = Modification refusée
problem-denied = Accès refusé
problem-unauthenticated = Connexion requise
problem-mfa-required = Double authentification requise
problem-mfa-enrolment-required = Activation de la double authentification requise
problem-throttled = Trop de tentatives
problem-not-found = Introuvable
problem-bad-request = Requête incorrecte
problem-busy = Serveur occupé
problem-internal = Erreur interne
problem-link-spent = Lien périmé
problem-link-invalid = Lien non valide

## Ligne de commande

cli-error = Erreur
cli-init-done = Organisation « { $org } » ({ $slug }) créée, profil { $profile } ; administrateur { $login }.
cli-init-no-password = Sans mot de passe, l'administrateur est « invité » : donnez-lui-en un avec « sesame user passwd { $login } --password-file FICHIER ».
cli-setup-link = Première installation : ouvrez ce lien (valable une fois) pour créer le premier administrateur :
cli-setup-api = ou envoyez ce jeton à POST /api/v1/setup :
cli-listening = Sésame écoute sur http://{ $addr } (base { $db }).
cli-user-created = Utilisateur { $login } créé.
cli-user-disabled = Utilisateur { $login } désactivé.
cli-user-enabled = Utilisateur { $login } réactivé.
cli-password-set = Mot de passe de { $login } enregistré ; ses sessions sont fermées.
cli-two-factor-reset = Double authentification de { $login } retirée : cette personne se connecte avec son mot de passe et peut la réactiver.
cli-group-created = Groupe « { $name } » créé.
cli-member-added = { $login } ajouté au groupe « { $group } ».
cli-member-removed = { $login } retiré du groupe « { $group } ».
cli-token-created = Jeton d'API « { $name } » créé pour { $login }. Copiez-le maintenant, il ne sera plus affiché :
cli-no-users = Aucun utilisateur.
cli-password-file = Impossible de lire le fichier de mot de passe { $path } : { $error }

## Page d'installation

page-setup-title = Créer le premier administrateur
page-setup-intro = Ce lien ne sert qu'une fois. Indiquez qui administrera Sésame pour votre organisation.
page-setup-organisation = Nom de l'organisation
page-setup-first-name = Prénom
page-setup-last-name = Nom
page-setup-email = Adresse e-mail
page-setup-login = Identifiant
page-setup-login-hint = (facultatif : proposé à partir du prénom et du nom)
page-setup-password = Mot de passe
page-setup-password-hint = (au moins 12 caractères ; une phrase de plusieurs mots convient bien)
page-setup-submit = Créer l'administrateur
page-setup-done = L'administrateur { $login } est créé. Connectez-vous avec POST /api/v1/auth/login ; les pages d'administration arrivent dans une prochaine version.

## E-mails (issue 4)
mail-greeting = Bonjour { $name },
mail-closing = L'équipe { $org }
mail-ignore = Si vous n'attendiez pas ce message, ignorez-le : rien ne changera sans vous.
mail-not-you = Si ce n'est pas vous, prévenez au plus vite un administrateur de { $org }.
mail-link-expiry = Ce lien ne sert qu'une fois et reste valable { $duration } (jusqu'au { $date }). S'il a expiré, la page qu'il ouvre vous propose d'en recevoir un nouveau.
mail-invitation-subject = Votre compte { $org } vous attend
mail-invitation-intro = Un compte a été créé pour vous dans { $org }. Pour l'activer, choisissez votre mot de passe.
mail-invitation-intro-by = { $actor } vous invite à rejoindre { $org }. Pour activer votre compte, choisissez votre mot de passe.
mail-invitation-login = Votre identifiant : { $login }
mail-invitation-action = Choisir mon mot de passe
mail-password-reset-subject = Nouveau mot de passe pour votre compte { $org }
mail-password-reset-intro = Un nouveau mot de passe a été demandé pour votre compte { $login } dans { $org }.
mail-password-reset-intro-by = { $actor } vous envoie un lien pour choisir un nouveau mot de passe pour votre compte { $login } dans { $org }.
mail-password-reset-action = Choisir un nouveau mot de passe
mail-password-changed-subject = Votre mot de passe { $org } a été changé
mail-password-changed-intro = Le mot de passe de votre compte { $login } dans { $org } vient d'être changé. Les sessions ouvertes avec l'ancien ont été fermées.
mail-mfa-enabled-subject = Double authentification activée sur votre compte { $org }
mail-mfa-enabled-intro = La double authentification vient d'être activée sur votre compte { $login } dans { $org } : chaque connexion demandera désormais un code de votre application.
mail-mfa-disabled-subject = Double authentification désactivée sur votre compte { $org }
mail-mfa-disabled-intro = La double authentification vient d'être désactivée sur votre compte { $login } dans { $org } : le mot de passe suffit désormais pour se connecter.
mail-mfa-reset-subject = Double authentification réinitialisée sur votre compte { $org }
mail-mfa-reset-intro = La double authentification de votre compte { $login } dans { $org } a été réinitialisée par l'équipe technique : vous pourrez la réactiver depuis votre compte.
mail-mfa-reset-intro-by = { $actor } a réinitialisé la double authentification de votre compte { $login } dans { $org } : vous pourrez la réactiver depuis votre compte.
mail-email-change-subject = Confirmez votre nouvelle adresse e-mail pour { $org }
mail-email-change-intro = Pour que { $new_email } devienne l'adresse de votre compte { $login } dans { $org }, confirmez-la avec ce lien. D'ici là, l'ancienne adresse reste en place.
mail-email-change-action = Confirmer cette adresse
mail-email-changed-subject = Changement d'adresse e-mail de votre compte { $org }
mail-email-changed-intro = L'adresse de votre compte { $login } dans { $org } va être remplacée par { $new_email }, dès qu'elle aura été confirmée depuis cette nouvelle adresse.
mail-member-joined-subject = { $member } a rejoint { $org }
mail-member-joined-intro = { $member } vient d'activer son compte dans { $org }.
mail-member-joined-why = Vous recevez cette alerte parce qu'elle est cochée dans vos préférences de notification ; vous pouvez la décocher depuis votre compte.
link-invalid = Ce lien n'est pas valide : vérifiez qu'il a été copié en entier depuis le message reçu.
link-wrong-kind = Ce lien ne sert pas à cela : utilisez-le depuis le message qui l'a apporté.
link-expired = Ce lien a expiré. Vous pouvez demander qu'un nouveau lien vous soit envoyé.
link-used = Ce lien a déjà servi. Vous pouvez demander qu'un nouveau lien vous soit envoyé.
link-replaced = Un lien plus récent a été envoyé depuis : utilisez le dernier message reçu, ou demandez un nouveau lien.
invitation-disabled = Ce compte est désactivé : réactivez-le avant d'envoyer une invitation.
invitation-no-email = Ce compte n'a pas d'adresse e-mail : ajoutez-en une avant d'envoyer une invitation.
access-reset-requested = Si un compte utilise cette adresse, un lien pour choisir un nouveau mot de passe vient d'y être envoyé. Pensez à regarder dans les indésirables.
access-link-renewed = Un nouveau lien vient d'être envoyé à l'adresse e-mail du compte, s'il peut encore en recevoir un.
outbox-state = L'état doit être « queued », « sent » ou « failed ».
notfound-message = Message introuvable dans la file d'envoi.
page-link-password-hint = (au moins 8 caractères, 12 pour un administrateur ; une phrase de plusieurs mots convient bien)
page-activate-title = Activer votre compte
page-activate-intro = Choisissez le mot de passe de votre compte { $login } dans { $org }.
page-activate-submit = Activer mon compte
page-activate-done = Votre compte { $login } est actif et vous êtes connecté·e.
page-reset-title = Choisir un nouveau mot de passe
page-reset-intro = Choisissez le nouveau mot de passe de votre compte { $login } dans { $org }. Les sessions ouvertes seront fermées.
page-reset-submit = Enregistrer le mot de passe
page-reset-done = Votre mot de passe est changé. Connectez-vous avec le nouveau.
page-email-title = Confirmer votre adresse e-mail
page-email-intro = Confirmez que { $new_email } devient l'adresse de votre compte { $login } dans { $org }.
page-email-submit = Confirmer cette adresse
page-email-done = L'adresse { $email } est désormais celle du compte { $login }.
page-renew-title = Nouveau lien
page-renew-submit = M'envoyer un nouveau lien
page-forgot-title = Mot de passe oublié
page-forgot-intro = Indiquez l'adresse e-mail de votre compte : vous y recevrez un lien pour choisir un nouveau mot de passe.
page-forgot-submit = Recevoir un lien
cli-mail = E-mails : { $mail }
cli-invitation-queued = Invitation de { $login } mise en file d'envoi : « sesame serve » la distribue (voir GET /api/v1/outbox).
cli-reset-queued = { $login } est déjà actif : un lien pour choisir un nouveau mot de passe est mis en file d'envoi (« sesame serve » le distribue).
## Notifications and signatures

alert-member-joined = Un nouveau membre a rejoint l'organisation
alert-import-finished = Un import de membres est terminé
alert-security = Avis de sécurité pour les administrateurs
alert-unknown = L'alerte « { $value } » n'existe pas. Alertes possibles : { $expected }.
alert-key-invalid = La clé d'alerte « { $value } » n'est pas valide : de 1 à 64 caractères parmi les lettres minuscules sans accent, les chiffres et . - _, en commençant par une lettre ou un chiffre (par exemple menus.publies).
alert-key-reserved = La clé « { $value } » est celle d'une alerte de Sésame : choisissez-en une autre (par exemple monappli.{ $value }).
alert-no-group-filter = L'alerte « { $alert } » ne peut pas être limitée à certains groupes : retirez la liste des groupes ou laissez-la vide.
signature-too-long = La signature est trop longue : { $length } caractères, au plus { $max }.
mail-security-subject = Alerte de sécurité — { $org }
mail-security-mfa-reset = { $actor } a réinitialisé la double authentification de { $member } dans { $org }.
mail-security-sign-in-blocked = Le compte de { $member } dans { $org } vient d'échouer { $count } fois de suite à se connecter : les tentatives suivantes sont ralenties. Si ce n'est pas une erreur de sa part, quelqu'un essaie peut-être de deviner son mot de passe.
mail-security-why = Vous recevez cette alerte parce que les alertes de sécurité sont cochées dans vos préférences de notification.
mail-operator = L'équipe technique

## Import (issue 5)
import-duplicate = « { $value } » figure déjà à la ligne { $row } du fichier : chaque personne ne doit y être qu'une fois.
import-column-unknown = La colonne « { $column } » n'est pas reconnue. Colonnes attendues : { $expected }.
import-column-twice = La colonne « { $column } » apparaît deux fois : gardez-en une seule.
import-column-missing = Il manque la colonne « { $column } », obligatoire pour votre organisation. Colonnes attendues : { $expected }.
import-no-rows = Le fichier ne contient que la ligne d'en-tête : ajoutez une ligne par personne en dessous.
import-error-column = Erreur
template-instructions-sheet = Mode d'emploi
template-col-column = Colonne
template-col-required = Obligatoire ?
template-col-format = Format attendu
template-col-example = Exemple
template-required = Obligatoire (en gras)
template-optional = Facultatif (en italique)
template-suggested = Facultatif : proposé à partir du prénom et du nom s'il est vide
template-notes = Une ligne par personne ; ne renommez pas les colonnes. Une personne déjà connue (même courriel, sinon même identifiant) est mise à jour ; une cellule vide laisse la valeur actuelle.
template-format-login = lettres minuscules sans accent, chiffres, . - _
template-format-email = une adresse e-mail ; sert à reconnaître la personne
template-format-first-name = toutes les lettres, accents compris
template-format-last-name = toutes les lettres, accents compris
template-format-phone = format national ou international
template-format-language = fr ou en
template-format-address-line = numéro et rue
template-format-postal-code = code postal
template-format-city = ville
template-format-roles = noms de rôles séparés par des virgules ; « Rôle@Groupe » pour un rôle tenu dans un groupe
template-format-groups = noms de groupes séparés par des virgules
template-example-login = zoe.lefevre
template-example-email = zoe.lefevre@exemple.fr
template-example-first-name = Zoé
template-example-last-name = Lefèvre
template-example-phone = 06 12 34 56 78
template-example-language = fr
template-example-address-line = 12 rue des Lilas
template-example-postal-code = 69001
template-example-city = Lyon
template-example-roles = Amapien, Référent producteur@Ferme du Bec
template-example-groups = Ferme du Bec
cli-import-row = Ligne { $row } :
cli-import-cell = Ligne { $row }, colonne « { $column } » :
cli-import-counts = { $created } à créer ou créés, { $updated } mis à jour, { $unchanged } inchangés, { $invalid } en erreur.
cli-import-applied = Import enregistré.
cli-import-dry-run = Simulation : rien n'a été enregistré.
cli-import-nothing-written = Rien n'a été enregistré : corrigez les lignes en erreur (ou relancez avec --skip-invalid pour n'importer que les lignes valides).
cli-import-error-file = Les lignes en erreur sont dans { $path } : corrigez-les là et importez ce fichier.
cli-sheet-format = Format « { $value } » inconnu : xlsx, ods ou csv.
cli-template-written = Modèle écrit dans { $path }.
cli-export-written = { $rows } utilisateurs exportés dans { $path }.
sheet-io = Le fichier n'a pas pu être lu : vérifiez son chemin et ses droits.
sheet-not-spreadsheet = Ce fichier n'est pas un tableur : enregistrez-le au format XLSX, ODS ou CSV.
sheet-unsupported = Les fichiers { $format } ne sont pas pris en charge : enregistrez-le au format XLSX, ODS ou CSV.
sheet-corrupt = Ce fichier { $format } est endommagé : ouvrez-le dans votre tableur et enregistrez-le à nouveau.
sheet-encrypted = Ce fichier { $format } est protégé par un mot de passe : enregistrez-en une copie sans mot de passe.
sheet-empty = Le fichier est vide.
sheet-headers-only = Le fichier ne contient que la ligne d'en-tête : ajoutez une ligne par personne en dessous.
sheet-too-big = Le fichier est trop gros ({ $size } octets, au plus { $limit }).
sheet-unpacked-too-big = Une fois décompressé, le fichier ferait plus de { $limit } octets : il n'est pas lu.
sheet-too-many-rows = Le fichier a plus de { $limit } lignes : découpez-le en plusieurs fichiers.
sheet-too-many-columns = La ligne { $row } a des cellules au-delà de la colonne { $limit }.
sheet-cell-too-long = La cellule { $column }{ $row } dépasse { $limit } caractères.
sheet-encoding = La ligne { $row } n'est pas du texte { $encoding } valide : enregistrez le fichier en UTF-8.
notfound-import = Import introuvable.
notfound-import-errors = Cet import n'a pas de ligne en erreur (ou n'est pas terminé).
import-format = Format « { $value } » inconnu : xlsx, ods ou csv.
import-upload = Envoyez le fichier dans un formulaire multipart, champ « file » ({ $detail }).
mail-import-finished-subject = Import de membres terminé — { $org }
mail-import-finished-intro = { $actor } a importé « { $file } » dans { $org } : { $created } personnes créées, { $updated } mises à jour, { $unchanged } inchangées, { $invalid } lignes en erreur non importées.
mail-import-finished-why = Vous recevez cette alerte parce que les fins d'import sont cochées dans vos préférences de notification.
