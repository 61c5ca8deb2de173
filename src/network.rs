//! Who knows whom: paths from me to a person or an organization through the people I know,
//! and the evidence for every hop. Pure: the store gathers the edges around the target
//! (`store::network`), the application layer says whom I know and how healthy each of those
//! relationships is, and this module searches.
//!
//! # Rules
//! - A path starts with someone I know (a contact I have had an interaction with) and ends at
//!   the target (a person, or anyone at an organization). Counting the step from me, it is at
//!   most three hops for a person (me → Ada → Bob → target) and two for an organization (me →
//!   Ada → someone there), the people in between linked by an edge.
//! - An edge is a typed link (knows, introduced-by, works-with, reports-to...), shared
//!   employment (both at Globex), or a shared interaction (both in the same meeting or mail
//!   thread). Every edge between two people is kept as the hop's evidence, strongest first: a
//!   link, then the latest shared interactions, then the shared employer.
//! - A path is as strong as its weakest link: the lowest health among the people on it that
//!   I know (the ones I would ask), the target aside unless I ask them directly. Stronger
//!   paths come first, then shorter ones: a target I barely know is better reached through a
//!   close friend who knows them well. A path through someone in between whom I also know is
//!   never listed: going to that person directly is shorter and at least as strong.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::model::{Channel, ContactRef, OrgRef};

/// How many pieces of evidence a hop keeps (the strongest).
pub const EVIDENCE_PER_HOP: usize = 3;

/// Why two people are taken to know each other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// A typed link stored as `from` <link> `to` ("Ada introduced-by Bob").
    Link {
        link: String,
        from: ContactRef,
        to: ContactRef,
        note: Option<String>,
    },
    /// Both took part in the same interaction.
    Met {
        interaction_id: i64,
        occurred_at: DateTime<Utc>,
        channel: Channel,
        summary: String,
    },
    /// Both belong to the same organization.
    Colleagues { organization: OrgRef },
}

impl Evidence {
    /// Links first, then shared interactions (latest first), then employment.
    fn rank(&self) -> (u8, i64) {
        match self {
            Evidence::Link { .. } => (0, 0),
            Evidence::Met { occurred_at, .. } => (1, -occurred_at.timestamp()),
            Evidence::Colleagues { .. } => (2, 0),
        }
    }
}

/// An edge between two contacts, with its evidence. Direction does not matter for reaching
/// someone; a link's own direction is kept in its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub a: i64,
    pub b: i64,
    pub evidence: Evidence,
}

/// What the search reaches: one person, or the people of an organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Person(i64),
    Organization { id: i64, people: Vec<i64> },
}

impl Target {
    fn people(&self) -> &[i64] {
        match self {
            Target::Person(id) => std::slice::from_ref(id),
            Target::Organization { people, .. } => people,
        }
    }

    /// Hops counted from me.
    pub fn max_hops(&self) -> usize {
        match self {
            Target::Person(_) => 3,
            Target::Organization { .. } => 2,
        }
    }
}

/// The edges gathered so far, by person.
#[derive(Debug, Default)]
pub struct Graph {
    evidence: HashMap<(i64, i64), Vec<Evidence>>,
    neighbours: HashMap<i64, Vec<i64>>,
}

impl Graph {
    pub fn new(edges: impl IntoIterator<Item = Edge>) -> Graph {
        let mut g = Graph::default();
        g.extend(edges);
        g
    }

    pub fn extend(&mut self, edges: impl IntoIterator<Item = Edge>) {
        for e in edges {
            if e.a == e.b {
                continue;
            }
            let key = (e.a.min(e.b), e.a.max(e.b));
            let list = self.evidence.entry(key).or_default();
            if list.is_empty() {
                self.neighbours.entry(e.a).or_default().push(e.b);
                self.neighbours.entry(e.b).or_default().push(e.a);
            }
            if !list.contains(&e.evidence) {
                list.push(e.evidence);
            }
        }
    }

    pub fn neighbours(&self, id: i64) -> &[i64] {
        self.neighbours.get(&id).map_or(&[], Vec::as_slice)
    }

    /// The evidence between two people, strongest first, at most [`EVIDENCE_PER_HOP`].
    pub fn between(&self, a: i64, b: i64) -> Vec<Evidence> {
        let mut list = self
            .evidence
            .get(&(a.min(b), a.max(b)))
            .cloned()
            .unwrap_or_default();
        list.sort_by_key(Evidence::rank);
        list.truncate(EVIDENCE_PER_HOP);
        list
    }
}

