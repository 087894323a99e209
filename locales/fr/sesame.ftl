# Sésame — messages en français.
# Chaque identifiant est le code stable d'une erreur ou d'un texte (`email.invalid` → `email-invalid`).
# Le test `both_languages_define_the_same_messages` vérifie que fr et en définissent les mêmes.

## Valeurs refusées

email-empty = L'adresse e-mail est vide : indiquez une adresse comme prenom.nom@exemple.fr.
email-too-long = L'adresse e-mail est trop longue (au plus { $max ->
    [one] { $max } caractère
   *[other] { $max } caractères
  }).
email-no-at = L'adresse e-mail doit contenir un « @ », comme prenom.nom@exemple.fr.
email-no-domain = L'adresse e-mail n'a pas de domaine après le « @ » (par exemple @exemple.fr).
email-bad-domain = Le domaine « { $domain } » de l'adresse e-mail n'est pas valide : il faut un nom comme exemple.fr.
email-invalid = L'adresse e-mail n'est pas valide : avant le « @ », seuls les lettres sans accent, chiffres et . _ - + sont acceptés.
email-taken = L'adresse e-mail { $value } est déjà utilisée par un autre compte.
login-empty = L'identifiant est vide.
login-invalid-chars = L'identifiant ne peut contenir que des lettres minuscules sans accent, des chiffres et . - _ (refusé : { $chars }).
login-too-long = L'identifiant est trop long (au plus { $max ->
    [one] { $max } caractère
   *[other] { $max } caractères
  }).
login-bad-start = L'identifiant doit commencer par une lettre ou un chiffre.
login-taken = L'identifiant { $value } est déjà pris.
name-empty = Le nom est vide.
name-too-long = Le nom est trop long (au plus { $max ->
    [one] { $max } caractère
   *[other] { $max } caractères
  }).
name-invalid-chars = Le nom contient des caractères non permis (< > @ = ; \ {"{"} {"}"} ou caractères de contrôle).
name-no-letter = Le nom doit contenir au moins une lettre.
name-taken = Le nom « { $value } » est déjà utilisé.
phone-empty = Le numéro de téléphone est vide.
phone-invalid = Le numéro de téléphone n'est pas valide pour le pays { $country } : indiquez par exemple 06 12 34 56 78, (514) 555-1234 ou +33 6 12 34 56 78.
country-unknown = Le pays « { $value } » est inconnu : indiquez un code à deux lettres comme FR ou CA.
time-zone-unknown = { $field } : « { $value } » n'est pas un fuseau horaire connu ; choisissez un nom de la liste, comme Europe/Paris ou America/Toronto.
time-zone-empty = { $field } : indiquez un fuseau horaire, comme Europe/Paris ou America/Toronto.
field-name-time-zone = Fuseau horaire
# Dates as people read them (crates/app/src/time.rs): « 4 décembre 2026 à 15 h 13 ».
time-date = { $day ->
        [1] 1er
       *[other] { $day }
    } { $month } { $year }
time-date-time = { $date } à { $hour } h { $minute }
time-month-1 = janvier
time-month-2 = février
time-month-3 = mars
time-month-4 = avril
time-month-5 = mai
time-month-6 = juin
time-month-7 = juillet
time-month-8 = août
time-month-9 = septembre
time-month-10 = octobre
time-month-11 = novembre
time-month-12 = décembre
language-unknown = Langue inconnue : choisissez parmi { $expected }.
profile-unknown = Profil inconnu : choisissez parmi { $expected }.
status-unknown = Statut inconnu : choisissez parmi { $expected }.
field-unknown = Champ inconnu : choisissez parmi { $expected }.
field-required = Ce champ est obligatoire pour votre organisation.
permission-unknown = Permission « { $value } » inconnue ; les permissions sont : { $expected }.
label-empty = Le nom est vide.
label-too-long = Le nom est trop long (au plus { $max ->
    [one] { $max } caractère
   *[other] { $max } caractères
  }).
label-invalid-chars = Le nom contient des caractères de contrôle.
text-hidden-char = { $field } : le caractère invisible { $char } ({ $name }) n'est pas accepté, car il peut inverser ou masquer du texte. Supprimez-le (si la valeur a été collée, retapez-la).
text-stray-joiner = { $field } : le caractère invisible { $char } ({ $name }) n'est accepté qu'à l'intérieur d'un mot d'une écriture qui en a besoin (persan, arabe, hindi…). Supprimez-le (si la valeur a été collée, retapez-la).
field-name-login = Identifiant
field-name-first-name = Prénom
field-name-last-name = Nom
field-name-name = Nom
field-name-kind = Type
field-name-label-fr = Libellé en français
field-name-label-en = Libellé en anglais
field-name-org = Organisation
field-name-organisation = Organisation
field-name-email = Adresse e-mail
field-name-phone = Téléphone
field-name-language = Langue
field-name-address-line = Adresse
field-name-postal-code = Code postal
field-name-city = Ville
field-name-password = Mot de passe
field-name-new-password = Nouveau mot de passe
field-name-current-password = Mot de passe actuel
field-name-roles = Rôles
field-name-groups = Groupes
field-name-role = Rôle
field-name-group = Groupe
field-name-member = Membre
field-name-file = Fichier
field-name-code = Code
field-name-description = Description
field-name-permissions = Permissions
field-name-requires = Rôle exigé
field-name-country = Pays
field-name-required = Champs obligatoires
field-name-two-factor-roles = Rôles tenus à la double authentification
field-name-signature = Signature
field-name-since = Depuis le
field-name-until = Jusqu’au
field-name-status = Statut
field-name-actor = Auteur
field-name-target = Cible
field-name-q = Recherche
field-name-username = Identifiant
field-name-profile = Profil
field-name-action = Type de modification
field-name-limit = Nombre par page
field-name-format = Format
text-too-long = Le texte est trop long (au plus { $max ->
    [one] { $max } caractère
   *[other] { $max } caractères
  }).
text-invalid-chars = Le texte contient des caractères de contrôle.
slug-invalid = Le nom court doit faire 2 à 40 caractères : lettres minuscules sans accent, chiffres et tirets.
slug-taken = Une organisation porte déjà le nom court « { $value } ».
limit-range = La valeur doit être comprise entre { $min } et { $max }.
password-too-short = Le mot de passe est trop court : au moins { $min ->
    [one] { $min } caractère
   *[other] { $min } caractères
  }.
password-too-long = Le mot de passe est trop long : au plus { $max ->
    [one] { $max } caractère
   *[other] { $max } caractères
  }.
password-personal = Le mot de passe contient « { $part } », tiré de votre identifiant, de votre nom, de votre adresse ou de celui de l'organisation : choisissez-en un qui ne vous désigne pas.
password-guessable = Ce mot de passe est trop facile à deviner (mot courant, suite de clavier, date…) : une phrase de plusieurs mots sans lien entre eux est plus sûre et plus facile à retenir.
value-taken = Cette valeur est déjà utilisée.
role-unknown = Le rôle « { $value } » n'existe pas. Rôles possibles : { $expected }.
group-unknown = Le groupe « { $value } » n'existe pas. Groupes possibles : { $expected }.
org-ambiguous = Plusieurs organisations existent : précisez laquelle avec --org (parmi { $slugs }).
org-required = Saisissez l'identifiant de votre organisation : plusieurs organisations partagent ce serveur (c'est le nom court figurant dans le lien de connexion qui vous a été donné, par exemple amap-du-quartier).

## Règles de l'organisation

role-requires = Le rôle « { $role } » ne peut être donné qu'à une personne qui a aussi le rôle « { $required } ».
role-requires-itself = Un rôle ne peut pas exiger d'être détenu avec lui-même.
role-assign-missing = Vous ne pouvez ni donner ni retirer le rôle « { $role } » { $scope ->
    [org] dans toute l'organisation
   *[group] dans le groupe « { $group } »
  } : il y faut la permission { $permission }.
role-outranks = Le rôle « { $role } » donne des droits que vous n'avez pas { $scope ->
    [org] dans toute l'organisation
   *[group] dans le groupe « { $group } »
  } ({ $permission }) : vous ne pouvez ni le donner ni le retirer.
user-last-admin = C'est le dernier administrateur actif : nommez-en un autre avant de le retirer, le désactiver ou le supprimer.
user-self-disable = Vous ne pouvez pas désactiver votre propre compte.
user-self-delete = Vous ne pouvez pas supprimer votre propre compte.
token-user-inactive = Ce compte n'est pas actif : il ne peut pas recevoir de jeton d'API.

## Droits

permission-missing = Vous n'avez pas la permission nécessaire : { $permission }.
permission-target-outranks = Cette personne a des droits que vous n'avez pas ({ $permission }) : vous ne pouvez pas agir sur son compte.
permission-role-outranks = Ce rôle donne des droits que vous n'avez pas ({ $permission }) : vous ne pouvez pas l'attribuer ni le retirer.
permission-token-outranks = Un jeton ne peut pas porter de droits que vous n'avez pas ({ $permission }).
permission-subject-lacks = Les rôles de cette personne ne lui donnent pas { $permission } : il n'y a rien à régler pour elle ici.
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
perm-apps-manage = gérer les applications

## Connexion

auth-required = Connectez-vous : il faut un jeton (en-tête Authorization: Bearer …).
auth-failed = Identifiant ou mot de passe incorrect.
auth-disabled = Ce compte est désactivé.
auth-token-invalid = Jeton inconnu, expiré ou révoqué : reconnectez-vous.
auth-session-expired = Votre session a expiré faute d'activité : reconnectez-vous.
auth-other-organisation = Cette session appartient à une autre organisation : connectez-vous à celle-ci.
auth-cross-site = Requête refusée : elle vient d'un autre site que Sésame.
auth-mfa-enrolment-required = Votre organisation exige la double authentification pour l'un de vos rôles : activez-la d'abord (Mon compte → Double authentification).
auth-session-required = Seule une session de connexion le permet : un jeton d'API ne peut ni consulter ni modifier le compte de son titulaire (mot de passe, e-mail, double authentification, sessions, jetons d'API, signature, alertes), ni créer un autre jeton. Connectez-vous avec votre mot de passe pour le faire.
auth-code-step-expired = L’étape de connexion a expiré (après cinq minutes) : saisissez à nouveau votre identifiant et votre mot de passe.
auth-throttled = Trop de tentatives de connexion échouées : réessayez dans { $seconds ->
    [one] { $seconds } seconde
   *[other] { $seconds } secondes
  }.
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
request-json-object = Le corps de la requête doit être un objet JSON, entre accolades : {"{"} "champ": valeur {"}"}.
request-unknown-field = Le champ « { $field } » n'est pas reconnu ; champs attendus : { $expected }.
request-missing-field = Le champ « { $field } » est obligatoire.
request-too-large = Le corps de la requête est trop gros (au plus { $max ->
    [one] { $max } octet
   *[other] { $max } octets
  }).
