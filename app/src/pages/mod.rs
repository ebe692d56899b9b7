//! One module per page (or group of small pages).

pub mod account;
pub mod areas;
pub mod charts;
pub mod home;
pub mod invite;
pub mod journal;
pub mod options;
pub mod settings;

/// A `next` query value that is safe to redirect to: a path on this site only.
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n,
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_must_stay_on_site() {
        assert_eq!(safe_next(Some("/invite/abc".into())), "/invite/abc");
        assert_eq!(safe_next(Some("//evil.example".into())), "/");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/");
        assert_eq!(safe_next(Some("/\\evil.example".into())), "/");
        assert_eq!(safe_next(None), "/");
    }
}
