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

/// An organization's active people, who all count as colleagues of one another: one group
/// instead of an edge for every pair of them (219 people are 219 ids, not 24k edges).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colleagues {
    pub organization: OrgRef,
    pub people: Vec<i64>,
}

/// What the store gathers around some people (`asked`): the edges that touch them, and the
/// colleague groups of the organizations they are at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ring {
    pub asked: Vec<i64>,
    pub edges: Vec<Edge>,
    pub groups: Vec<Colleagues>,
}

#[derive(Debug)]
struct Group {
    organization: OrgRef,
    people: Vec<i64>,
    /// Its people whose edges were gathered: a colleague edge is one with at least one of
    /// them as an end, as if each asked person had been paired with every other.
    asked: Vec<i64>,
}

/// The edges gathered so far, by person. Colleagues are kept as groups and expanded when a
/// search goes through one: two people of a group are neighbours when either was asked
/// about, with the organization as the evidence, exactly as if the edge had been stored.
#[derive(Debug, Default)]
pub struct Graph {
    evidence: HashMap<(i64, i64), Vec<Evidence>>,
    neighbours: HashMap<i64, Vec<i64>>,
    groups: Vec<Group>,
    by_org: HashMap<i64, usize>,
    group_of: HashMap<i64, usize>,
    asked: HashSet<i64>,
}

impl Graph {
    pub fn new(edges: impl IntoIterator<Item = Edge>) -> Graph {
        let mut g = Graph::default();
        g.extend(edges);
        g
    }

    /// Adds what was gathered around `ring.asked`.
    pub fn add(&mut self, ring: Ring) {
        self.extend(ring.edges);
        for c in ring.groups {
            if self.by_org.contains_key(&c.organization.id) {
                continue;
            }
            let at = self.groups.len();
            self.by_org.insert(c.organization.id, at);
            let asked = c
                .people
                .iter()
                .copied()
                .filter(|p| self.asked.contains(p))
                .collect();
            for &p in &c.people {
                self.group_of.insert(p, at);
            }
            self.groups.push(Group {
                organization: c.organization,
                people: c.people,
                asked,
            });
        }
        for id in ring.asked {
            if self.asked.insert(id)
                && let Some(&g) = self.group_of.get(&id)
            {
                self.groups[g].asked.push(id);
            }
        }
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

    /// The colleague group both `a` and `b` are in, when they are colleagues by it.
    fn colleagues(&self, a: i64, b: i64) -> Option<&Group> {
        let g = *self.group_of.get(&a)?;
        (a != b
            && self.group_of.get(&b) == Some(&g)
            && (self.asked.contains(&a) || self.asked.contains(&b)))
        .then(|| &self.groups[g])
    }

    /// Everyone with an edge to `id`, each once.
    pub fn neighbours(&self, id: i64) -> impl Iterator<Item = i64> + '_ {
        self.neighbours_outside(id, None)
    }