request-content-type = Le corps doit être du JSON (Content-Type: application/json).
request-not-utf8 = Le corps de la requête n'est pas en UTF-8.
request-bad-query = Paramètres d'URL invalides ({ $detail }).
request-flag = Le champ « { $field } » vaut true ou false.
request-form-value = Le champ « { $field } » ne peut pas recevoir cette valeur ({ $detail }).
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
storage-full = Le disque où Sésame enregistre ses données est plein : rien n'a été enregistré. Libérez de la place sur ce disque (ou prévenez la personne qui gère le serveur), puis réessayez.
storage-read-only = Sésame ne peut pas écrire dans sa base de données : le dossier de données, le fichier de la base ou le disque est en lecture seule (ou n'appartient pas à l'utilisateur qui lance Sésame). Rien n'a été enregistré. Rendez-les modifiables par cet utilisateur (ou prévenez la personne qui gère le serveur), puis réessayez.
storage-unreachable = La base de données de Sésame ne répond pas pour l'instant (arrêtée ou en train de redémarrer) : rien n'a été enregistré. Réessayez dans quelques secondes ; si cela dure, prévenez la personne qui gère le serveur.
mail-recipient-limit = Déjà { $limit ->
    [one] { $limit } courriel envoyé
   *[other] { $limit } courriels envoyés
  } un par un à { $address } depuis une heure : c'est le maximum, pour ne pas submerger cette boîte. Vous pourrez y écrire à nouveau dans { $minutes ->
    [one] une minute
   *[other] { $minutes } minutes
  }.
import-interrupted = Interrompu : le serveur s'est arrêté pendant l'import. Un import interrompu n'écrit rien : importez le fichier à nouveau (les personnes déjà présentes seront reconnues et laissées inchangées).
import-failed = L'import a échoué de façon inattendue ; rien n'a été écrit. Réessayez, et prévenez la personne qui gère le serveur si cela se reproduit.
store-migration-failed = La mise à niveau de la base a échoué à la migration { $version } ({ $name }) : cette migration a été annulée et la base est exactement telle qu'elle était avant elle (les migrations précédentes sont gardées). Rien d'autre n'a été fait. Gardez la base telle quelle et transmettez ce message aux développeurs de Sésame.
store-newer-database = Cette base a été écrite par une version plus récente de Sésame (elle a la migration { $version }, inconnue de celle-ci). Relancez cette version, ou restaurez une sauvegarde faite par celle-ci.
backup-postgres = « sesame backup » ne copie que la base SQLite. Pour PostgreSQL, utilisez pg_dump : pg_dump --format=custom --file=sesame.dump "postgres://…" (voir « Sauvegardes » dans le README).
restore-postgres = « sesame restore » ne remet en place qu'une base SQLite. Pour PostgreSQL, utilisez pg_restore dans une base vide : pg_restore --no-owner --dbname="postgres://…" sesame.dump (voir « Sauvegardes » dans le README).
restore-in-use = Un serveur utilise cette base : arrêtez d'abord « sesame serve » (systemctl stop sesame, ou Ctrl-C), puis restaurez. Rien n'a été modifié.
restore-not-sesame = { $path } n'est pas une base de Sésame (ni table des migrations ni organisations). Rien n'a été modifié.
restore-damaged = { $path } est endommagé (le contrôle d'intégrité de SQLite a échoué). Rien n'a été modifié ; faites une autre sauvegarde.
restore-newer = { $path } a été écrit par une version plus récente de Sésame (migration { $version }) : restaurez-le avec cette version. Rien n'a été modifié.
serve-restoring = Une restauration de cette base est en cours : démarrez le serveur une fois qu'elle est finie.

## Titres des problèmes (RFC 9457)

problem-invalid = Données invalides
problem-conflict = Valeur déjà utilisée
problem-refused = Modification refusée
problem-denied = Accès refusé
problem-unauthenticated = Connexion requise
problem-mfa-required = Double authentification requise
problem-mfa-enrolment-required = Activation de la double authentification requise
problem-session-required = Session de connexion requise
problem-throttled = Trop de tentatives
problem-not-found = Introuvable
problem-bad-request = Requête incorrecte
problem-busy = Serveur occupé
problem-internal = Erreur interne
problem-storage-full = Disque plein
problem-storage-read-only = Base de données en lecture seule
problem-storage-unreachable = Base de données injoignable
problem-recipient-limit = Trop de courriels à cette adresse
problem-link-spent = Lien périmé
problem-link-invalid = Lien non valide

## Ligne de commande

cli-error = Erreur
cli-init-done = Organisation « { $org } » ({ $slug }) créée, profil { $profile } ; administrateur { $login }.
cli-init-no-password = Sans mot de passe, l'administrateur est « invité » : donnez-lui-en un avec « sesame user passwd { $login } --password-file FICHIER ».
cli-setup-link = Première installation : ouvrez ce lien (valable une fois) pour créer le premier administrateur :
cli-setup-api = ou envoyez ce jeton à POST /api/v1/setup :
cli-listening = Sésame écoute sur http://{ $addr } (base { $db }).
cli-metrics = Métriques (Prometheus) sur http://{ $addr }/metrics.
cli-metrics-token-unreadable = --metrics-token-file : impossible de lire { $path } : { $error }
cli-metrics-token-empty = --metrics-token-file : { $path } est vide ; écrivez le jeton sur sa première ligne.
cli-imports-interrupted = Import « { $file } » ({ $id }) interrompu : le serveur s'est arrêté pendant l'import. Il est marqué en échec ; rien n'en a été écrit, importez le fichier à nouveau.
cli-backup-done = Sauvegarde écrite dans { $path }.
cli-restore-done = Sauvegarde remise en place : { $path } (sa dernière migration : { $version } ; le prochain démarrage applique les suivantes de cette version).
cli-restore-kept = La base qui était là est gardée sous le nom { $path }.
cli-yes = oui
cli-imports-headers = ID|QUAND|PAR|FICHIER|ÉTAT|CRÉÉS/MODIFIÉS/INCHANGÉS/EN ERREUR|ANNULABLE
cli-imports-state-undone = annulé
cli-imports-state-dry-run = essai
cli-imports-state-applied = enregistré
cli-imports-state-done = rien d'enregistré
cli-imports-state-failed = en échec
cli-imports-state-running = en cours
cli-import-file-missing = Indiquez le fichier à importer (sesame import FICHIER), ou utilisez sesame import list ou sesame import undo ID.
cli-import-undo-confirmed = [annulé quand même]
cli-import-undo-left = [laissé tel quel]
cli-import-undo-preview = Ce que fait l'annulation de cet import (essai : rien n'a été changé) :
cli-import-undone = L'import a été annulé :
cli-import-undo-unconfirmed = Des changements faits depuis l'import sont laissés tels quels ; pour les annuler quand même, ajoutez --confirm { $value }.
cli-user-created = Utilisateur { $login } créé.
cli-user-disabled = Utilisateur { $login } désactivé.
cli-user-enabled = Utilisateur { $login } réactivé.
cli-password-set = Mot de passe de { $login } enregistré ; ses sessions sont fermées.
cli-two-factor-reset = Double authentification de { $login } retirée : cette personne se connecte avec son mot de passe et peut la réactiver.
cli-app-created = Application « { $name } » inscrite.
cli-app-secret-once = Copiez le secret client maintenant, il ne sera plus affiché :
cli-app-removed = Application « { $name } » supprimée ; ses jetons ont pris fin.
cli-group-created = Groupe « { $name } » créé.
cli-member-added = { $login } ajouté au groupe « { $group } ».
cli-member-removed = { $login } retiré du groupe « { $group } ».
cli-token-created = Jeton d'API « { $name } » créé pour { $login }. Copiez-le maintenant, il ne sera plus affiché :
cli-keys-rotated = { $alg } : la clé { $retired } est retirée (encore publiée jusqu'à l'expiration des jetons qu'elle a signés) ; { $current } signe désormais ; { $next } est publiée comme clé suivante.
cli-keys-not-rotated = Aucune clé n'a changé : une autre instance vient de les renouveler (voir « sesame keys list »).
cli-keys-deleted = { $count ->
    [one] { $count } clé retirée, gardée assez longtemps, a été supprimée.
   *[other] { $count } clés retirées, gardées assez longtemps, ont été supprimées.
  }
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
page-setup-done = L’administrateur { $login } est créé : connectez-vous pour ajouter vos membres.
page-setup-sign-in = Se connecter

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
mail-alerts-changed-subject = Vos alertes { $org } ont été modifiées
mail-alerts-changed-intro = { $actor } a modifié les alertes que votre compte { $login } reçoit par courriel de { $org }.
mail-signature-changed-subject = Votre signature { $org } a été modifiée
mail-signature-changed-intro = { $actor } a modifié la signature qui termine les courriels que votre compte { $login } fait envoyer dans { $org }.
mail-changed-by-why = Vous pouvez les revoir et les changer vous-même depuis votre compte { $org }. Si ce changement vous surprend, parlez-en à un administrateur.
mail-duration-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
  }
mail-duration-hours = { $count ->
    [one] { $count } heure
   *[other] { $count } heures
  }
mail-duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
  }
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
signature-too-long = La signature est trop longue : { $length ->
    [one] { $length } caractère
   *[other] { $length } caractères
  }, au plus { $max }.
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
import-undo-signed-in = { $login } s'est connecté·e (ou a agi) depuis l'import : cette personne est gardée, sauf si vous confirmez « signed_in ».
import-undo-signed-in-activated = { $login } s'est connecté·e (ou a agi) depuis que l'import l'a rendu·e actif·ve avec le mot de passe qu'il apportait : cette personne reste active avec son mot de passe, sauf si vous confirmez « signed_in ».
import-undo-edited-since = { $login } : le champ « { $field } » a été modifié depuis l'import ; il est gardé, sauf si vous confirmez « edited_since ».
import-already-undone = Cet import a déjà été annulé : un import ne s'annule qu'une fois.
import-not-undoable = L'import « { $file } » ne peut pas être annulé : seul un import qui a enregistré des changements peut l'être (pas un essai, pas un import qui n'a rien enregistré).
import-undo-confirm-unknown = « { $value } » n'est pas un genre de changement à confirmer. Attendu : { $expected }.
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
cli-import-counts = { $created ->
    [one] { $created } à créer ou créé
   *[other] { $created } à créer ou créés
  }, { $updated ->
    [one] { $updated } mis à jour
   *[other] { $updated } mis à jour
  }, { $unchanged ->
    [one] { $unchanged } inchangé
   *[other] { $unchanged } inchangés
  }, { $invalid ->
    [one] { $invalid } en erreur
   *[other] { $invalid } en erreur
  }.
cli-import-applied = Import enregistré.
cli-import-dry-run = Simulation : rien n'a été enregistré.
cli-import-nothing-written = Rien n'a été enregistré : corrigez les lignes en erreur (ou relancez avec --skip-invalid pour n'importer que les lignes valides).
cli-import-error-file = Les lignes en erreur sont dans { $path } : corrigez-les là et importez ce fichier.
cli-sheet-format = Format « { $value } » inconnu : xlsx, ods ou csv.
cli-trusted-proxy = --trusted-proxies : « { $value } » n'est ni une adresse IP ni une plage : donnez des adresses et des plages séparées par des virgules, par exemple 127.0.0.1,10.0.0.0/8.
cli-template-written = Modèle écrit dans { $path }.
cli-export-written = { $rows ->
    [one] { $rows } utilisateur exporté
   *[other] { $rows } utilisateurs exportés
  } dans { $path }.
sheet-io = Le fichier n'a pas pu être lu : vérifiez son chemin et ses droits.
sheet-not-spreadsheet = Ce fichier n'est pas un tableur : enregistrez-le au format XLSX, ODS ou CSV.
sheet-unsupported = Les fichiers { $format } ne sont pas pris en charge : enregistrez-le au format XLSX, ODS ou CSV.
sheet-corrupt = Ce fichier { $format } est endommagé : ouvrez-le dans votre tableur et enregistrez-le à nouveau.
sheet-encrypted = Ce fichier { $format } est protégé par un mot de passe : enregistrez-en une copie sans mot de passe.
sheet-empty = Le fichier est vide.
sheet-headers-only = Le fichier ne contient que la ligne d'en-tête : ajoutez une ligne par personne en dessous.
sheet-too-big = Le fichier est trop gros ({ $size ->
    [one] { $size } octet
   *[other] { $size } octets
  }, au plus { $limit }).
