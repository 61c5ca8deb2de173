//! Which organization `--org acme` means, and which one an email's domain points to. Pure:
//! the store supplies the organizations, this module decides.
//!
//! Organizations resolve like people: the whole name (case and accents ignored) first, then
//! a prefix of its words ("acme" → "Acme Corp"). Active organizations always come before
//! archived ones: an archived one is only found when no active one fits, and the caller
//! decides whether it may be used (a look may; joining one needs `kith org restore` first).
//! Letters scattered through a name never resolve a change; a look takes the closest one
//! when it stands clearly ahead. Nothing here creates an organization: that is explicit.

use super::{MAX_CANDIDATES, Purpose, Why, is_confident};
use crate::model::fold;
use crate::search::{Field, Matcher};

/// What a lookup needs of each organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgCandidate {
    pub id: i64,
    pub name: String,
    pub domain: Option<String>,
    pub archived: bool,
}

/// The decision about what an organization name means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgResolution {
    /// One organization fits surely (an archived one only when no active one fits).
    Confident {
        id: i64,
        archived: bool,
    },
    /// Nothing fits surely; this one is clearly the closest (only for [`Purpose::Look`]).
    Closest {
        id: i64,
        archived: bool,
        why: Why,
    },
    /// Several fit: best first, at most [`MAX_CANDIDATES`]; `loose` when none fits surely.
    Ambiguous {
        ids: Vec<i64>,
        loose: bool,
    },
    None,
}

/// How far ahead (in fuzzy score) the closest organization must be to be taken for a look.
const CLEAR_LEAD: i64 = 10;

/// Decide what `query` means among `orgs`.
pub fn decide(query: &str, orgs: &[OrgCandidate], purpose: Purpose) -> OrgResolution {
    let q = fold(query);
    if q.is_empty() {
        return OrgResolution::None;
    }
    // Active first: an archived organization is never matched ahead of an active one.
    for archived in [false, true] {
        let pool: Vec<&OrgCandidate> = orgs.iter().filter(|o| o.archived == archived).collect();
        let whole: Vec<i64> = pool
            .iter()
            .filter(|o| fold(&o.name) == q)
            .map(|o| o.id)
            .collect();
        let sure = if whole.is_empty() {
            pool.iter()
                .filter(|o| is_confident(query, &o.name, None))
                .map(|o| o.id)
                .collect()
        } else {
            whole
        };
        match sure.as_slice() {
            [] => continue,
            [id] => return OrgResolution::Confident { id: *id, archived },
            _ => {
                return OrgResolution::Ambiguous {
                    ids: sure.into_iter().take(MAX_CANDIDATES).collect(),
                    loose: false,
                };
            }
        }
    }
    loose(&q, orgs, purpose)
}

/// No organization fits surely: rank by letters in order, active ones ahead on equal scores.
fn loose(q: &str, orgs: &[OrgCandidate], purpose: Purpose) -> OrgResolution {
    let matcher = Matcher::default();
    let needle: String = q.split(' ').collect();
    let mut scored: Vec<(i64, &OrgCandidate)> = orgs
        .iter()
        .filter_map(|o| {
            let name = fold(&o.name);
            let score = matcher
                .score(&name, &needle)
                .or_else(|| name.contains(q).then_some(0))?;
            Some((score, o))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.archived.cmp(&b.1.archived))
            .then(a.1.id.cmp(&b.1.id))
    });
    match scored.as_slice() {
        [] => OrgResolution::None,
        [(best, o), rest @ ..]
            if purpose == Purpose::Look
                && rest
                    .first()
                    .is_none_or(|(next, _)| *best >= next + CLEAR_LEAD) =>
        {
            OrgResolution::Closest {
                id: o.id,
                archived: o.archived,
                why: Why(Field::Name),
            }
        }
        _ => OrgResolution::Ambiguous {
            ids: scored
                .iter()
                .take(MAX_CANDIDATES)
                .map(|(_, o)| o.id)
                .collect(),
            loose: true,
        },
    }
}