    /// [`Graph::neighbours`] but for its colleagues when its group is `skip`.
    fn neighbours_outside(&self, id: i64, skip: Option<usize>) -> impl Iterator<Item = i64> + '_ {
        self.linked(id).chain(self.in_group(id, skip))
    }

    /// The group of one of `ends` whose people are all in `ends`.
    fn group_within(&self, ends: &HashSet<i64>) -> Option<usize> {
        let &g = ends.iter().find_map(|p| self.group_of.get(p))?;
        self.groups[g]
            .people
            .iter()
            .all(|p| ends.contains(p))
            .then_some(g)
    }

    /// The group of `id` when everyone in it is its neighbour (its edges were gathered).
    fn group_around(&self, id: i64) -> Option<usize> {
        self.group_of
            .get(&id)
            .copied()
            .filter(|_| self.asked.contains(&id))
    }

    /// The neighbours of `id` other than its colleagues.
    fn linked(&self, id: i64) -> impl Iterator<Item = i64> + '_ {
        let own = self.group_of.get(&id).copied();
        self.neighbours
            .get(&id)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
            .filter(move |&x| own.is_none() || self.colleagues(id, x).is_none())
    }

    /// The colleagues of `id`, unless its group is `skip`.
    fn in_group(&self, id: i64, skip: Option<usize>) -> impl Iterator<Item = i64> + '_ {
        let members: &[i64] = match self.group_of.get(&id) {
            Some(&g) if skip != Some(g) => {
                let group = &self.groups[g];
                if self.asked.contains(&id) {
                    &group.people
                } else {
                    &group.asked
                }
            }
            _ => &[],
        };
        members.iter().copied().filter(move |&x| x != id)
    }

    /// `ids` and everyone next to them, sorted: a group is walked once, not once per member.
    pub fn reached(&self, ids: &[i64]) -> Vec<i64> {
        let mut whole = vec![false; self.groups.len()];
        let mut all = Vec::new();
        for &id in ids {
            all.push(id);
            all.extend(self.linked(id));
            match self.group_of.get(&id) {
                Some(&g) if self.asked.contains(&id) => whole[g] = true,
                Some(_) => all.extend(self.in_group(id, None)),
                None => {}
            }
        }
        for (g, _) in whole.iter().enumerate().filter(|w| *w.1) {
            all.extend_from_slice(&self.groups[g].people);
        }
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The evidence between two people, strongest first, at most [`EVIDENCE_PER_HOP`].
    pub fn between(&self, a: i64, b: i64) -> Vec<Evidence> {
        let mut list = self
            .evidence
            .get(&(a.min(b), a.max(b)))
            .cloned()
            .unwrap_or_default();
        if let Some(g) = self.colleagues(a, b) {
            let shared = Evidence::Colleagues {
                organization: g.organization.clone(),
            };
            if !list.contains(&shared) {
                list.push(shared);
            }
        }
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
        .flat_map(|&t| graph.neighbours(t))
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
    // Colleague groups not worth walking, which keeps the cost to the people and their
    // links rather than their pairs: an organization's own group (everyone in it is an end),
    // and past the first hop to a person, the target's own group (everyone in it is the
    // target's neighbour, and going to them directly is shorter and as strong).
    let (first, second) = match target {
        Target::Organization { .. } => (graph.group_within(&ends), None),
        Target::Person(t) => (None, graph.group_around(*t)),
    };
    let mut out = Vec::new();
    for &t in target.people() {
        if known.contains_key(&t) {
            out.push(path(vec![t], graph, known));
        }
        for x in graph.neighbours_outside(t, first) {
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
            for k in graph.neighbours_outside(x, second) {
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
        assert_eq!(graph.neighbours(1).collect::<Vec<_>>(), [2]);
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

    fn group(org: i64, people: &[i64]) -> Colleagues {
        Colleagues {
            organization: OrgRef {
                id: org,
                uid: format!("o{org}"),
                name: format!("Org {org}"),
            },
            people: people.to_vec(),
        }
    }

    #[test]
    fn a_colleague_is_asked_directly_rather_than_through_someone_else() {
        // 1 (the target), 2, 3 and 4 are at one organization; I know 2 and 4 (equally well)
        // and not 3. 2 also knows 3: the way through 3 is longer and no stronger than going
        // to 2, a colleague of the target's. 5 (known) met 3 and is not at the organization.
        let mut graph = Graph::default();
        graph.add(Ring {
            asked: vec![1],
            edges: vec![met(1, 6, 1, 2)],
            groups: vec![group(9, &[1, 2, 3, 4])],
        });
        let known = HashMap::from([(2, 60), (4, 60), (5, 90)]);
        let target = Target::Person(1);
        let layer = next_layer(&target, &graph, &known);
        assert_eq!(layer, [3, 6]);
        graph.add(Ring {
            asked: layer,
            edges: vec![link(2, "knows", 3), met(5, 3, 2, 4)],
            groups: vec![group(9, &[1, 2, 3, 4])],
        });
        assert_eq!(graph.reached(&[1]), [1, 2, 3, 4, 6]);
        let found = paths(&target, &graph, &known, 10);
        let people: Vec<_> = found.iter().map(|p| p.people.clone()).collect();
        // The strongest first; at the same strength and length, by the people's ids.
        assert_eq!(people, [vec![5, 3, 1], vec![2, 1], vec![4, 1]]);
        assert!(matches!(
            &found[1].hops[1].evidence[..],
            [Evidence::Colleagues { organization }] if organization.name == "Org 9"
        ));
        // The hop from 5 to 3 and the one from 3 to the target, who are colleagues.
        assert!(matches!(
            found[0].hops[1].evidence[..],
            [Evidence::Met { .. }]
        ));
        assert!(matches!(
            found[0].hops[2].evidence[..],
            [Evidence::Colleagues { .. }]
        ));
    }

    /// A tiny deterministic generator, so the comparison below covers many shapes.
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % n
        }
    }

    /// Colleague groups give the paths, evidence, rings and order that an edge for every pair
    /// of colleagues with an end asked about gave (what the store built before groups). A
    /// person met but not scored is walked through unasked, where only the asked colleagues
    /// are theirs (round 57 has one).
    #[test]
    fn colleague_groups_find_what_an_edge_per_pair_found() {
        let mut rng = Lcg(7);
        for round in 0..150 {
            let n = 12 + rng.below(20) as i64;
            let org_of = |p: i64| (p % 4 != 0).then_some(p % 4);
            let mut plain = Vec::new();
            for i in 0..rng.below(3 * n as u64) {
                let (a, b) = (
                    1 + rng.below(n as u64) as i64,
                    1 + rng.below(n as u64) as i64,
                );
                plain.push(match rng.below(3) {
                    0 => link(a, "knows", b),
                    1 => met(a, b, i as i64, 1 + rng.below(28) as u32),
                    _ => met(a, b, 100, 9),
                });
            }
            // Whom I have met picks the rings; whom I know (their health) the paths. Someone
            // met but not scored is walked through without their edges gathered.
            let (mut met_before, mut known) = (HashMap::new(), HashMap::new());
            for p in 1..=n {
                match rng.below(6) {
                    0 | 1 => {}
                    2 => {
                        met_before.insert(p, 0);
                    }
                    _ => {
                        met_before.insert(p, 0);
                        known.insert(p, rng.below(4) as u8 * 25);
                    }
                }
            }
            let members =
                |org: i64| -> Vec<i64> { (1..=n).filter(|&p| org_of(p) == Some(org)).collect() };
            let mut targets: Vec<Target> = (1..=n).map(Target::Person).collect();
            targets.extend((1..=3).map(|id| Target::Organization {
                id,
                people: members(id),
            }));
            for target in targets {
                let mut pairs = Graph::default();
                let mut grouped = Graph::default();
                let mut asked = target.people().to_vec();
                for ring in 0..2 {
                    let touching = |e: &&Edge| asked.contains(&e.a) || asked.contains(&e.b);
                    let mut orgs: Vec<i64> = asked.iter().filter_map(|&p| org_of(p)).collect();
                    orgs.sort_unstable();
                    orgs.dedup();
                    pairs.extend(plain.iter().filter(touching).cloned());
                    for &a in &asked {
                        for b in (1..=n).filter(|&b| org_of(a).is_some() && org_of(b) == org_of(a))
                        {
                            pairs.extend([colleagues_at(a, b, org_of(a).unwrap_or(0))]);
                        }
                    }
                    grouped.add(Ring {
                        asked: asked.clone(),
                        edges: plain.iter().filter(touching).cloned().collect(),
                        groups: orgs.iter().map(|&o| group(o, &members(o))).collect(),
                    });
                    let mut reached: Vec<i64> = asked
                        .iter()
                        .flat_map(|&p| std::iter::once(p).chain(pairs.neighbours(p)))
                        .collect();
                    reached.sort_unstable();
                    reached.dedup();
                    assert_eq!(grouped.reached(&asked), reached, "round {round} {target:?}");
                    let layer = next_layer(&target, &pairs, &met_before);
                    assert_eq!(next_layer(&target, &grouped, &met_before), layer);
                    if ring == 0 && layer.is_empty() {
                        break;
                    }
                    asked = layer;
                }
                assert_eq!(
                    paths(&target, &grouped, &known, 1000),
                    paths(&target, &pairs, &known, 1000),
                    "round {round} {target:?}"
                );
            }
        }
    }

    fn colleagues_at(a: i64, b: i64, org: i64) -> Edge {
        Edge {
            a,
            b,
            evidence: Evidence::Colleagues {
                organization: group(org, &[]).organization,
            },
        }
    }
}