sheet-unpacked-too-big = Une fois décompressé, le fichier ferait plus de { $limit ->
    [one] { $limit } octet
   *[other] { $limit } octets
  } : il n'est pas lu.
sheet-too-many-rows = Le fichier a plus de { $limit ->
    [one] { $limit } ligne
   *[other] { $limit } lignes
  } : découpez-le en plusieurs fichiers.
sheet-too-many-columns = La ligne { $row } a des cellules au-delà de la colonne { $limit }.
sheet-cell-too-long = La cellule { $column }{ $row } dépasse { $limit ->
    [one] { $limit } caractère
   *[other] { $limit } caractères
  }.
sheet-encoding = La ligne { $row } n'est pas du texte { $encoding } valide : enregistrez le fichier en UTF-8.
notfound-import = Import introuvable.
notfound-import-errors = Cet import n'a pas de ligne en erreur (ou n'est pas terminé).
import-format = Format « { $value } » inconnu : xlsx, ods ou csv.
upload-missing = { $field } : aucun fichier n’est arrivé ; choisissez le tableur à importer.
upload-too-large = { $field } : le fichier est trop gros ({ $max } Mo au plus).
upload-broken = { $field } : le fichier n’a pas pu être reçu (formulaire interrompu, ou qui n’est pas en multipart/form-data) ; envoyez-le à nouveau.
mail-import-finished-subject = Import de membres terminé — { $org }
mail-import-finished-intro = { $actor } a importé « { $file } » dans { $org } : { $created ->
    [one] { $created } personne créée
   *[other] { $created } personnes créées
  }, { $updated ->
    [one] { $updated } mise à jour
   *[other] { $updated } mises à jour
  }, { $unchanged ->
    [one] { $unchanged } inchangée
   *[other] { $unchanged } inchangées
  }, { $invalid ->
    [one] { $invalid } ligne en erreur non importée
   *[other] { $invalid } lignes en erreur non importées
  }.
mail-import-finished-why = Vous recevez cette alerte parce que les fins d'import sont cochées dans vos préférences de notification.

## Pages web (issue 6)
web-skip = Aller au contenu
web-nav-label = Menu principal
web-nav-users = Utilisateurs
web-nav-import = Importer
web-nav-account = Mon compte
web-sign-out = Se déconnecter
web-error-title = Un problème est survenu
web-csrf = Ce formulaire a expiré ou ne vient pas d’une page de Sésame : revenez en arrière, rechargez la page et renvoyez-le.
web-bad-form = Sésame ne connaît pas ce formulaire : rechargez la page et réessayez.
web-language-unknown = Langue inconnue : choisissez fr ou en.
web-form-errors = Corrigez ce qui est signalé ci-dessous :
web-required = obligatoire
web-required-note = Les champs marqués * sont obligatoires dans votre organisation.
web-save = Enregistrer
web-any = Tous
web-pages = Pages
web-page-prev = ← Page précédente
web-page-next = Page suivante →
web-page-of = Page { $page }
web-tabs = Rubriques de cet utilisateur
web-sign-in-title = Connexion
web-sign-in-login = Identifiant ou adresse e-mail
web-sign-in-password = Mot de passe
web-sign-in-org = Identifiant de l'organisation
web-sign-in-org-hint = Le nom court de votre association ou organisation sur ce serveur, tel qu'il figure dans le lien de connexion qui vous a été donné (par exemple amap-du-quartier).
web-sign-in-submit = Se connecter
web-sign-in-forgot = Mot de passe oublié ?
web-code-title = Connexion en deux étapes
web-code-intro = Votre mot de passe est correct. Saisissez maintenant le code affiché par votre application d’authentification.
web-code-intro-both = Votre mot de passe est correct. Confirmez maintenant que c’est bien vous : saisissez le code affiché par votre application d’authentification, ou utilisez l’une de vos clés d’accès.
web-code-intro-passkey = Votre mot de passe est correct. Confirmez maintenant que c’est bien vous avec l’une de vos clés d’accès (le déverrouillage de votre téléphone ou de votre ordinateur).
web-code-label = Code
web-code-hint = (six chiffres, ou l’un de vos codes de secours)
web-code-submit = Se connecter
web-code-restart = Recommencer avec l’identifiant
web-users-title = Utilisateurs
web-users-add = Ajouter un utilisateur
web-users-search = Rechercher (nom, identifiant, e-mail)
web-users-role = Rôle
web-users-group = Groupe
web-users-status = État
web-users-filter = Filtrer
web-users-count = { $count ->
    [0] Aucun utilisateur ne correspond.
    [one] Un utilisateur.
   *[other] { $count } utilisateurs.
}
web-users-none = Personne ne correspond à ces filtres.
web-users-col-login = Identifiant
web-users-col-name = Nom
web-users-col-email = E-mail
web-users-col-status = État
web-users-col-created = Créé le
web-users-col-roles = Rôles
web-status-all = Tous
web-status-active = Actifs
web-status-invited = Invités
web-status-disabled = Désactivés
web-state-active = Actif
web-state-invited = Invité
web-state-disabled = Désactivé
web-export-xlsx = Exporter (Excel)
web-export-ods = Exporter (LibreOffice)
web-export-csv = Exporter (CSV)
web-field-first-name = Prénom
web-field-last-name = Nom
web-field-email = Adresse e-mail
web-field-email-hint = L’invitation et les liens de mot de passe y sont envoyés.
web-field-email-change-hint = (une nouvelle adresse est confirmée par un lien qui lui est envoyé)
web-field-login = Identifiant
web-field-login-hint = Proposé à partir des noms (prenom.nom) ; sans espaces ni accents. Laissez vide pour garder la proposition.
web-field-phone = Téléphone
web-field-phone-hint = ex. 06 12 34 56 78 ou +1 514 555 0123
web-field-address = Adresse
web-field-postal-code = Code postal
web-field-city = Ville
web-field-language = Langue
web-field-roles = Rôles
web-field-groups = Groupes
web-user-new-title = Ajouter un utilisateur
web-user-new-invite = Envoyer le courriel d’invitation
web-user-new-invite-hint = La personne reçoit un lien pour choisir son mot de passe.
web-user-new-submit = Ajouter l’utilisateur
web-tab-profile = Profil
web-tab-login = Connexion
web-tab-roles = Rôles
web-tab-access = Accès
web-email-pending = En attente de confirmation : { $email }
web-access-invite-text = Cette personne n’a pas encore activé son compte.
web-access-invite = Envoyer le courriel d’invitation
web-access-reset-text = Le compte est actif : envoyer un lien pour choisir un nouveau mot de passe.
web-access-reset = Envoyer un lien de réinitialisation du mot de passe
web-access-sessions = Sessions ouvertes
web-access-no-sessions = Aucune session ouverte.
web-access-end-sessions = Fermer toutes les sessions
web-access-remove-passkeys-text = { $count ->
    [one] Appareil perdu ou volé : retirez la clé d’accès de cette personne. Son application d’authentification, si elle en a une, reste en place.
   *[other] Appareil perdu ou volé : retirez les { $count } clés d’accès de cette personne. Son application d’authentification, si elle en a une, reste en place.
}
web-access-remove-passkeys = Retirer les clés d’accès
web-access-reset-2fa-text = Téléphone perdu : retirez l’application d’authentification et les clés d’accès de cette personne, pour qu’elle s’inscrive à nouveau.
web-access-reset-2fa = Réinitialiser la connexion en deux étapes
web-access-disable-text = Un compte désactivé ne peut plus se connecter ; rien n’est supprimé.
web-access-disable = Désactiver le compte
web-access-enable = Réactiver le compte
web-access-delete = Supprimer l’utilisateur
web-access-delete-text = Ses données personnelles sont effacées ; le journal garde la trace de son existence. C’est définitif.
web-access-delete-confirm = Oui, supprimer définitivement cet utilisateur
web-delete-unconfirmed = Cochez la case pour confirmer la suppression.
web-session-since = Depuis
web-session-seen = Vue pour la dernière fois
web-session-from = Depuis l’adresse
web-session-current = celle-ci
web-import-title = Importer des utilisateurs
web-imports-link = Imports passés (90 derniers jours) et annulation d'un import
web-imports-title = Imports
web-imports-intro = Tous les imports des 90 derniers jours : qui l'a lancé, quand, le fichier, ce qu'il a fait. Un import qui a enregistré des changements peut être annulé, après un aperçu.
web-imports-none = Aucun import ces 90 derniers jours.
web-imports-col-when = Quand
web-imports-col-who = Par
web-imports-col-file = Fichier
web-imports-col-state = État
web-imports-col-counts = Créés / modifiés / inchangés / en erreur
web-imports-col-options = Options
web-imports-col-actions = Actions
web-imports-counts-hint = Un essai (aperçu) compte ce que l'import aurait fait.
web-imports-state-undone = Annulé
web-imports-state-dry-run = Aperçu (rien d'enregistré)
web-imports-state-applied = Enregistré
web-imports-state-running = En cours
web-imports-state-failed = En échec
web-imports-state-nothing = Rien d'enregistré
web-imports-option-skip-invalid = lignes valides seulement
web-imports-option-invite = invitations envoyées
web-imports-undone-by = le { $when } par { $actor }
web-imports-undo = Annuler…
web-import-undo-title = Annuler un import
web-import-undo-preview = Ce que fait l'annulation de cet import (aperçu : rien n'est encore changé) :
web-import-undo-done = L'import a été annulé :
web-import-undo-deleted = Personnes qu'il a créées, supprimées : { $count }
web-import-undo-restored = Personnes qu'il a modifiées, rétablies : { $count }
web-import-undo-roles = Rôles retirés ou rendus : { $count }
web-import-undo-memberships = Appartenances à des groupes retirées ou rendues : { $count }
web-import-undo-left = Personnes laissées telles quelles (un changement depuis, non confirmé) : { $count }
web-import-undo-invited = Personnes qu'il a rendues actives avec le mot de passe qu'il apportait, invitées à nouveau (ce mot de passe retiré) : { $count }
web-import-undo-gone = Personnes supprimées depuis (rien à annuler) : { $count }
web-import-undo-conflicts = Changé depuis l'import
web-import-undo-now = maintenant
web-import-undo-confirm-signed-in = Annuler aussi pour les personnes qui se sont connectées depuis : celles qu'il a créées supprimées, celles qu'il a rendues actives invitées à nouveau
web-import-undo-confirm-edited-since = Rétablir aussi les champs modifiés à nouveau depuis l'import
web-import-undo-hint = Ce qui n'est pas coché est laissé tel quel. L'annulation se fait d'un bloc : tout ce qui est listé ci-dessus, ou rien.
web-import-undo-button = Annuler cet import
web-import-undo-impossible = Cet import ne peut pas être annulé : il n'a rien enregistré, ou il a déjà été annulé.
web-import-step-template = Téléchargez le modèle : les colonnes en gras sont obligatoires, celles en italique facultatives. Ne renommez pas les colonnes.
web-import-template-xlsx = Modèle (Excel)
web-import-template-ods = Modèle (LibreOffice)
web-import-template-csv = Modèle (CSV)
web-import-step-fill = Complétez-le à partir des listes que vous tenez déjà (une personne par ligne).
web-import-step-upload = Envoyez-le : vous verrez ce qu’il ferait avant que rien ne soit écrit.
web-import-file = Fichier tableur
web-import-file-hint = (XLSX, XLS, ODS ou CSV ; vous pouvez aussi le déposer ici)
web-import-preview = Vérifier le fichier
web-import-preview-title = Aperçu de l’import
web-import-result-title = Résultat de l’import
web-import-file-name = Fichier : { $name }
web-import-running = Lecture du fichier…
web-import-rows-read = Lignes lues :
web-import-failed = L’import a échoué de façon inattendue ; rien n’a été écrit. Réessayez, et prévenez votre administrateur si cela se reproduit.
web-import-created = À créer
web-import-updated = À mettre à jour
web-import-unchanged = Inchangés
web-import-invalid = En erreur
web-import-applied = L’import est fait.
web-import-not-applied = Rien n’a été écrit : des lignes ont des erreurs. Corrigez-les dans le fichier d’erreurs et importez-le à nouveau, ou n’importez que les lignes valides.
web-import-error-file-text = Les lignes en erreur, avec une colonne « Erreur » : corrigez-les dans ce fichier et importez-le à nouveau.
web-import-error-file = Télécharger le fichier d’erreurs
web-import-faulty = Lignes en erreur
web-import-faulty-cell = erroné
web-import-row = Ligne
web-import-problems = Problèmes
web-import-invite = Envoyer le courriel d’invitation aux utilisateurs créés
web-import-refresh-text = La page montre l’avancement d’elle-même ; sans JavaScript, actualisez-la pour le voir.
web-import-refresh = Actualiser
web-import-apply-valid = Importer les lignes valides
web-import-apply-valid-text = { $count ->
    [one] La ligne en erreur sera laissée de côté : elle sera dans le fichier d’erreurs, à corriger et importer à nouveau.
   *[other] Les { $count } lignes en erreur seront laissées de côté : elles seront dans le fichier d’erreurs, à corriger et importer à nouveau.
}
web-import-apply = Importer
web-import-rows = Ce que fait chaque ligne
web-import-action = Action
web-import-action-create = création
web-import-action-update = mise à jour
web-import-action-unchanged = inchangé
web-import-action-invalid = erreur
web-import-truncated = Seules les premières lignes sont listées.
web-upload-expired = Le fichier de cet aperçu n’est plus gardé (après une heure, une fois importé, ou si vous en avez envoyé un autre depuis) : envoyez-le à nouveau.
web-account-title = Mon compte
web-account-intro = Identifiant : { $login }
web-account-profile = Mon profil
web-account-password = Mon mot de passe
web-account-current-password = Mot de passe actuel
web-account-new-password = Nouveau mot de passe
web-account-change-password = Changer mon mot de passe
web-strength-0 = Trop court
web-strength-1 = Faible : plus long, c’est mieux
web-strength-2 = Bon
web-strength-3 = Solide
web-2fa-must-enrol = Votre organisation demande la connexion en deux étapes pour l’un de vos rôles. Choisissez l’une des deux façons ci-dessous : une clé d’accès (le déverrouillage de votre téléphone ou de votre ordinateur, rien à saisir) ou une application d’authentification.
web-passkeys-continue = Continuer vers l’application
web-2fa-title = Connexion en deux étapes
web-2fa-on = La connexion en deux étapes est activée.
web-2fa-off = La connexion en deux étapes est désactivée.
web-2fa-manage = Gérer la connexion en deux étapes
web-2fa-explain = À chaque connexion, après votre mot de passe, vous saisirez un code affiché par une application d’authentification sur votre téléphone (par exemple FreeOTP, Aegis ou Google Authenticator).
web-2fa-start = Activer la connexion en deux étapes
web-2fa-scan = Scannez ce code QR avec votre application d’authentification, puis saisissez le code qu’elle affiche.
web-2fa-qr-label = Code QR à scanner avec l’application d’authentification
web-2fa-secret = Ou saisissez cette clé dans l’application :
web-2fa-code = Code affiché par l’application
web-2fa-confirm = Confirmer
web-2fa-codes-intro = La connexion en deux étapes est activée. Imprimez ou notez ces codes de secours maintenant : chacun remplace une fois un code de l’application, si vous perdez votre téléphone. Ils ne seront plus affichés.
web-2fa-codes-done = J’ai gardé mes codes
web-2fa-codes-left = Codes de secours restants : { $count }.
web-2fa-regenerate = Nouveaux codes de secours
web-2fa-disable = Désactiver la connexion en deux étapes
web-done-signed-out = Vous êtes déconnecté.
web-done-password-changed = Votre mot de passe est changé : connectez-vous avec le nouveau.
web-done-created = L’utilisateur est créé.
web-done-created-invited = L’utilisateur est créé et le courriel d’invitation est en route.
web-done-saved = Enregistré.
web-done-email-pending = Enregistré. La nouvelle adresse sera utilisée une fois confirmée par le lien qui lui est envoyé.
web-done-invitation-sent = Le courriel d’invitation est en route.
web-done-reset-sent = Le lien de réinitialisation du mot de passe est en route.
web-done-sessions-ended = Toutes les sessions de cet utilisateur sont fermées.
web-done-two-factor-reset = La connexion en deux étapes est réinitialisée : la personne peut s’inscrire à nouveau.
web-done-passkeys-removed = Les clés d’accès de cette personne sont retirées ; elle en est avertie par e-mail.
web-done-disabled = Le compte est désactivé.
web-done-enabled = Le compte est réactivé.
web-done-deleted = L’utilisateur est supprimé.
web-done-two-factor-off = La connexion en deux étapes est désactivée.

