//! Workspace roles and what each may do: the permission table of spec 001 §3.3.1,
//! extended with the workspace actions Refract needs. Pure data, tested as a full matrix.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    Member,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Admin, Role::Member, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::Member => "Member",
            Role::Viewer => "Viewer",
        }
    }

    pub fn can(self, action: Action) -> bool {
        allows(self, action)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "member" => Ok(Role::Member),
            "viewer" => Ok(Role::Viewer),
            other => Err(format!(
                "Unknown role '{other}': use owner, admin, member or viewer"
            )),
        }
    }
}

/// Everything a request may try to do inside a workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Invite, change roles, remove members (spec: canManageUsers).
    ManageMembers,
    /// Plans and billing (spec: canManageBilling).
    ManageBilling,
    /// Rename the workspace.
    ManageWorkspace,
    /// Delete the workspace with all its data.
    DeleteWorkspace,
    CreateTrades,
    EditOwnTrades,
    EditAllTrades,
    DeleteOwnTrades,
    DeleteAllTrades,
    ViewAnalytics,
    ExportOwnData,
    ExportAllData,
    ManageTags,
    /// Generate charts, run analyses, save strategies: creating workspace content.
    CreateContent,
}

impl Action {
    pub const ALL: [Action; 14] = [
        Action::ManageMembers,
        Action::ManageBilling,
        Action::ManageWorkspace,
        Action::DeleteWorkspace,
        Action::CreateTrades,
        Action::EditOwnTrades,
        Action::EditAllTrades,
        Action::DeleteOwnTrades,
        Action::DeleteAllTrades,
        Action::ViewAnalytics,
        Action::ExportOwnData,
        Action::ExportAllData,
        Action::ManageTags,
        Action::CreateContent,
    ];
}

/// The permission table. Spec 001 §3.3.1 for the journal rows; workspace rows follow the
/// same shape (owners alone bill and delete; admins manage people and the workspace).
pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    match role {
        Role::Owner => true,
        Role::Admin => !matches!(action, ManageBilling | DeleteWorkspace),
        Role::Member => matches!(
            action,
            CreateTrades
                | EditOwnTrades
                | DeleteOwnTrades
                | ViewAnalytics
                | ExportOwnData
                | CreateContent
        ),
        Role::Viewer => matches!(action, ViewAnalytics),
    }
}

/// May `actor` (with role `actor_role`) set a member whose role is `current` to `new`?
/// Admins manage Members and Viewers but never touch owners or make new ones.
pub fn may_assign_role(actor_role: Role, current: Role, new: Role) -> bool {
    match actor_role {
        Role::Owner => true,
        Role::Admin => current != Role::Owner && new != Role::Owner,
        Role::Member | Role::Viewer => false,
    }
}

/// Roles an inviter may hand out.
pub fn may_invite_as(actor_role: Role, role: Role) -> bool {
    allows(actor_role, Action::ManageMembers) && may_assign_role(actor_role, Role::Viewer, role)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole matrix, written out so a change to the table shows up as a test diff.
    #[test]
    fn permission_matrix_matches_spec_001() {
        use Action::*;
        #[rustfmt::skip]
        let expected: [(Action, [bool; 4]); 14] = [
            //                    Owner  Admin  Member Viewer
            (ManageMembers,      [true,  true,  false, false]),
            (ManageBilling,      [true,  false, false, false]),
            (ManageWorkspace,    [true,  true,  false, false]),
            (DeleteWorkspace,    [true,  false, false, false]),
            (CreateTrades,       [true,  true,  true,  false]),
            (EditOwnTrades,      [true,  true,  true,  false]),
            (EditAllTrades,      [true,  true,  false, false]),
            (DeleteOwnTrades,    [true,  true,  true,  false]),
            (DeleteAllTrades,    [true,  true,  false, false]),
            (ViewAnalytics,      [true,  true,  true,  true ]),
            (ExportOwnData,      [true,  true,  true,  false]),
            (ExportAllData,      [true,  true,  false, false]),
            (ManageTags,         [true,  true,  false, false]),
            (CreateContent,      [true,  true,  true,  false]),
        ];
        assert_eq!(expected.len(), Action::ALL.len());
        for (action, row) in expected {
            for (role, want) in Role::ALL.iter().zip(row) {
                assert_eq!(allows(*role, action), want, "{role:?} × {action:?}");
            }
        }
    }

    #[test]
    fn admins_cannot_touch_owners() {
        assert!(!may_assign_role(Role::Admin, Role::Owner, Role::Member));
        assert!(!may_assign_role(Role::Admin, Role::Member, Role::Owner));
        assert!(may_assign_role(Role::Admin, Role::Member, Role::Admin));
        assert!(may_assign_role(Role::Owner, Role::Owner, Role::Admin));
        assert!(!may_assign_role(Role::Member, Role::Viewer, Role::Member));
        assert!(may_invite_as(Role::Admin, Role::Member));
        assert!(!may_invite_as(Role::Admin, Role::Owner));
        assert!(!may_invite_as(Role::Viewer, Role::Viewer));
    }

    #[test]
    fn roles_parse_case_insensitively_with_a_clear_error() {
        assert_eq!("ADMIN".parse::<Role>(), Ok(Role::Admin));
        assert_eq!(" viewer ".parse::<Role>(), Ok(Role::Viewer));
        let err = "boss".parse::<Role>().unwrap_err();
        assert!(err.contains("boss") && err.contains("viewer"), "{err}");
    }
}
