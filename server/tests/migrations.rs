//! Both backends carry the same migrations under the same names.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

fn names(dir: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
    std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect()
}

#[test]
fn sqlite_and_postgres_migrations_have_identical_names() {
    let sqlite = names("migrations/sqlite");
    let postgres = names("migrations/postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
    for n in &sqlite {
        let (num, rest) = n.split_once('_').unwrap();
        assert!(
            num.len() == 4 && num.chars().all(|c| c.is_ascii_digit()),
            "{n}: NNNN_name.sql"
        );
        assert!(!rest.is_empty());
    }
}