## Pages web : journal, e-mails, notifications, signature
web-nav-audit = Journal
web-nav-emails = Courriels
web-yes = Oui
web-no = Non
web-audit-title = Journal des modifications
web-audit-intro = Chaque modification : qui l’a faite, quoi, pour qui, avant → après, quand et depuis où. Les plus récentes en premier.
web-audit-actor = Fait par
web-audit-target = Concernant
web-audit-person-hint = (identifiant ou adresse e-mail)
web-audit-kind = Type de modification
web-audit-since = Du
web-audit-until = Au (inclus)
audit-person-unknown = Personne n’a l’identifiant ou l’adresse « { $value } » : vérifiez l’orthographe, ou laissez vide.
audit-time-invalid = « { $value } » n’est pas une date : choisissez un jour (AAAA-MM-JJ) ou, par l’API, une heure (RFC 3339).
audit-backwards = La date de fin est avant la date de début : échangez-les.
audit-action-unknown = Ce type de modification n’existe pas : choisissez-en un dans la liste.
web-audit-export-csv = Exporter ces entrées (CSV)
web-audit-export-xlsx = Exporter ces entrées (Excel)
web-audit-file-name = journal
web-audit-none = Aucune entrée ne correspond à ces filtres.
web-audit-newest = ← Les plus récentes
web-audit-older = Plus anciennes →
web-audit-col-when = Quand
web-audit-col-who = Qui
web-audit-col-what = Quoi
web-audit-col-code = Code
web-audit-col-at = Horodatage (UTC, RFC 3339)
web-audit-col-whom = Pour qui
web-audit-col-change = Avant → après
web-audit-col-before = Avant
web-audit-col-after = Après
web-audit-col-from = Depuis
web-audit-from-cli = ligne de commande
web-audit-default = réglage par défaut
web-audit-kind-user = Comptes des utilisateurs
web-audit-kind-users-import = Imports
web-audit-kind-role = Rôles
web-audit-kind-group = Groupes
web-audit-kind-app = Applications
web-audit-kind-auth = Connexions
web-audit-kind-mfa = Connexion en deux étapes
web-audit-kind-token = Jetons d’accès (API)
web-audit-kind-notifications = Notifications
web-audit-kind-signature = Signatures
web-audit-kind-outbox = Courriels
web-audit-kind-settings = Réglages
web-audit-action-user-create = a créé le compte
web-audit-action-user-update = a modifié le compte
web-audit-action-user-delete = a supprimé le compte
web-audit-action-user-disable = a désactivé le compte
web-audit-action-user-enable = a réactivé le compte
web-audit-action-user-activate = a activé son compte
web-audit-action-user-password-reset = a réinitialisé son mot de passe
web-audit-action-user-invitation-sent = a envoyé l’invitation
web-audit-action-user-reset-link-sent = a envoyé un lien de mot de passe
web-audit-action-user-email-confirmed = a confirmé sa nouvelle adresse
web-audit-action-mfa-enable = a activé la connexion en deux étapes
web-audit-action-mfa-disable = a désactivé la connexion en deux étapes
web-audit-action-mfa-reset = a réinitialisé la connexion en deux étapes
web-audit-action-mfa-recovery-codes-replaced = a remplacé ses codes de secours
web-audit-action-group-member-add = a ajouté au groupe
web-audit-action-group-member-remove = a retiré du groupe
web-audit-action-user-password-set = a choisi son mot de passe
web-audit-action-users-import = a importé des utilisateurs
web-audit-action-role-create = a créé le rôle
web-audit-action-role-update = a modifié le rôle
web-audit-action-role-delete = a supprimé le rôle
web-audit-action-group-create = a créé le groupe
web-audit-action-group-update = a modifié le groupe
web-audit-action-group-delete = a supprimé le groupe
web-audit-action-auth-sign-in = s’est connecté
web-audit-action-auth-sign-in-failed = a échoué à se connecter
web-audit-action-auth-sign-out = s’est déconnecté
web-audit-action-auth-sessions-ended = a fermé les sessions
web-audit-action-mfa-recovery-code-used = a utilisé un code de secours
web-audit-action-token-create = a créé un jeton d’accès
web-audit-action-token-revoke = a révoqué un jeton d’accès
web-audit-action-notifications-update = a changé ses notifications
web-audit-action-notifications-defaults-update = a changé les notifications par défaut
web-audit-action-notifications-alert-register = a enregistré un type d’alerte
web-audit-action-signature-update = a changé sa signature
web-audit-action-outbox-resend = a renvoyé un courriel
web-audit-action-settings-update = a modifié les réglages
web-audit-action-organisation-create = a créé l’organisation
web-audit-field-login = identifiant
web-audit-field-email = adresse e-mail
web-audit-field-first-name = prénom
web-audit-field-last-name = nom
web-audit-field-phone = téléphone
web-audit-field-language = langue
web-audit-field-status = état
web-audit-field-roles = rôles
web-audit-field-groups = groupes
web-audit-field-name = nom
web-audit-field-signature = signature
web-audit-field-state = état
web-audit-field-last-error = dernière erreur
web-audit-field-enabled = reçue
web-audit-field-address-line = adresse
web-audit-field-postal-code = code postal
web-audit-field-city = ville
web-audit-field-kind = type
web-audit-field-permissions = droits
web-audit-field-description = description
web-emails-title = Courriels envoyés
web-emails-intro = Les courriels que Sésame envoie (invitations, liens de mot de passe, alertes) et où ils en sont. Leur contenu n’est pas gardé.
web-emails-none = Aucun courriel.
web-emails-limited = Adresses au maximum d'envois
web-emails-limited-intro = Pas plus de { $limit ->
    [one] { $limit } courriel envoyé
   *[other] { $limit } courriels envoyés
  } un par un (invitation, lien de réinitialisation, renvoi) à une même adresse en une heure ; les imports, qui n'écrivent qu'une fois à chaque personne, ne sont pas comptés. Ces adresses l'ont atteint :
