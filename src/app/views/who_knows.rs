//! Who knows whom (`kith who-knows TARGET`, the best introduction in the interactive brief):
//! the target resolved (a person, or an organization), the edges around it gathered by
//! `store::network` one ring at a time, whom I know (anyone I have had an interaction with)
//! scored by `health`, and the paths found by the pure [`crate::network`] search, named.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::health::of_contacts;
use crate::clock::Clock;
use crate::error::{Candidate, Error, Result};
use crate::model::{ContactRef, OrgRef};
use crate::network::{self, Evidence, Graph, Target};
use crate::resolve::{Probe, Purpose, Why};
use crate::store::contacts::ContactFilter;
use crate::store::{Store, contacts, network as edges, organizations};

/// How many paths `kith who-knows` lists unless told.
pub const DEFAULT_PATHS: usize = 10;

/// Whom the question is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TargetRef {
    Person(ContactRef),
    Organization(OrgRef),
}

/// Someone I know, with how the relationship is doing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnownPerson {
    pub contact: ContactRef,
    pub health: u8,
    pub last_contact_at: Option<DateTime<Utc>>,
}

/// One hop: from me (`from` null) or a person, to a person, and why they know each other.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    pub from: Option<ContactRef>,
    pub to: ContactRef,
    /// Whether another contact has `to`'s name: then the text names them with their #id.
    #[serde(skip)]
    pub to_has_namesake: bool,
    /// The health of my relationship with `to`, when I know them.
    pub health: Option<u8>,
    pub evidence: Vec<Evidence>,
}

/// A path from me to the target, as strong as its weakest link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathView {
    pub strength: u8,
    pub weakest: ContactRef,
    pub hops: Vec<Hop>,
}

/// What `kith who-knows` prints, in the shape `--json` gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhoKnows {
    pub target: TargetRef,
    /// For an organization: the people there I know, healthiest first. Empty for a person.
    pub known_there: Vec<KnownPerson>,
    /// Strongest first; for an organization, the ones through someone elsewhere.
    pub paths: Vec<PathView>,
}

/// Which record TARGET names, and why when it was only the closest match.
pub struct Resolved {
    pub target: TargetRef,
    pub closest: Option<Why>,
}

/// `#ID`, a UID, an email or a name: a person unless `organization` is asked for, or the
/// name is surely an organization's (exactly its name or domain), or no person fits.
pub fn resolve(store: &Store, query: &str, organization: bool) -> Result<Resolved> {
    let conn = store.conn();
    let as_org = |purpose| -> Result<Resolved> {
        let found = organizations::lookup(conn, query, true, purpose)?;
        let org = organizations::get(conn, found.id)?;
        Ok(Resolved {
            target: TargetRef::Organization(OrgRef {
                id: org.id,
                uid: org.uid,
                name: org.name,
            }),
            closest: found.closest,
        })
    };
    if organization {
        return as_org(Purpose::Look);
    }
    if !matches!(crate::resolve::probe(query), Probe::Id(_))
        && let Ok(sure) = as_org(Purpose::Change)
    {
        return Ok(sure);
    }
    match contacts::lookup(conn, query, true, Purpose::Look) {
        Ok(found) => Ok(Resolved {
            target: TargetRef::Person(contacts::get(conn, found.id)?.as_ref()),
            closest: found.closest,
        }),
        // Loose people only ("globx" finds those at Globex by their organization): an
        // organization that stands out is what was meant.
        Err(ambiguous @ Error::Ambiguous { loose: true, .. }) => match as_org(Purpose::Look) {
            Ok(found) => Ok(found),
            Err(_) => match nothing_matches(store, query)? {
                near @ Error::Ambiguous { .. } => Err(near),
                _ => Err(ambiguous),
            },
        },
        Err(Error::NotFound { .. }) => match as_org(Purpose::Look) {
            Err(Error::NotFound { .. }) => Err(nothing_matches(store, query)?),
            found => found,
        },
        Err(e) => Err(e),
    }
}

/// Neither a person nor an organization matches: say both were searched, and offer the
/// names closest to what was typed, if any.
fn nothing_matches(store: &Store, query: &str) -> Result<Error> {
    const WHAT: &str = "person or organization";
    let conn = store.conn();
    let people = crate::store::search::entries(conn, false)?;
    let orgs: Vec<_> = organizations::candidates(conn)?
        .into_iter()
        .filter(|o| !o.archived)
        .collect();
    // Organizations first: at the same distance, "globx" means Globex before its people.
    let names = orgs
        .iter()
        .map(|o| o.name.as_str())
        .chain(people.iter().map(|p| p.entry.display_name.as_str()));
    let near = crate::resolve::close_names(query, names.enumerate(), 5);
    if near.is_empty() {
        return Ok(Error::NotFound {
            what: WHAT,
            query: query.to_string(),
        });
    }
    let candidates: Vec<Candidate> = near
        .into_iter()
        .filter_map(|i| match orgs.get(i) {
            Some(o) => Some(Candidate {
                id: o.id,
                name: o.name.clone(),
                detail: "organization".into(),
            }),
            None => people.get(i - orgs.len()).map(|p| Candidate {
                id: p.entry.contact_id,
                name: p.entry.display_name.clone(),
                detail: p.entry.organization.clone().unwrap_or_default(),
            }),
        })
        .collect();
    Ok(Error::Ambiguous {
        what: WHAT,
        query: query.to_string(),
        total: candidates.len(),
        candidates,
        loose: true,
    })
}