/// The organization an email address points to by its domain: the one active organization
/// whose domain is the email's domain (or a parent of it: mail.acme.example → acme.example).
/// None when no active organization, or more than one, has that domain.
pub fn by_email_domain(email: &str, orgs: &[OrgCandidate]) -> Option<i64> {
    let (_, domain) = email.trim().rsplit_once('@')?;
    let domain = domain.trim().to_lowercase();
    if domain.is_empty() {
        return None;
    }
    let fits = |org_domain: &str| {
        let org_domain = org_domain.trim().to_lowercase();
        !org_domain.is_empty()
            && (domain == org_domain
                || domain
                    .strip_suffix(&org_domain)
                    .is_some_and(|head| head.ends_with('.')))
    };
    let mut found = orgs
        .iter()
        .filter(|o| !o.archived && o.domain.as_deref().is_some_and(fits));
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one.id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: i64, name: &str, domain: Option<&str>, archived: bool) -> OrgCandidate {
        OrgCandidate {
            id,
            name: name.into(),
            domain: domain.map(str::to_string),
            archived,
        }
    }

    fn book() -> Vec<OrgCandidate> {
        vec![
            org(1, "Acme Corp", Some("acme.example"), false),
            org(2, "Globex", Some("globex.example"), false),
            org(3, "Initech", None, true),
            org(4, "Acme", None, true),
            org(5, "Umbrella Holdings", None, false),
            org(6, "Umbrella Labs", None, false),
        ]
    }

    #[test]
    fn a_prefix_of_the_name_words_finds_the_existing_organization() {
        let look = |q| decide(q, &book(), Purpose::Change);
        let active = |id| OrgResolution::Confident {
            id,
            archived: false,
        };
        assert_eq!(look("acme corp"), active(1));
        assert_eq!(look("ACME CORP"), active(1));
        assert_eq!(look("glob"), active(2));
        assert_eq!(look("umbrella lab"), active(6));
        assert_eq!(look("labs"), active(6));
    }

    #[test]
    fn an_active_organization_comes_before_an_archived_one_of_the_very_name() {
        // "Acme" (archived) is the whole name, yet the active "Acme Corp" wins.
        assert_eq!(
            decide("acme", &book(), Purpose::Change),
            OrgResolution::Confident {
                id: 1,
                archived: false
            }
        );
        // Only an archived one fits: found, and marked archived for the caller to refuse.
        assert_eq!(
            decide("initech", &book(), Purpose::Change),
            OrgResolution::Confident {
                id: 3,
                archived: true
            }
        );
    }

    #[test]
    fn several_sure_fits_are_listed() {
        assert_eq!(
            decide("umbrella", &book(), Purpose::Change),
            OrgResolution::Ambiguous {
                ids: vec![5, 6],
                loose: false
            }
        );
    }

    #[test]
    fn scattered_letters_never_resolve_a_change() {
        assert!(matches!(
            decide("glbx", &book(), Purpose::Change),
            OrgResolution::Ambiguous { ids, loose: true } if ids == [2]
        ));
        assert_eq!(
            decide("glbx", &book(), Purpose::Look),
            OrgResolution::Closest {
                id: 2,
                archived: false,
                why: Why(Field::Name)
            }
        );
        assert_eq!(decide("zzz", &book(), Purpose::Look), OrgResolution::None);
        assert_eq!(decide("  ", &book(), Purpose::Look), OrgResolution::None);
    }

    #[test]
    fn the_email_domain_points_to_one_active_organization() {
        let orgs = book();
        assert_eq!(by_email_domain("bo@acme.example", &orgs), Some(1));
        assert_eq!(by_email_domain("bo@Mail.ACME.example", &orgs), Some(1));
        assert_eq!(by_email_domain("bo@notacme.example", &orgs), None);
        assert_eq!(by_email_domain("bo@elsewhere.example", &orgs), None);
        assert_eq!(by_email_domain("not an email", &orgs), None);
        // Two active organizations with the domain: no evidence either way.
        let mut two = orgs.clone();
        two.push(org(7, "Acme Labs", Some("acme.example"), false));
        assert_eq!(by_email_domain("bo@acme.example", &two), None);
        // An archived organization is no evidence.
        let archived = vec![org(8, "Old Co", Some("old.example"), true)];
        assert_eq!(by_email_domain("bo@old.example", &archived), None);
    }
}