/// The people whose edges the search needs after the target's own: for a person, its
/// neighbours I do not know (a known neighbour is asked directly; one I do not know needs
/// someone I know who knows them). Nothing more for an organization.
pub fn next_layer(target: &Target, graph: &Graph, known: &HashMap<i64, u8>) -> Vec<i64> {
    if target.max_hops() < 3 {
        return Vec::new();
    }
    let ends: HashSet<i64> = target.people().iter().copied().collect();
    let mut out: Vec<i64> = ends
        .iter()
        .flat_map(|&t| graph.neighbours(t).iter().copied())
        .filter(|x| !ends.contains(x) && !known.contains_key(x))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// One hop of a path: from `from` (me when `None`) to `to`, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    pub from: Option<i64>,
    pub to: i64,
    /// Empty for the hop from me (the health of the person says how I know them).
    pub evidence: Vec<Evidence>,
}

/// A path from me to the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Path {
    /// The people from the one I know to the target, in order.
    pub people: Vec<i64>,
    pub hops: Vec<Hop>,
    /// The weakest link: the lowest health among the people on it I know, and who that is.
    pub strength: u8,
    pub weakest: i64,
}

/// Every path from me to `target` over `graph`, strongest first (see the module's rules).
/// `known` gives the health of each person I know; `limit` caps the paths returned.
pub fn paths(target: &Target, graph: &Graph, known: &HashMap<i64, u8>, limit: usize) -> Vec<Path> {
    let ends: HashSet<i64> = target.people().iter().copied().collect();
    let mut out = Vec::new();
    for &t in target.people() {
        if known.contains_key(&t) {
            out.push(path(vec![t], graph, known));
        }
        for &x in graph.neighbours(t) {
            if ends.contains(&x) {
                continue;
            }
            if known.contains_key(&x) {
                out.push(path(vec![x, t], graph, known));
                continue;
            }
            if target.max_hops() < 3 {
                continue;
            }
            for &k in graph.neighbours(x) {
                if k != t && !ends.contains(&k) && known.contains_key(&k) {
                    out.push(path(vec![k, x, t], graph, known));
                }
            }
        }
    }
    out.sort_by(|a, b| {
        b.strength
            .cmp(&a.strength)
            .then(a.people.len().cmp(&b.people.len()))
            .then_with(|| evidence_count(b).cmp(&evidence_count(a)))
            .then_with(|| a.people.cmp(&b.people))
    });
    // One way from each person I know to each person reached: the best one.
    let mut seen = HashSet::new();
    out.retain(|p| seen.insert((p.people[0], p.people[p.people.len() - 1])));
    out.truncate(limit);
    out
}

fn evidence_count(p: &Path) -> usize {
    p.hops.iter().map(|h| h.evidence.len()).sum()
}

