//! How captured addresses are compared, and who "me" is. `Ada+lists@Example.ORG` and
//! `ada@example.org` are one person: case is ignored (mail systems treat the local part so in
//! practice) and a `+tag` in the local part is a sub-address of the same mailbox.

use std::collections::HashSet;

/// The key an address is compared by: trimmed, without angle brackets, lowercase, and the
/// local part cut at its first `+`. `None` when it is not an address (no `@` between text).
pub fn match_key(address: &str) -> Option<String> {
    let trimmed = address
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    let (local, domain) = trimmed.rsplit_once('@')?;
    let local = local.split('+').next().unwrap_or(local);
    if local.is_empty() || domain.is_empty() || domain.contains(char::is_whitespace) {
        return None;
    }
    Some(format!(
        "{}@{}",
        local.to_lowercase(),
        domain.to_lowercase()
    ))
}

/// My addresses (`kith me add`, and `--me` for one run), by their match keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Me(HashSet<String>);

impl Me {
    pub fn new<'a>(addresses: impl IntoIterator<Item = &'a str>) -> Me {
        Me(addresses.into_iter().filter_map(match_key).collect())
    }

    pub fn contains(&self, address: &str) -> bool {
        match_key(address).is_some_and(|k| self.0.contains(&k))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_brackets_and_tags_are_ignored() {
        assert_eq!(
            match_key(" <Ada.Lovelace+kith@Example.ORG> ").as_deref(),
            Some("ada.lovelace@example.org")
        );
        assert_eq!(
            match_key("ada@example.org"),
            match_key("ADA+x+y@EXAMPLE.org")
        );
    }

    #[test]
    fn what_is_not_an_address_has_no_key() {
        assert_eq!(match_key("undisclosed-recipients"), None);
        assert_eq!(match_key("@example.org"), None);
        assert_eq!(match_key("ada@"), None);
        assert_eq!(match_key("+tag@example.org"), None);
    }

    #[test]
    fn me_matches_any_spelling_of_my_addresses() {
        let me = Me::new(["Me@Example.org", "not an address"]);
        assert!(me.contains("me+work@example.ORG"));
        assert!(!me.contains("you@example.org"));
        assert!(!Me::default().contains("me@example.org"));
    }
}
