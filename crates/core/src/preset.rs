//! The roles each kind of organisation starts with. They are ordinary rows once created: an
//! organisation may edit them or add its own.

use crate::language::Language;
use crate::org::Profile;
use crate::permission::{Permission::*, PermissionSet};

/// A preset role, before it becomes a row of an organisation.
#[derive(Debug, Clone, Copy)]
pub struct RolePreset {
    /// Stable key, kept on the row so code and tests can name presets whatever their title.
    pub key: &'static str,
    pub name_fr: &'static str,
    pub name_en: &'static str,
    pub permissions: PermissionSet,
    /// The key of a role its holder must also hold ("can be given to managers only").
    pub requires: Option<&'static str>,
    pub description_fr: &'static str,
    pub description_en: &'static str,
}

impl RolePreset {
    pub fn name(&self, lang: Language) -> &'static str {
        match lang {
            Language::Fr => self.name_fr,
            Language::En => self.name_en,
        }
    }

    pub fn description(&self, lang: Language) -> &'static str {
        match lang {
            Language::Fr => self.description_fr,
            Language::En => self.description_en,
        }
    }
}

const fn set(perms: &[crate::Permission]) -> PermissionSet {
    let mut bits = 0u32;
    let mut i = 0;
    while i < perms.len() {
        bits |= 1 << (perms[i] as u8);
        i += 1;
    }
    PermissionSet(bits)
}

const ADMIN: PermissionSet = PermissionSet::ALL;

/// Amapress's roles. Everyone but the plain member ("Amapien") may add users, as its help page
/// says; delegation then limits which roles each may hand out.
const AMAP: &[RolePreset] = &[
    RolePreset {
        key: "admin",
        name_fr: "Administrateur",
        name_en: "Administrator",
        permissions: ADMIN,
        requires: None,
        description_fr: "Tous les droits, y compris les réglages de l'AMAP.",
        description_en: "Every right, settings included.",
    },
    RolePreset {
        key: "amap_manager",
        name_fr: "Responsable de l'AMAP",
        name_en: "AMAP manager",
        permissions: set(&[
            ViewUsers,
            CreateUsers,
            EditUsers,
            DisableUsers,
            DeleteUsers,
            Import,
            Export,
            Invite,
            AssignRoles,
            ManageGroups,
            ReadAudit,
            EmailSignature,
        ]),
        requires: None,
        description_fr: "Gère les membres, les groupes et les rôles qu'il détient lui-même.",
        description_en: "Manages members, groups and the roles they hold themselves.",
    },
    RolePreset {
        key: "coordinator",
        name_fr: "Coordinateur",
        name_en: "Coordinator",
        permissions: set(&[
            ViewUsers,
            CreateUsers,
            EditUsers,
            DisableUsers,
            Import,
            Export,
            Invite,
            AssignRoles,
            ManageGroups,
            EmailSignature,
        ]),
        requires: None,
        description_fr: "Ajoute, modifie et désactive des membres ; importe et exporte la liste.",
        description_en: "Adds, edits and disables members; imports and exports the list.",
    },
    RolePreset {
        key: "treasurer",
        name_fr: "Trésorier",
        name_en: "Treasurer",
        permissions: set(&[
            ViewUsers,
            CreateUsers,
            EditUsers,
            Export,
            Invite,
            AssignRoles,
            EmailSignature,
        ]),
        requires: None,
        description_fr: "Ajoute et modifie des membres, exporte la liste.",
        description_en: "Adds and edits members, exports the list.",
    },
    RolePreset {
        key: "producer_referent",
        name_fr: "Référent producteur",
        name_en: "Producer referent",
        permissions: set(&[ViewUsers, CreateUsers, Invite, AssignRoles, EmailSignature]),
        requires: None,
        description_fr: "Ajoute les producteurs et amapiens dont il est le référent.",
        description_en: "Adds the producers and members they are the referent of.",
    },
    RolePreset {
        key: "producer",
        name_fr: "Producteur",
        name_en: "Producer",
        permissions: set(&[ViewUsers, CreateUsers, Invite, AssignRoles]),
        requires: None,
        description_fr: "Ajoute les membres de son équipe.",
        description_en: "Adds the members of their team.",
    },
    RolePreset {
        key: "member",
        name_fr: "Amapien",
        name_en: "Member",
        permissions: PermissionSet::EMPTY,
        requires: None,
        description_fr: "Membre de l'AMAP, sans droit de gestion.",
        description_en: "AMAP member, with no management right.",
    },
];

