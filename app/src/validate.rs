//! Parse, don't validate: newtypes whose constructors are the only way in, so services
//! never see an invalid e-mail, password or name. Shared by the browser (inline form
//! messages) and the server (the authority).

use crate::error::AppError;
use serde::{Deserialize, Serialize};

pub const PASSWORD_MIN_CHARS: usize = 10;
/// Long enough for any passphrase, short enough that hashing cannot be used to burn CPU.
pub const PASSWORD_MAX_CHARS: usize = 256;
pub const NAME_MAX_CHARS: usize = 100;

/// A syntactically valid e-mail address, trimmed and lower-cased (addresses are compared
/// case-insensitively in practice, and we store one canonical form).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let s = raw.trim().to_lowercase();
        let bad = |why: &str| AppError::invalid("email", why.to_string());
        if s.is_empty() {
            return Err(bad("Enter your e-mail address"));
        }
        if s.chars().count() > 254 {
            return Err(bad(
                "That e-mail address is too long (254 characters at most)",
            ));
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(bad("An e-mail address needs an @, as in name@example.com"));
        };
        if local.is_empty() || local.len() > 64 {
            return Err(bad("The part before the @ must be 1 to 64 characters"));
        }
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@')
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if !domain_ok {
            return Err(bad(
                "The part after the @ must be a domain such as example.com",
            ));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("An e-mail address cannot contain spaces"));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the policy. Deliberately not `Serialize` and with a redacted
/// `Debug`, so it cannot end up in a log line or a response.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// Checks the policy for a new password.
    pub fn parse_new(raw: &str, field: &str) -> Result<Self, AppError> {
        let n = raw.chars().count();
        if n < PASSWORD_MIN_CHARS {
            return Err(AppError::invalid(
                field,
                format!("Use at least {PASSWORD_MIN_CHARS} characters ({n} so far)"),
            ));
        }
        if n > PASSWORD_MAX_CHARS {
            return Err(AppError::invalid(
                field,
                format!("Use at most {PASSWORD_MAX_CHARS} characters"),
            ));
        }
        if raw.trim().is_empty() {
            return Err(AppError::invalid(field, "A password cannot be only spaces"));
        }
        Ok(Self(raw.to_string()))
    }

    /// A password typed at sign-in: only bounded, never judged against the policy (the
    /// policy may have changed since the account was made).
    pub fn parse_existing(raw: &str, field: &str) -> Result<Self, AppError> {
        if raw.is_empty() {
            return Err(AppError::invalid(field, "Enter your password"));
        }
        if raw.chars().count() > PASSWORD_MAX_CHARS {
            return Err(AppError::invalid(field, "That password is too long"));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A short human name (a person, a workspace, an API key): trimmed, 1..=100 characters,
/// no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name(String);

impl Name {
    pub fn parse(raw: &str, field: &str, what: &str) -> Result<Self, AppError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(AppError::invalid(field, format!("Enter a {what}")));
        }
        if s.chars().count() > NAME_MAX_CHARS {
            return Err(AppError::invalid(
                field,
                format!("The {what} is too long ({NAME_MAX_CHARS} characters at most)"),
            ));
        }
        if s.chars().any(|c| c.is_control()) {
            return Err(AppError::invalid(
                field,
                format!("The {what} cannot contain control characters"),
            ));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_canonicalised() {
        assert_eq!(
            Email::parse("  Ana@Example.COM ").unwrap().as_str(),
            "ana@example.com"
        );
    }

    #[test]
    fn bad_emails_say_why() {
        for (raw, needle) in [
            ("", "Enter"),
            ("ana.example.com", "@"),
            ("@example.com", "before the @"),
            ("ana@example", "domain"),
            ("ana@exa mple.com", "domain"),
            ("ana@.example.com", "domain"),
            ("a b@example.com", "spaces"),
        ] {
            let e = Email::parse(raw).unwrap_err();
            assert_eq!(e.field(), Some("email"));
            assert!(e.message.contains(needle), "{raw:?}: {}", e.message);
        }
    }

    #[test]
    fn password_policy_counts_characters_not_bytes() {
        assert!(Password::parse_new("123456789", "password").is_err());
        assert!(Password::parse_new("1234567890", "password").is_ok());
        // ten characters, twenty bytes
        assert!(Password::parse_new("éééééééééé", "password").is_ok());
        let e = Password::parse_new("short", "new_password").unwrap_err();
        assert_eq!(e.field(), Some("new_password"));
        assert!(e.message.contains("10"));
        assert!(Password::parse_new(&"x".repeat(257), "password").is_err());
        assert!(Password::parse_new("          ", "password").is_err());
    }

    #[test]
    fn password_debug_is_redacted() {
        let p = Password::parse_new("correct horse battery", "password").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            Name::parse("  Ana ", "name", "name").unwrap().as_str(),
            "Ana"
        );
        assert!(Name::parse("   ", "name", "name").is_err());
        assert!(Name::parse(&"x".repeat(101), "name", "name").is_err());
        assert!(Name::parse("a\u{0007}b", "name", "name").is_err());
    }
}