web-emails-limited-row = { $address } : { $count ->
    [one] { $count } envoi
   *[other] { $count } envois
  } depuis une heure ; prochain envoi possible le { $at }.
web-email-all = Tous
web-email-state = État
web-email-state-queued = En attente
web-email-state-sent = Envoyé
web-email-state-failed = Échec
web-email-recipient = Destinataire
web-email-kind = Type
web-email-attempts = Essais
web-email-dates = Dates
web-email-actions = Actions
web-email-created = Créé le { $at }
web-email-sent-at = Envoyé le { $at }
web-email-next-at = Prochain essai le { $at }
web-email-server-said = Réponse du serveur d’envoi : { $answer }
web-email-reason-refused = Le serveur d’envoi a refusé ce courriel : l’adresse est peut-être fausse. Corrigez-la, puis renvoyez-le.
web-email-reason-unreachable = Le serveur d’envoi ne répond pas : Sésame réessaie tout seul. Si cela dure, prévenez la personne qui l’héberge.
web-email-reason-later = Le serveur d’envoi n’a pas pris ce courriel pour l’instant : Sésame réessaie tout seul.
web-email-reason-account = La personne a été supprimée ou son compte désactivé avant l’envoi : ce courriel ne partira pas.
web-email-resend = Renvoyer
web-email-resend-to = Renvoyer le courriel à { $recipient }
web-email-kind-invitation = Invitation
web-email-kind-password-reset = Lien de mot de passe
web-email-kind-password-changed = Mot de passe changé
web-email-kind-mfa-enabled = Connexion en deux étapes activée
web-email-kind-mfa-disabled = Connexion en deux étapes désactivée
web-email-kind-mfa-reset = Connexion en deux étapes réinitialisée
web-email-kind-email-change = Confirmation de nouvelle adresse
web-email-kind-email-changed = Adresse changée
web-email-kind-member-joined = Nouveau membre
web-email-kind-import-finished = Import terminé
web-email-kind-security = Alerte de sécurité
web-done-email-resent = Le courriel est de nouveau en route.
web-tab-notifications = Notifications
web-tab-signature = Signature
web-alerts-title = Mes notifications par courriel
web-alerts-intro = Choisissez les alertes que vous recevez par courriel et, pour certaines, de quels groupes.
web-alerts-manage = Choisir mes notifications
web-alerts-default = (réglage par défaut de l’organisation)
web-alerts-on = Je la reçois
web-alerts-off = Je ne la reçois pas
web-alerts-scope = De quels groupes ?
web-alerts-all-groups = Tous les groupes
web-alerts-some-groups = Seulement ces groupes :
web-alerts-no-groups = L’organisation n’a pas encore de groupes.
web-alerts-none = Aucune alerte ne vous concerne.
web-alert-groups-none = Cochez au moins un groupe pour « { $alert } », ou choisissez « Tous les groupes ».
web-alerts-col-alert = Alerte
web-alerts-col-received = Reçue
web-alerts-col-groups = Groupes
web-user-alerts-intro = Les alertes que cette personne reçoit par courriel ; elle seule peut les changer, depuis son compte.
web-user-alerts-edit-intro = Les alertes que cette personne reçoit par courriel. Si vous les changez, elle en est prévenue par courriel et peut toujours les changer elle-même depuis son compte.
web-user-alerts-change = Changer les miennes
web-signature-title = Ma signature courriel
web-signature-intro = Elle termine les courriels que vous faites envoyer (les invitations, par exemple). Du texte simple, ou un peu de HTML : gras, italique, souligné, paragraphes, liens.
web-signature-manage = Modifier ma signature
web-signature-label = Signature
web-signature-hint = (au plus { $max ->
    [one] { $max } caractère
   *[other] { $max } caractères
  } ; laissez vide pour ne pas signer)
web-signature-preview = Aperçu
web-signature-preview-title = Aperçu en bas d’un courriel
web-signature-unsaved = Aperçu de ce que vous avez saisi : pas encore enregistré.
web-signature-none = Pas de signature : vos courriels se terminent sans.
web-signature-sample = Bonjour, vous êtes invité à rejoindre l’organisation…
web-signature-as-text = En texte simple
web-done-signature-saved = Votre signature est enregistrée.
web-user-signature-intro = La signature qui termine les courriels que cette personne fait envoyer :
web-user-signature-none = Cette personne n’a pas de signature.
web-user-signature-change = Modifier ma signature
web-user-signature-edit-intro = La signature qui termine les courriels que cette personne fait envoyer. Si vous la changez, elle en est prévenue par courriel et peut toujours la changer elle-même depuis son compte.
## Pages web : groupes, rôles, réglages
web-nav-groups = Groupes
web-nav-roles = Rôles
web-nav-settings = Réglages
web-not-a-number = Indiquez un nombre entier, en chiffres.
web-groups-title = Groupes
web-groups-intro = Les groupes rassemblent des personnes : une installation, une salle, un lieu de distribution, l’équipe d’un producteur… Un rôle peut être donné dans toute l’organisation ou dans un seul groupe.
web-groups-none = Aucun groupe pour l’instant.
web-groups-col-name = Nom
web-groups-col-kind = Type
web-groups-col-members = Membres
web-groups-new = Créer un groupe
web-group-name = Nom du groupe
web-group-kind = Type
web-group-kind-hint = ex. installation, salle, lieu de distribution (laissez vide : « groupe »)
web-group-create = Créer le groupe
web-group-edit = Renommer ou décrire
web-group-members = Membres
web-group-members-none = Personne n’est encore membre de ce groupe. On ajoute une personne à un groupe depuis sa fiche, rubrique Rôles.
web-group-members-all = { $count ->
    [0] Voir la liste des utilisateurs
    [one] Voir le membre dans la liste des utilisateurs
   *[other] Voir les { $count } membres dans la liste des utilisateurs
  }
web-group-members-none-yet = Personne n’est encore membre de ce groupe : ajoutez des personnes ci-dessus.
web-group-member-add = Ajouter un membre
web-group-member-field = Personne à ajouter
web-group-member-hint = son identifiant, son adresse e-mail ou son nom
web-group-col-roles-here = Rôles dans ce groupe
web-group-col-actions = Actions
web-group-member-remove = Retirer
web-group-member-remove-named = Retirer { $login } du groupe
web-group-member-remove-roles = Une personne retirée du groupe perd les rôles qu’elle y avait ; son compte reste.
web-member-missing = Indiquez l’identifiant, l’adresse e-mail ou le nom de la personne à ajouter.
web-member-unknown = Personne ne correspond à « { $value } » : vérifiez l’orthographe, ou cherchez la personne dans la liste des utilisateurs.
web-member-ambiguous = { $count ->
    [one] { $count } personne correspond
   *[other] { $count } personnes correspondent
  } à « { $value } » ({ $candidates }) : indiquez l’identifiant de celle à ajouter.
web-member-already = { $login } est déjà membre de ce groupe.
web-done-member-added = La personne est ajoutée au groupe.
web-done-member-removed = La personne est retirée du groupe.
web-group-delete = Supprimer le groupe
web-group-delete-text = { $count ->
    [0] Le groupe n’a aucun membre : il disparaît simplement. C’est définitif.
    [one] Le membre est retiré du groupe (son compte reste) et les rôles donnés dans ce groupe lui sont retirés. C’est définitif.
   *[other] Les { $count } membres sont retirés du groupe (leurs comptes restent) et les rôles donnés dans ce groupe leur sont retirés. C’est définitif.
  }
web-group-delete-confirm = Oui, supprimer ce groupe
web-roles-title = Rôles
web-roles-intro = Un rôle est un ensemble de droits. Les rôles prédéfinis viennent avec votre organisation ; vous pouvez créer les vôtres.
web-roles-new = Créer un rôle personnalisé
web-roles-col-name = Rôle
web-roles-col-kind = Sorte
web-roles-col-description = Description
web-roles-col-holders = Personnes
web-roles-preset = prédéfini
web-roles-custom = personnalisé
web-roles-matrix = Ce que chaque rôle permet
web-roles-col-permission = Droit
web-role-new-title = Nouveau rôle personnalisé
web-role-name = Nom du rôle
web-role-description = Description
web-role-description-hint = Une phrase qui dit à qui ce rôle est destiné.
web-role-requires = Ne peut être donné qu’à une personne qui a aussi le rôle
web-role-requires-none = (aucun autre rôle exigé)
web-role-permissions = Droits de ce rôle
web-role-cannot-grant = Vous n’avez pas ce droit vous-même : vous ne pouvez pas le donner.
web-role-create = Créer le rôle
web-role-copy = Créer un rôle personnalisé à partir de celui-ci
web-role-preset-note = Ce rôle est prédéfini : il ne se modifie pas. Pour un rôle différent, créez un rôle personnalisé à partir de celui-ci.
web-role-readonly-outranks = Ce rôle donne des droits que vous n’avez pas : vous pouvez le consulter mais pas le modifier ni le supprimer.
web-role-readonly-manage = Vous pouvez consulter ce rôle ; le modifier demande le droit « gérer les rôles ».
web-role-holders = { $count ->
    [0] Personne n’a ce rôle.
    [one] Une personne a ce rôle.
   *[other] { $count } personnes ont ce rôle.
}
web-role-delete = Supprimer le rôle
web-role-delete-text = { $count ->
    [0] Personne n’a ce rôle : il disparaît simplement.
    [one] La personne qui a ce rôle le perd (son compte reste). C’est définitif.
   *[other] Les { $count } personnes qui ont ce rôle le perdent (leurs comptes restent). C’est définitif.
}
web-role-delete-confirm = Oui, supprimer ce rôle
web-role-holder-org-wide = dans toute l’organisation
web-role-holder-in-groups = dans : { $groups }
web-role-holders-all = { $count ->
    [0] Voir la liste des utilisateurs
    [one] Voir la personne qui a ce rôle dans la liste des utilisateurs
   *[other] Voir les { $count } personnes qui ont ce rôle dans la liste des utilisateurs
  }