/// After Amisgest: back-office roles, then application roles that carry no back-office
/// permission but tell other applications who may use them. "Journal de bord" can be given to
/// managers only.
const DAYCARE: &[RolePreset] = &[
    RolePreset {
        key: "admin",
        name_fr: "Administration",
        name_en: "Administration",
        permissions: ADMIN,
        requires: None,
        description_fr: "Tous les droits, y compris les réglages et la signature courriel.",
        description_en: "Every right, settings and e-mail signature included.",
    },
    RolePreset {
        key: "manager",
        name_fr: "Gestionnaire",
        name_en: "Manager",
        permissions: set(&[
            ViewUsers,
            CreateUsers,
            EditUsers,
            DisableUsers,
            Import,
            Export,
            Invite,
            AssignRoles,
            ManageGroups,
            ReadAudit,
        ]),
        requires: None,
        description_fr: "Gère le personnel de ses installations.",
        description_en: "Manages the staff of their facilities.",
    },
    RolePreset {
        key: "educator",
        name_fr: "Personnel éducateur",
        name_en: "Educator",
        permissions: set(&[ViewUsers]),
        requires: None,
        description_fr: "Consulte la liste du personnel.",
        description_en: "Sees the staff list.",
    },
    RolePreset {
        key: "mobile_access",
        name_fr: "Accès mobile",
        name_en: "Mobile access",
        permissions: PermissionSet::EMPTY,
        requires: None,
        description_fr: "Peut utiliser l'application mobile.",
        description_en: "May use the mobile application.",
    },
    RolePreset {
        key: "communication_book",
        name_fr: "Cahier de communication",
        name_en: "Communication book",
        permissions: PermissionSet::EMPTY,
        requires: None,
        description_fr: "Peut écrire dans le cahier de communication.",
        description_en: "May write in the communication book.",
    },
    RolePreset {
        key: "logbook",
        name_fr: "Journal de bord",
        name_en: "Logbook",
        permissions: PermissionSet::EMPTY,
        requires: Some("manager"),
        description_fr: "Accès au journal de bord, réservé aux gestionnaires.",
        description_en: "Access to the logbook, for managers only.",
    },
];

const GENERIC: &[RolePreset] = &[
    RolePreset {
        key: "admin",
        name_fr: "Administrateur",
        name_en: "Administrator",
        permissions: ADMIN,
        requires: None,
        description_fr: "Tous les droits.",
        description_en: "Every right.",
    },
    RolePreset {
        key: "manager",
        name_fr: "Gestionnaire",
        name_en: "Manager",
        permissions: set(&[
            ViewUsers,
            CreateUsers,
            EditUsers,
            DisableUsers,
            Import,
            Export,
            Invite,
            AssignRoles,
            ManageGroups,
            ReadAudit,
            EmailSignature,
        ]),
        requires: None,
        description_fr: "Gère les membres et les groupes.",
        description_en: "Manages members and groups.",
    },
    RolePreset {
        key: "member",
        name_fr: "Membre",
        name_en: "Member",
        permissions: PermissionSet::EMPTY,
        requires: None,
        description_fr: "Membre, sans droit de gestion.",
        description_en: "Member, with no management right.",
    },
];

pub fn presets(profile: Profile) -> &'static [RolePreset] {
    match profile {
        Profile::Amap => AMAP,
        Profile::Daycare => DAYCARE,
        Profile::Generic => GENERIC,
    }
}
