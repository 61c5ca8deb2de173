//! What a link between two people means, and what `link`/`unlink` may do to the stored ones.
//! Pure: the store hands over the links between the two, this module decides.
//!
//! A link is stored once, from its subject to its object: "Maria reports-to Tom". Some kinds
//! read the same both ways ([`SYMMETRIC_KINDS`]: Maria knows Tom is Tom knows Maria); every
//! other kind has a direction, and it is kept: unlinking "maria tom --as reports-to" removes
//! that one link, never "Tom reports-to Maria". A directed link whose reverse already exists
//! (A reports-to B while B reports-to A) would close an immediate loop and is refused.

/// Kinds that mean the same in both directions.
pub const SYMMETRIC_KINDS: &[&str] = &[
    "knows",
    "works-with",
    "partner-of",
    "married-to",
    "spouse-of",
    "friend-of",
    "sibling-of",
    "colleague-of",
    "related-to",
    "neighbor-of",
];

/// Does `kind` (normalized) read the same both ways?
pub fn is_symmetric(kind: &str) -> bool {
    SYMMETRIC_KINDS.contains(&kind)
}

/// One stored link between the two contacts in question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLink {
    pub id: i64,
    pub from: i64,
    pub to: i64,
    pub kind: String,
}

/// What `link FROM TO --as KIND` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkPlan {
    /// Store a new link (or update the note of the same one, stored the same way).
    Upsert,
    /// The same symmetric link is stored the other way round: update its note.
    UpdateReverse(i64),
    /// The reverse of this directed link exists: refuse, naming it.
    RefuseLoop(i64),
}

pub fn plan_link(from: i64, to: i64, kind: &str, between: &[StoredLink]) -> LinkPlan {
    let reverse = between
        .iter()
        .find(|l| l.from == to && l.to == from && l.kind == kind);
    match reverse {
        None => LinkPlan::Upsert,
        Some(l) if is_symmetric(kind) => LinkPlan::UpdateReverse(l.id),
        Some(l) => LinkPlan::RefuseLoop(l.id),
    }
}

/// The links `unlink ONE TWO [--as KIND]` removes: with a directed kind, only ONE→TWO; with
/// a symmetric kind, that kind either way; without a kind, every link between the two.
pub fn plan_unlink(one: i64, two: i64, kind: Option<&str>, between: &[StoredLink]) -> Vec<i64> {
    between
        .iter()
        .filter(|l| {
            let forward = l.from == one && l.to == two;
            let backward = l.from == two && l.to == one;
            match kind {
                None => forward || backward,
                Some(k) if l.kind != k => false,
                Some(k) if is_symmetric(k) => forward || backward,
                Some(_) => forward,
            }
        })
        .map(|l| l.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MARIA: i64 = 1;
    const TOM: i64 = 2;

    fn link(id: i64, from: i64, kind: &str, to: i64) -> StoredLink {
        StoredLink {
            id,
            from,
            to,
            kind: kind.into(),
        }
    }

    #[test]
    fn unlinking_a_directed_kind_keeps_the_reverse() {
        let between = [
            link(10, MARIA, "reports-to", TOM),
            link(11, TOM, "reports-to", MARIA),
            link(12, TOM, "knows", MARIA),
        ];
        assert_eq!(plan_unlink(MARIA, TOM, Some("reports-to"), &between), [10]);
        assert_eq!(plan_unlink(TOM, MARIA, Some("reports-to"), &between), [11]);
        // Symmetric: either way round is the same link.
        assert_eq!(plan_unlink(MARIA, TOM, Some("knows"), &between), [12]);
        // No kind: everything between the two.
        assert_eq!(plan_unlink(MARIA, TOM, None, &between), [10, 11, 12]);
        assert!(plan_unlink(MARIA, TOM, Some("mentor-of"), &between).is_empty());
    }

    #[test]
    fn a_directed_link_may_not_close_an_immediate_loop() {
        let between = [
            link(10, TOM, "reports-to", MARIA),
            link(11, TOM, "knows", MARIA),
        ];
        assert_eq!(
            plan_link(MARIA, TOM, "reports-to", &between),
            LinkPlan::RefuseLoop(10)
        );
        assert_eq!(
            plan_link(TOM, MARIA, "reports-to", &between),
            LinkPlan::Upsert
        );
        assert_eq!(
            plan_link(MARIA, TOM, "knows", &between),
            LinkPlan::UpdateReverse(11)
        );
        assert_eq!(
            plan_link(MARIA, TOM, "mentor-of", &between),
            LinkPlan::Upsert
        );
    }

    #[test]
    fn symmetric_kinds_are_few_and_named() {
        assert!(is_symmetric("knows") && is_symmetric("works-with") && is_symmetric("partner-of"));
        assert!(!is_symmetric("reports-to") && !is_symmetric("introduced-by"));
    }
}