web-perm-explain-users-view = Voir la liste des personnes et leurs fiches (nom, e-mail, téléphone, rôles).
web-perm-explain-users-create = Ajouter des personnes une par une.
web-perm-explain-users-edit = Changer le profil, l’identifiant et l’adresse e-mail des personnes.
web-perm-explain-users-disable = Désactiver et réactiver des comptes, fermer leurs sessions, réinitialiser leur connexion en deux étapes.
web-perm-explain-users-delete = Supprimer un compte pour de bon (ses données personnelles sont effacées).
web-perm-explain-users-import = Importer une liste de personnes depuis un tableur (Excel, LibreOffice, CSV).
web-perm-explain-users-export = Télécharger la liste des personnes dans un tableur.
web-perm-explain-users-invite = Envoyer le courriel d’invitation, ou un lien pour choisir un nouveau mot de passe.
web-perm-explain-roles-assign = Donner et retirer des rôles aux personnes (seulement des rôles dont on a soi-même tous les droits).
web-perm-explain-roles-manage = Créer, modifier et supprimer les rôles personnalisés.
web-perm-explain-groups-manage = Créer, renommer et supprimer les groupes, et y ajouter ou en retirer des personnes.
web-perm-explain-org-settings = Changer les réglages de l’organisation : nom, langue, fuseau horaire, champs obligatoires, connexion en deux étapes, expéditeur, durée des liens.
web-perm-explain-audit-read = Lire le journal de ce qui a été fait, par qui et quand.
web-perm-explain-email-signature = Avoir une signature ajoutée aux courriels envoyés en son nom.
web-perm-explain-apps-manage = Inscrire les applications de l’organisation (connexion unique OpenID Connect), les modifier, renouveler leur secret et les supprimer.
web-settings-title = Réglages de l’organisation
web-settings-org = Organisation
web-settings-name = Nom de l’organisation
web-settings-language = Langue par défaut
web-settings-language-hint = Celle des pages et des courriels quand la personne n’en a pas choisi.
web-settings-country = Pays
web-settings-country-hint = Pour lire les numéros de téléphone écrits à la façon du pays (06 12 34 56 78, (514) 555-1234).
web-settings-time-zone = Fuseau horaire
web-settings-time-zone-hint = Les dates des pages, des courriels et des exports sont données à l’heure de ce fuseau (nom IANA, par exemple Europe/Paris, America/Toronto).
web-country-FR = France
web-country-BE = Belgique
web-country-CH = Suisse
web-country-LU = Luxembourg
web-country-MC = Monaco
web-country-CA = Canada
web-settings-required = Champs obligatoires
web-settings-required-hint = Ce que chaque fiche doit contenir, à l’ajout, à la modification et à l’import.
web-settings-always = (toujours obligatoire)
web-settings-two-factor = Connexion en deux étapes
web-settings-two-factor-hint = Les personnes qui ont l’un de ces rôles doivent activer la connexion en deux étapes avant d’utiliser Sésame.
web-settings-mail = Courriels
web-settings-mail-from-name = Nom de l’expéditeur
web-settings-mail-from-name-hint = Laissez vide : le nom de l’organisation.
web-settings-mail-from-address = Adresse de l’expéditeur
web-settings-mail-from-address-hint = Laissez vide : l’adresse réglée sur le serveur.
web-settings-links = Durée des liens envoyés
web-settings-invitation-ttl = Validité du lien d’invitation, en heures
web-settings-invitation-ttl-hint = De 1 à 720 heures (168 heures = une semaine).
web-settings-reset-ttl = Validité du lien de nouveau mot de passe, en minutes
web-settings-reset-ttl-hint = De 5 à 1440 minutes (60 minutes = une heure).
web-done-group-created = Le groupe est créé.
web-done-group-deleted = Le groupe est supprimé.
web-done-role-created = Le rôle est créé.
web-done-role-deleted = Le rôle est supprimé.

## Roles by place: the Add form and the Roles tab (issue 18, point 4)
web-scopes-held = Rôles détenus
web-scopes-none = Aucun rôle pour l’instant.
web-scopes-in = dans { $group }
web-scopes-everywhere = toute l’organisation
web-scopes-take-back = Retirer
web-scopes-kept = Vous ne pouvez pas retirer ce rôle : il reste.
web-scopes-give = Donner des rôles
web-scopes-give-hint = Pour chaque rôle, cochez où il s’applique : dans toute l’organisation, ou seulement dans certains groupes (plusieurs à la fois si besoin). Les rôles déjà détenus ne changent pas.
web-scopes-give-hint-new = Pour chaque rôle, cochez où il s’applique : dans toute l’organisation, ou seulement dans certains groupes (plusieurs à la fois si besoin).
web-scopes-give-none = Vous ne pouvez donner aucun autre rôle à cette personne.
web-scopes-organisation = Toute l’organisation
web-scopes-groups-hint = Cochez les groupes dont la personne est membre. Un rôle donné dans un groupe en fait aussi membre.
web-scopes-other-groups = Aussi membre de : { $groups }.
web-scopes-group-required = Cochez au moins un groupe, ou donnez un rôle dans l’un d’eux : vous ne pouvez ajouter des personnes que dans vos groupes ({ $groups }).

## Authentification unique (OpenID Connect, issue 21)
oidc-org-unknown = Aucune organisation ne correspond à cette adresse. Vérifiez le lien de l'application.
oidc-unavailable = Le service de connexion est momentanément indisponible. Réessayez dans un instant.
oidc-client-missing = L'application n'a pas dit qui elle est (paramètre client_id manquant). Signalez-le à son administrateur.
oidc-client-unknown = Cette application n'est pas enregistrée dans Sésame pour cette organisation (client_id inconnu). Signalez-le à son administrateur.
oidc-redirect-missing = L'application n'a pas indiqué où revenir (paramètre redirect_uri manquant). Signalez-le à son administrateur.
oidc-redirect-unregistered = L'adresse de retour demandée par l'application n'est pas enregistrée dans Sésame : par prudence, vous n'y êtes pas renvoyé. Son administrateur doit ajouter cette adresse de retour à l'application.
forward-rd-missing = L'application n'a pas indiqué quelle page ouvrir après la connexion. Rouvrez l'application depuis son adresse habituelle.
forward-rd-unregistered = La page de retour n'est pas à l'adresse d'une application enregistrée dans Sésame : par prudence, vous n'y êtes pas renvoyé. Son administrateur doit ajouter cette adresse (hôte) à l'application.
forward-code-invalid = Ce lien de connexion a expiré ou a déjà servi. Rouvrez l'application : vous y entrerez.
web-oidc-consent-title = Autoriser « { $app } » ?
web-oidc-consent-intro = L'application « { $app } » demande à utiliser votre compte Sésame. Elle recevra :
web-oidc-consent-person = Vous êtes connecté en tant que
web-oidc-consent-withdraw = Vous pourrez retirer cette autorisation à tout moment dans « Mon compte ».
web-oidc-consent-allow = Autoriser
web-oidc-consent-deny = Refuser
web-oidc-scope-openid = votre identifiant Sésame (un numéro qui ne change pas)
web-oidc-scope-profile = votre identifiant de connexion, vos nom et prénom, votre langue
web-oidc-scope-email = votre adresse e-mail
web-oidc-scope-phone = votre numéro de téléphone
web-oidc-scope-groups = les noms des groupes dont vous faites partie
web-oidc-scope-roles = vos rôles (et le groupe où vous les tenez)
web-oidc-scope-offline-access = un accès qui dure quand vous n'êtes plus connecté
web-oidc-no-access-title = Accès non autorisé
web-oidc-no-access-text = Votre compte ne donne pas accès à « { $app } » : elle est réservée aux membres de certains groupes. Si vous pensez devoir y accéder, demandez à un administrateur de votre organisation.
web-oidc-no-access-back = Revenir à l'application
web-oidc-home = Aller à l'accueil de Sésame
web-oidc-logout-title = Déconnexion
web-oidc-logout-ask = Voulez-vous vous déconnecter de Sésame et des applications où vous êtes entré avec ?
web-oidc-logout-ask-app = L'application « { $app } » demande à vous déconnecter. Voulez-vous vous déconnecter de Sésame et des applications où vous êtes entré avec ?
web-oidc-logout-confirm = Me déconnecter
web-oidc-logout-stay = Rester connecté
web-oidc-logout-done = Vous êtes déconnecté de Sésame et des applications où vous étiez entré avec.
web-oidc-logout-done-unregistered = Vous êtes déconnecté. L'application a demandé à vous renvoyer vers une adresse qui n'est pas enregistrée dans Sésame : par prudence, vous restez ici.
web-oidc-logout-again = Se reconnecter
## Applications (clients OpenID Connect)
notfound-app = Application introuvable.
app-uri-invalid = { $field } : « { $value } » n’est pas une adresse complète : écrivez-la en entier, en commençant par https://.
app-uri-fragment = { $field } : « { $value } » ne doit pas contenir de partie « # » (fragment).
app-uri-credentials = { $field } : « { $value } » ne doit contenir ni nom d’utilisateur ni mot de passe.
app-uri-not-https = { $field } : « { $value } » doit commencer par https:// (http:// n’est accepté que sur cette machine : 127.0.0.1, [::1] ou localhost).
app-uri-custom-confidential = { $field } : le schéma « { $scheme } » de « { $value } » est réservé aux applications publiques (applications mobiles ou de bureau) ; une application confidentielle utilise une adresse https://.
app-uri-custom-scheme = { $field } : « { $scheme } » n’est pas un schéma utilisable pour « { $value } » : le schéma d’une application mobile est un nom de domaine inversé avec un point, comme fr.amisgest.app:/callback.
app-redirect-required = { $field } : indiquez au moins une adresse de redirection, où l’application reçoit la personne après sa connexion (ou, pour une application derrière l’authentification par le proxy, son hôte).
app-group-unknown = { $field } : l’organisation n’a pas de groupe « { $value } ».
app-lifetime-range = { $field } : { $value } est hors des limites acceptées : de { $min } à { $max } { $max ->
    [one] seconde
   *[other] secondes
  }.