/// The paths from me to `target`, at most `limit`.
pub fn who_knows(
    store: &Store,
    target: &TargetRef,
    clock: Clock,
    limit: usize,
) -> Result<WhoKnows> {
    let conn = store.conn();
    let search = match target {
        TargetRef::Person(c) => Target::Person(c.id),
        TargetRef::Organization(o) => Target::Organization {
            id: o.id,
            people: edges::people_of(conn, o.id)?,
        },
    };
    let people = match &search {
        Target::Person(id) => vec![*id],
        Target::Organization { people, .. } => people.clone(),
    };
    let mut graph = Graph::default();
    graph.add(edges::around(conn, &people)?);
    let mut last = edges::last_contact(conn, &graph.reached(&people))?;
    let layer = network::next_layer(&search, &graph, &last_as_known(&last));
    if !layer.is_empty() {
        graph.add(edges::around(conn, &layer)?);
        last.extend(edges::last_contact(conn, &graph.reached(&layer))?);
    }
    let known = health_of(store, &last, clock)?;
    let found = network::paths(&search, &graph, &known, limit.saturating_add(people.len()));
    let mut ids: Vec<i64> = found.iter().flat_map(|p| p.people.clone()).collect();
    // Only a path names people by name alone; those known there come with their ids.
    let namesakes = edges::namesakes(conn, &ids)?;
    ids.extend(people.iter().filter(|p| known.contains_key(p)));
    ids.sort_unstable();
    ids.dedup();
    let names = edges::refs(conn, &ids)?;
    let mut known_there = Vec::new();
    let mut paths = Vec::new();
    for p in found {
        let direct = p.people.len() == 1;
        if direct && matches!(target, TargetRef::Organization(_)) {
            let Some(contact) = names.get(&p.people[0]).cloned() else {
                continue;
            };
            known_there.push(KnownPerson {
                health: p.strength,
                last_contact_at: last.get(&contact.id).copied(),
                contact,
            });
        } else if paths.len() < limit
            && let Some(view) = name_path(&p, &names, &known, &namesakes)
        {
            paths.push(view);
        }
    }
    Ok(WhoKnows {
        target: target.clone(),
        known_there,
        paths,
    })
}

/// The strongest way to a person I have never met (the interactive brief), if any.
pub fn best_introduction(store: &Store, id: i64, clock: Clock) -> Result<Option<PathView>> {
    let person = contacts::get(store.conn(), id)?;
    if person.last_contact_at.is_some() {
        return Ok(None);
    }
    let found = who_knows(store, &TargetRef::Person(person.as_ref()), clock, 1)?;
    Ok(found.paths.into_iter().next())
}

/// Known (any interaction), before their health is worked out: enough to pick the next ring.
fn last_as_known(last: &HashMap<i64, DateTime<Utc>>) -> HashMap<i64, u8> {
    last.keys().map(|&id| (id, 0)).collect()
}

/// The health of everyone in `last` (the people I have met) who is active.
fn health_of(
    store: &Store,
    last: &HashMap<i64, DateTime<Utc>>,
    clock: Clock,
) -> Result<HashMap<i64, u8>> {
    let mut ids: Vec<i64> = last.keys().copied().collect();
    ids.sort_unstable();
    let mut out = HashMap::with_capacity(ids.len());
    // Chunks keep each IN list well under SQLite's limit on variables.
    for chunk in ids.chunks(5_000) {
        let filter = ContactFilter {
            ids: Some(chunk.to_vec()),
            ..Default::default()
        };
        for h in of_contacts(store, &filter, clock.now)? {
            out.insert(h.contact.id, h.health.score);
        }
    }
    Ok(out)
}

fn name_path(
    p: &network::Path,
    names: &HashMap<i64, ContactRef>,
    known: &HashMap<i64, u8>,
    namesakes: &HashSet<i64>,
) -> Option<PathView> {
    let name = |id: i64| names.get(&id).cloned();
    let hops = p
        .hops
        .iter()
        .map(|h| {
            Some(Hop {
                from: match h.from {
                    Some(id) => Some(name(id)?),
                    None => None,
                },
                to: name(h.to)?,
                to_has_namesake: namesakes.contains(&h.to),
                health: known.get(&h.to).copied(),
                evidence: h.evidence.clone(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(PathView {
        strength: p.strength,
        weakest: name(p.weakest)?,
        hops,
    })
}