fn path(people: Vec<i64>, graph: &Graph, known: &HashMap<i64, u8>) -> Path {
    let mut hops = vec![Hop {
        from: None,
        to: people[0],
        evidence: Vec::new(),
    }];
    for w in people.windows(2) {
        hops.push(Hop {
            from: Some(w[0]),
            to: w[1],
            evidence: graph.between(w[0], w[1]),
        });
    }
    // The target itself is not a link of the chain unless it is the one I know.
    let chain = if people.len() == 1 {
        &people[..]
    } else {
        &people[..people.len() - 1]
    };
    let (strength, weakest) = chain
        .iter()
        .filter_map(|p| known.get(p).map(|&h| (h, *p)))
        .min()
        .unwrap_or((0, people[0]));
    Path {
        people,
        hops,
        strength,
        weakest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64) -> ContactRef {
        ContactRef {
            id,
            uid: format!("u{id}"),
            name: format!("P{id}"),
        }
    }

    fn link(a: i64, kind: &str, b: i64) -> Edge {
        Edge {
            a,
            b,
            evidence: Evidence::Link {
                link: kind.into(),
                from: person(a),
                to: person(b),
                note: None,
            },
        }
    }

    fn met(a: i64, b: i64, id: i64, day: u32) -> Edge {
        Edge {
            a,
            b,
            evidence: Evidence::Met {
                interaction_id: id,
                occurred_at: format!("2026-10-{day:02}T10:00:00Z").parse().unwrap(),
                channel: Channel::Meeting,
                summary: format!("meeting {id}"),
            },
        }
    }

    fn colleagues(a: i64, b: i64) -> Edge {
        Edge {
            a,
            b,
            evidence: Evidence::Colleagues {
                organization: OrgRef {
                    id: 9,
                    uid: "o9".into(),
                    name: "Globex".into(),
                },
            },
        }
    }

    #[test]
    fn the_strongest_path_comes_first_and_each_hop_says_why() {
        // Me knows 1 (health 80) and 2 (health 30); 1 met 3 (whom I never met) in a meeting;
        // 3 introduced-by 4, the target; 2 knows 4 directly.
        let graph = Graph::new([
            met(1, 3, 100, 2),
            link(4, "introduced-by", 3),
            link(2, "knows", 4),
        ]);
        let known = HashMap::from([(1, 80), (2, 30)]);
        let target = Target::Person(4);
        assert_eq!(next_layer(&target, &graph, &known), [3]);
        let found = paths(&target, &graph, &known, 10);
        let people: Vec<_> = found.iter().map(|p| p.people.clone()).collect();
        assert_eq!(people, [vec![1, 3, 4], vec![2, 4]]);
        assert_eq!((found[0].strength, found[0].weakest), (80, 1));
        assert!(matches!(
            found[0].hops[1].evidence[0],
            Evidence::Met {
                interaction_id: 100,
                ..
            }
        ));
        assert!(
            matches!(&found[0].hops[2].evidence[0], Evidence::Link { link, .. } if link == "introduced-by")
        );
        assert_eq!(found[0].hops[0].from, None);
    }

    #[test]
    fn a_target_i_barely_know_is_better_reached_through_a_close_friend() {
        // I know 1 well and 2 (the target) a little; 1 knows 2; 3 (known, weak) knows 4
        // (unknown) who knows 2: a detour through 3 is never better than 3 → 2 would be.
        let graph = Graph::new([
            link(1, "knows", 2),
            link(3, "knows", 4),
            link(4, "knows", 2),
            link(3, "knows", 2),
        ]);
        let known = HashMap::from([(1, 90), (2, 10), (3, 40)]);
        let found = paths(&Target::Person(2), &graph, &known, 10);
        let people: Vec<_> = found.iter().map(|p| p.people.clone()).collect();
        assert_eq!(people, [vec![1, 2], vec![3, 2], vec![2]]);
        assert_eq!(found[2].strength, 10);
    }

    #[test]
    fn evidence_is_ordered_links_then_latest_meetings_then_employment() {
        let graph = Graph::new([
            colleagues(1, 2),
            met(1, 2, 7, 1),
            met(2, 1, 8, 20),
            link(2, "works-with", 1),
            met(1, 2, 9, 5),
        ]);
        let ev = graph.between(1, 2);
        assert_eq!(ev.len(), EVIDENCE_PER_HOP);
        assert!(matches!(ev[0], Evidence::Link { .. }));
        assert!(matches!(
            ev[1],
            Evidence::Met {
                interaction_id: 8,
                ..
            }
        ));
        assert!(matches!(
            ev[2],
            Evidence::Met {
                interaction_id: 9,
                ..
            }
        ));
        assert_eq!(graph.neighbours(1), [2]);
    }

    #[test]
    fn an_organization_is_reached_through_its_people_in_two_hops_at_most() {
        // 5 and 6 are at the organization; I know 5 and 1; 1 met 6; 2 knows 3 who knows 6.
        let graph = Graph::new([
            colleagues(5, 6),
            met(1, 6, 1, 3),
            link(2, "knows", 3),
            link(3, "knows", 6),
        ]);
        let known = HashMap::from([(5, 40), (1, 70), (2, 99)]);
        let target = Target::Organization {
            id: 9,
            people: vec![5, 6],
        };
        assert!(next_layer(&target, &graph, &known).is_empty());
        let found = paths(&target, &graph, &known, 10);
        let people: Vec<_> = found.iter().map(|p| p.people.clone()).collect();
        // Colleagues inside the organization are not a path to it.
        assert_eq!(people, [vec![1, 6], vec![5]]);
    }
}