app-alg-unknown = { $field } : « { $value } » n’est pas proposé ; choisissez parmi { $expected }.
app-host-invalid = { $field } : « { $value } » n’est pas un nom d’hôte comme wiki.example.org (sans https:// ni chemin).
app-public-no-secret = Une application publique n’a pas de secret : il n’y a rien à renouveler.
field-name-client-id = Identifiant client
field-name-redirect-uris = Adresses de redirection
field-name-post-logout-uris = Adresses après la déconnexion
field-name-backchannel-logout-uri = Adresse de déconnexion en arrière-plan
field-name-launch-url = Adresse de lancement
field-name-logo-url = Adresse du logo
field-name-forward-auth-hosts = Hôtes derrière le proxy inverse
field-name-id-token-alg = Signature du jeton d’identité
field-name-access-token-lifetime-s = Durée du jeton d’accès (secondes)
field-name-refresh-token-lifetime-s = Durée du jeton de rafraîchissement (secondes)
field-name-public = Application publique
field-name-trusted = Application de confiance
web-account-apps = Applications autorisées
web-account-apps-none = Vous n'avez autorisé aucune application à utiliser votre compte.
web-account-apps-name = Application
web-account-apps-since = Autorisée le
web-account-apps-action = Action
web-account-apps-withdraw = Retirer l'autorisation
web-account-apps-withdraw-named = Retirer l'autorisation de { $app }
web-done-app-withdrawn = Autorisation retirée : l'application ne peut plus utiliser votre compte et vous le redemandera.

## Pages : applications et « Mes applications »
web-nav-apps = Applications
web-apps-title = Applications
web-apps-intro = Les applications de l’organisation (site, nuage, application mobile…) qui connectent leurs utilisateurs avec Sésame. Chacune reçoit qui est la personne, ses groupes et ses rôles.
web-apps-new = Inscrire une application
web-apps-none = Aucune application n’est encore inscrite.
web-apps-col-name = Application
web-apps-col-kind = Type
web-apps-col-groups = Qui peut l’utiliser
web-apps-col-client-id = Identifiant client (client_id)
web-app-public = Publique (application mobile ou de bureau)
web-app-confidential = Confidentielle (avec un secret)
web-app-groups-everyone = Tous les membres
web-app-groups-nobody = Personne : ses groupes ont été supprimés (choisissez à nouveau qui peut l’utiliser)
web-app-name = Nom
web-app-public-field = Application publique
web-app-public-hint = Une application mobile, de bureau ou dans le navigateur, qui ne peut pas garder de secret : elle n’en reçoit pas et doit utiliser PKCE.
web-app-trusted-field = Application de confiance
web-app-trusted-hint = Une application de l’organisation elle-même : on ne demande pas leur consentement aux personnes.
web-app-redirect-hint = Une adresse par ligne, exactement comme l’application l’envoie (https://… ; http:// seulement sur 127.0.0.1 ou localhost ; le schéma d’une application mobile comme fr.amisgest.app:/callback pour une application publique).
web-app-post-logout-hint = Facultatif. Une adresse par ligne, où l’application peut renvoyer les personnes après la déconnexion.
web-app-backchannel-hint = Facultatif. Sésame appelle cette adresse quand une personne se déconnecte, pour que l’application ferme aussi sa session.
web-app-launch-hint = Facultatif. Où mène la tuile de l’application sur la page d’accueil des membres.
web-app-logo-hint = Facultatif. Une image pour la tuile (https://…) ; sans elle, l’initiale du nom.
web-app-groups = Qui peut l’utiliser
web-app-access-all = Tous les membres de l’organisation
web-app-access-groups = Seulement les membres de ces groupes :
web-app-no-groups = L’organisation n’a pas encore de groupe.
app-groups-none-ticked = { $field } : cochez au moins un groupe, ou choisissez tous les membres de l’organisation.
web-app-advanced = Réglages avancés
web-app-hosts-hint = Facultatif. Pour un site derrière un proxy inverse (authentification déléguée) : ses noms d’hôte, un par ligne, comme wiki.example.org.
web-app-alg-hint = RS256 convient à toutes les applications ; EdDSA seulement si elle le demande.
web-app-access-hint = En secondes, de 60 à 86400 (un jour).
web-app-refresh-hint = En secondes, de 3600 (une heure) à 31536000 (un an).
web-app-secret-title = Le secret client
web-app-secret-once = Copiez-le maintenant dans les réglages de l’application : il ne sera plus affiché. Seule son empreinte est conservée.
web-app-client-secret = Secret client (client_secret)
web-app-edit = Réglages
web-app-create = Inscrire l’application
web-app-rotate = Renouveler le secret
web-app-rotate-text = Un nouveau secret est créé et affiché une fois ; l’actuel cesse aussitôt de fonctionner : il faudra donner le nouveau à l’application.
web-app-delete = Supprimer l’application
web-app-delete-text = Les personnes ne pourront plus s’y connecter avec Sésame, et les sessions qu’elle a ouvertes prennent fin.
web-app-delete-confirm = Oui, supprimer cette application
web-done-app-created = L’application est inscrite.
web-done-app-secret = Le secret est renouvelé.
web-done-app-deleted = L’application est supprimée.
web-home-apps-title = Mes applications
web-2fa-codes-continue = J'ai noté mes codes : continuer vers l'application

## Délai de grâce de la connexion en deux étapes exigée (issue 22)
field-name-two-factor-grace-days = Délai pour activer la connexion en deux étapes
field-name-days = Nombre de jours
field-name-two-factor = Connexion en deux étapes
mfa-grace-days-range = Le délai pour activer la connexion en deux étapes doit être un nombre entier de jours, entre zéro (aucun délai) et { $max }.
mfa-grace-not-required = Aucun rôle de cette personne n’exige la connexion en deux étapes : il n’y a pas de délai à prolonger.
mfa-grace-until-range = Choisissez une date à venir, au plus { $max } { $max ->
    [one] jour
   *[other] jours
} après aujourd’hui.
mfa-grace-days-or-until = Indiquez soit un nombre de jours (de 1 à 365), soit une date.
date-invalid = « { $value } » n’est pas une date : écrivez-la AAAA-MM-JJ, par exemple 2026-12-31.
two-factor-filter-unknown = Filtre de connexion en deux étapes inconnu « { $value } » : choisissez parmi { $expected }.
mail-mfa-grace-started-subject = { $org } : activez la connexion en deux étapes d’ici { $days } { $days ->
    [one] jour
   *[other] jours
}
mail-mfa-grace-started-intro = Votre organisation { $org } exige désormais la connexion en deux étapes pour l’un des rôles de votre compte { $login }. Vous pouvez encore vous connecter avec votre seul mot de passe jusqu’au { $date } ({ $days } { $days ->
    [one] jour
   *[other] jours
}) ; ensuite, la connexion vous mènera d’abord à son activation.
mail-mfa-grace-soon-subject = { $org } : plus que { $days } { $days ->
    [one] jour
   *[other] jours
} pour activer la connexion en deux étapes
mail-mfa-grace-soon-intro = Il vous reste { $days } { $days ->
    [one] jour
   *[other] jours
}, jusqu’au { $date }, pour activer la connexion en deux étapes sur votre compte { $login } dans { $org }.
mail-mfa-grace-last-day-subject = { $org } : dernier jour pour activer la connexion en deux étapes
mail-mfa-grace-last-day-intro = C’est le dernier jour : après le { $date }, votre compte { $login } dans { $org } ne s’ouvrira qu’une fois la connexion en deux étapes activée.
mail-mfa-grace-how = Il suffit d’une application d’authentification sur votre téléphone (par exemple Google Authenticator, Microsoft Authenticator ou FreeOTP) : connectez-vous, puis suivez les étapes de Mon compte → Connexion en deux étapes. Cela prend deux minutes.
mail-mfa-grace-action = Activer la connexion en deux étapes
mail-mfa-grace-why = Vous recevez ce message parce qu’un rôle de votre compte exige la connexion en deux étapes ; il cessera dès qu’elle sera activée.
web-grace-banner = Votre organisation exige la connexion en deux étapes pour l’un de vos rôles. Il vous reste { $days } { $days ->
    [one] jour
   *[other] jours
} pour l’activer (jusqu’au { $date }) ; ensuite, elle vous sera demandée à la connexion.
web-grace-banner-label = Connexion en deux étapes à activer
web-settings-grace-days = Délai pour l’activer, en jours
web-settings-grace-days-hint = De 0 à 365 jours : pendant ce délai, une personne qui reçoit l’un de ces rôles se connecte comme avant et reçoit des rappels. 0 : elle doit l’activer dès sa prochaine connexion.
web-users-col-two-factor = Connexion en deux étapes
web-users-two-factor = Connexion en deux étapes
web-users-two-factor-without = Sans connexion en deux étapes
web-users-two-factor-with = Avec connexion en deux étapes
web-2fa-state-enabled = Activée
web-2fa-state-not-required = Non activée
web-2fa-state-grace = Exigée, à activer avant le { $date }
web-2fa-state-required = Exigée, délai dépassé : à activer à la prochaine connexion
web-access-extend-2fa = Prolonger le délai de la connexion en deux étapes
web-access-extend-2fa-text = Donnez plus de temps à cette personne pour activer la connexion en deux étapes : un nombre de jours en plus, ou une date.
web-access-extend-2fa-days = Jours en plus
web-access-extend-2fa-until = Ou jusqu’au
web-access-extend-2fa-submit = Prolonger le délai
web-done-two-factor-extended = Le délai est prolongé.
web-email-kind-mfa-grace-started = Connexion en deux étapes à activer
web-email-kind-mfa-grace-soon = Rappel : connexion en deux étapes
web-email-kind-mfa-grace-last-day = Dernier jour : connexion en deux étapes
web-audit-action-mfa-grace-extend = a prolongé le délai de la connexion en deux étapes
cli-two-factor-extended = { $login } a jusqu’au { $date } pour activer la connexion en deux étapes.
## Invitations suivies jusqu'au bout (issue 23)
field-name-invitation-reminder-days = Rappels des invitations
field-name-ids = Personnes choisies
field-name-select = Personnes à relancer
invitation-state-unknown = État d’invitation inconnu « { $value } » : choisissez parmi { $expected }.
invitation-select-unknown = « { $value } » ne désigne pas un groupe de personnes à relancer : choisissez parmi { $expected }.
invitation-ids-or-select = Indiquez soit les personnes à relancer (ids), soit un groupe (select : all, expired, failed ou not_sent), mais pas les deux.
invitation-not-pending = « { $value } » ne désigne personne qui soit invité et pas encore actif (déjà actif, désactivé, ou inconnu) : rechargez la liste des invitations.
invitation-recipient-busy = L’adresse { $address } a déjà reçu { $limit } { $limit ->
    [one] e-mail envoyé
   *[other] e-mails envoyés
} un par un dans l’heure : réessayez plus tard.
invitation-reminders-too-many = Au plus { $max } { $max ->
    [one] rappel
   *[other] rappels
} par invitation.
invitation-reminder-day-range = « { $value } » ne convient pas comme jour de rappel : indiquez des nombres entiers de jours après l’invitation, de 1 à { $max }, séparés par des virgules (par exemple 3, 7), ou laissez vide pour aucun rappel.
invitation-reminder-day-twice = Le jour { $value } figure deux fois dans les rappels : chaque jour une seule fois.
web-invitations-none-ticked = Cochez au moins une personne, ou choisissez « Relancer tout le monde ».
mail-invitation-reminder-subject = Rappel : votre compte { $org } vous attend toujours
mail-invitation-reminder-intro = Vous avez été invité à rejoindre { $org } il y a { $days } { $days ->
    [one] jour
   *[other] jours
}, mais votre compte n’est pas encore activé. Voici un nouveau lien pour choisir votre mot de passe (le précédent ne fonctionne plus).
mail-invitation-reminder-intro-by = { $actor } vous a invité à rejoindre { $org } il y a { $days } { $days ->
    [one] jour
   *[other] jours
}, mais votre compte n’est pas encore activé. Voici un nouveau lien pour choisir votre mot de passe (le précédent ne fonctionne plus).
mail-invitation-reminder-why = Vous recevez ce rappel parce qu’un compte vous attend dans { $org } ; les rappels cessent dès que votre compte est activé. Si vous ne souhaitez pas de compte, ignorez ce message.
web-email-reason-activated = La personne a activé son compte avant le départ de ce rappel : il ne partira pas, et c’est voulu.
web-email-kind-invitation-reminder = Rappel d’invitation
web-settings-reminder-days = Rappels des invitations, en jours après l’invitation
web-settings-reminder-days-hint = Par exemple « 3, 7 » : un rappel avec un nouveau lien au bout de 3 jours puis de 7 jours, à qui n’a pas encore activé son compte ; ensuite, plus rien. Laissez vide pour ne jamais relancer.
web-users-invitations = Invitations : { $pending } en attente, { $expired } { $expired ->
    [one] expirée
   *[other] expirées
}, { $failed } non { $failed ->
    [one] distribuée
   *[other] distribuées
} — suivre les invitations
web-access-invitation = Invitation : { $state }.
web-access-all-invitations = Toutes les invitations
web-invitations-title = Invitations
web-invitations-intro = Les personnes invitées qui n’ont pas encore activé leur compte : quand et par qui elles ont été invitées, jusqu’à quand leur lien fonctionne, et ce qu’est devenu le dernier e-mail. Un nouvel envoi contient un nouveau lien ; le précédent cesse de fonctionner.
web-invitations-reminders-on = Rappels automatiques, en jours après l’invitation : { $list }.
web-invitations-reminders-off = Rappels automatiques : désactivés.
web-invitations-change-setting = Modifier
web-invitations-state = État de l’invitation
web-invitation-state-pending = En attente
web-invitation-state-expired = Lien expiré
web-invitation-state-failed = Non distribuée
web-invitation-state-not-sent = Jamais envoyée
web-invitations-col-pick = Choisir
web-invitations-col-person = Personne
web-invitations-col-state = État
web-invitations-col-invited = Invitée
web-invitations-col-link = Lien
web-invitations-col-reminders = Rappels
web-invitations-col-email = Dernier e-mail
web-invitations-pick = Choisir { $name }
web-invitation-never-sent = Aucune invitation envoyée
web-invitation-invited-by = Le { $date }, par { $name }
web-invitation-invited-at = Le { $date }
web-invitation-expires-on = Fonctionne jusqu’au { $date }
web-invitation-expired-on = A expiré le { $date }
web-invitation-reminders-sent = { $count ->
    [0] Aucun rappel envoyé.
    [one] Un rappel envoyé.
   *[other] { $count } rappels envoyés.
}
web-invitation-next-reminder = Prochain le { $date }.
web-invitation-delivery-sent = Distribué le { $date }
web-invitation-delivery-retrying = Le serveur de messagerie ne l’a pas encore accepté : nouvel essai le { $date }
web-invitation-delivery-failed = Refusé par le serveur de messagerie : l’adresse est peut-être fausse. Corrigez-la, puis renvoyez l’invitation.
web-invitation-delivery-queued = En cours d’envoi
web-invitations-none = Tout le monde a activé son compte : aucune invitation en attente.
web-invitations-resend-ticked = Renvoyer aux personnes cochées
web-invitations-renew-expired = { $count ->
    [one] Renouveler le lien expiré
   *[other] Renouveler les { $count } liens expirés
}
web-invitations-resend-all = Relancer tout le monde ({ $count })
web-invitations-resend-hint = Chaque personne reçoit un nouveau lien dans sa langue ; l’ancien cesse de fonctionner. Une adresse qui a déjà reçu 5 e-mails dans l’heure est laissée de côté.
web-invitations-first = ← Début de la liste
web-invitations-sent = { $count ->
    [0] Aucune invitation envoyée.
    [one] Une invitation envoyée.
   *[other] { $count } invitations envoyées.
}
web-invitations-skipped = { $count ->
    [one] Une personne n’a pas reçu de nouvelle invitation :
   *[other] { $count } personnes n’ont pas reçu de nouvelle invitation :
}
cli-invitations-none = Aucune invitation en attente.
cli-invitations-sent = { $count ->
    [0] Aucune invitation envoyée.
    [one] Une invitation envoyée.
   *[other] { $count } invitations envoyées.
}
cli-invitations-skipped = { $login } : pas de nouvelle invitation ({ $reason })
# Clés d'accès (issue 22)
notfound-passkey = Clé d'accès introuvable (déjà supprimée ?).
passkey-unavailable = Les clés d'accès demandent que le serveur soit joint par un nom de domaine (pas une adresse IP) : demandez à votre équipe technique de le démarrer avec --public-url (par exemple https://comptes.example.org).
passkey-ceremony = Cette demande de clé d'accès a expiré (au bout de 5 minutes) ou a déjà servi : recommencez.
passkey-user-not-verified = Votre appareil n'a pas vérifié que c'est bien vous (empreinte, visage ou code) : activez le verrouillage de l'écran de l'appareil et réessayez, ou connectez-vous avec votre mot de passe.
passkey-counter = Cette clé d'accès est refusée : son compteur de signatures a reculé, l'appareil a peut-être été copié. Connectez-vous avec votre mot de passe et supprimez cette clé dans Mon compte ; la tentative a été enregistrée.
passkey-wrong-site = Cette réponse de clé d'accès a été faite pour une autre adresse que celle de ce serveur : ouvrez Sésame à son adresse habituelle et réessayez.
passkey-refused = La réponse de la clé d'accès n'a pas pu être vérifiée : réessayez, ou utilisez une autre clé ou votre mot de passe.
passkey-malformed = La réponse du navigateur n'est pas une clé d'accès (PublicKeyCredential.toJSON()) : réessayez avec un navigateur à jour.
passkey-name-empty = Donnez un nom à la clé d'accès (par exemple « Téléphone »).
passkey-name-control = Le nom ne peut contenir ni retour à la ligne ni caractère de contrôle.
passkey-already-registered = Cet appareil a déjà une clé d'accès pour ce site : utilisez-la pour vous connecter, ou supprimez d'abord l'ancienne dans Mon compte.
passkey-required-by-role = Votre organisation exige la connexion en deux étapes pour l'un de vos rôles et c'est votre dernier second facteur : ajoutez une autre clé d'accès ou une application d'authentification avant de la supprimer.
passkey-none = Cette personne n'a aucune clé d'accès.
passkey-unknown = Cette clé d'accès n'est pas enregistrée ici (elle a peut-être été supprimée) : connectez-vous avec votre identifiant et votre mot de passe, puis ajoutez-la de nouveau dans Mon compte.
passkey-none-for-sign-in = Vous n'avez aucune clé d'accès : saisissez plutôt le code de votre application d'authentification.
mail-passkey-added-subject = Une clé d'accès a été ajoutée à votre compte { $org }
mail-passkey-added-intro = La clé d'accès « { $device } » vient d'être ajoutée à votre compte { $login } dans { $org } : elle vous connecte désormais avec le déverrouillage de cet appareil (empreinte, visage ou code).
mail-passkey-removed-subject = Une clé d'accès a été supprimée de votre compte { $org }
mail-passkey-removed-intro = La clé d'accès « { $device } » vient d'être supprimée de votre compte { $login } dans { $org } : elle ne vous connecte plus.
mail-passkey-removed-intro-by = { $actor } a supprimé les clés d'accès de votre compte { $login } dans { $org } : elles ne vous connectent plus. Vous pouvez en ajouter de nouvelles depuis votre compte.
web-audit-action-passkey-add = a ajouté une clé d'accès
web-audit-action-passkey-rename = a renommé une clé d'accès
web-audit-action-passkey-remove = a supprimé une clé d'accès
web-audit-action-passkey-reset = a supprimé les clés d'accès de quelqu'un
web-audit-action-passkey-counter-regressed = a utilisé une clé d'accès dont le compteur a reculé (refusé)
web-email-kind-passkey-added = Clé d'accès ajoutée
web-email-kind-passkey-removed = Clé d'accès supprimée
web-passkeys-title = Clés d'accès
web-passkeys-intro = Une clé d'accès vous connecte avec le déverrouillage de cet appareil (empreinte, visage ou code), sans rien saisir. Elle compte aussi comme connexion en deux étapes.
web-passkeys-count = { $count ->
    [0] Aucune clé d'accès pour l'instant.
    [one] Une clé d'accès.
   *[other] { $count } clés d'accès.
}
web-passkeys-manage = Gérer mes clés d'accès
web-passkeys-list = Mes clés d'accès
web-passkeys-none = Vous n'avez encore aucune clé d'accès.
web-passkeys-back = Retour à la connexion en deux étapes
web-passkey-add-title = Ajouter une clé d'accès
web-passkey-add = Ajouter une clé d'accès
web-passkey-name = Nom
web-passkey-name-hint = facultatif : par défaut, celui de l'appareil (par exemple « Chrome · Android »)
web-passkey-new-name = Nouveau nom
web-passkey-rename = Renommer
web-passkey-remove = Supprimer
web-passkey-remove-named = Supprimer la clé d'accès { $name }
web-passkey-added = Ajoutée { $when }.
web-passkey-used = Dernière utilisation { $when }.
web-passkey-never-used = Pas encore utilisée pour se connecter.
web-passkey-needs-script = Ajouter une clé d'accès demande JavaScript : activez-le pour ce site, ou utilisez une application d'authentification.
web-passkey-sign-in = Se connecter avec une clé d'accès
web-passkey-waiting-create = Suivez les instructions du navigateur : déverrouillez l'appareil (empreinte, visage ou code) pour créer la clé d'accès.
web-passkey-waiting-get = Suivez les instructions du navigateur : choisissez votre clé d'accès et déverrouillez l'appareil.
web-passkey-error-registered = Cet appareil a déjà une clé d'accès pour votre compte : rien à ajouter. Utilisez-la pour vous connecter, ou supprimez d'abord l'ancienne ci-dessous.
web-passkey-error-refused = La clé d'accès n'a pas été créée : c'était annulé, trop long, ou l'appareil n'a pas pu vérifier que c'est vous. Réessayez et déverrouillez l'appareil quand il le demande (empreinte, visage ou code).
web-passkey-error-refused-get = Aucune clé d'accès n'a été utilisée : c'était annulé, trop long, ou l'appareil n'a pas pu vérifier que c'est vous. Réessayez et déverrouillez l'appareil quand il le demande, ou utilisez votre mot de passe.
web-passkey-error-security = Le navigateur refuse les clés d'accès à cette adresse : ouvrez Sésame à son adresse habituelle (https://…), pas une adresse IP.
web-passkey-error-failed = La clé d'accès n'a pas fonctionné : réessayez, ou utilisez votre mot de passe.
web-passkey-error-unsupported = Ce navigateur ne sait pas utiliser les clés d'accès : mettez-le à jour, ou utilisez un autre navigateur ou une application d'authentification.
web-code-passkey-intro = Ou utilisez l'une de vos clés d'accès.
web-code-passkey = Utiliser une clé d'accès
web-done-passkey-added = La clé d'accès a été ajoutée : vous pouvez maintenant vous connecter avec.
web-done-passkey-renamed = La clé d'accès a été renommée.
web-done-passkey-removed = La clé d'accès a été supprimée : elle ne vous connecte plus.

## Moving in from WordPress (issue 23)
field-name-password-hash = Mot de passe chiffré
password-hash-unknown = Ce mot de passe chiffré n'est pas d'un type connu : attendu celui de WordPress (« $P$… », « $wp$2y$… ») ou bcrypt (« $2y$… », « $2b$… »), tel que l'export le donne, ou une cellule vide.
password-hash-too-costly = Ce mot de passe chiffré est trop coûteux à vérifier (coût au-delà de { $max }) : laissez la cellule vide, la personne sera invitée à choisir son mot de passe.
permission-administrators-only = Seul un administrateur (qui a toutes les permissions dans toute l'organisation) peut faire cela ; il vous manque : { $permission }.
cli-role-map-file = Impossible de lire le fichier de correspondance des rôles { $path } : { $error }
import-role-map-line = Correspondance des rôles, ligne { $line } : attendu « rôle du fichier = rôle de Sésame » (rien après « = » pour aucun rôle).
import-role-map-invalid = La correspondance des rôles doit être un objet JSON dont chaque valeur est le nom d'un rôle ou null, par exemple {"{"}"subscriber": "Amapien", "editor": null{"}"}.
import-role-map-unknown = Correspondance des rôles : « { $source } » donnerait le rôle « { $value } », qui n'existe pas. Rôles possibles : { $expected }.
web-import-role-map = Correspondance des rôles
web-import-role-map-hint = Chaque rôle du fichier (WordPress, Amapress) donne le rôle choisi ici aux personnes créées ; « Aucun rôle » n'en donne pas. Les personnes déjà présentes gardent leurs rôles.
web-import-role-source = Rôle dans le fichier
web-import-role-target = Rôle dans Sésame
web-import-role-none = Aucun rôle
web-import-role-proposed = (proposé)
web-import-password-hashes = { $count ->
    [one] Une personne arrive avec son mot de passe WordPress : elle sera active sans invitation, et pourra se connecter avec le mot de passe qu'elle connaît.
   *[other] { $count } personnes arrivent avec leur mot de passe WordPress : elles seront actives sans invitation, et pourront se connecter avec le mot de passe qu'elles connaissent.
}
