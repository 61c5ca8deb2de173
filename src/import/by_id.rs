//! What matching keeps of each contact, by the contact's id: in a list indexed by id while
//! the ids are dense, as SQLite numbers contacts one after another, and in a hash map when
//! they are not (a book where most contacts were deleted). A list grows by copying, with no
//! rehashing: at a million contacts the map's doublings held up the import.

/// Values by contact id.
pub(super) enum ById<T> {
    Dense { slots: Vec<Option<T>>, count: usize },
    Sparse(foldhash::HashMap<i64, T>),
}

impl<T> Default for ById<T> {
    fn default() -> Self {
        ById::Dense {
            slots: Vec::new(),
            count: 0,
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for ById<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// How far past the contacts held an id may be for the list to stay: a hole costs a slot.
fn dense_enough(id: i64, count: usize) -> Option<usize> {
    let index = usize::try_from(id).ok()?;
    (index < count.saturating_mul(4).saturating_add(65_536)).then_some(index)
}

impl<T> ById<T> {
    pub fn insert(&mut self, id: i64, value: T) {
        if let ById::Dense { slots, count } = self {
            if let Some(index) = dense_enough(id, *count) {
                if index >= slots.len() {
                    slots.resize_with(index + 1, || None);
                }
                if slots[index].replace(value).is_none() {
                    *count += 1;
                }
                return;
            }
            let held = std::mem::take(slots)
                .into_iter()
                .enumerate()
                .filter_map(|(index, value)| Some((index as i64, value?)))
                .collect();
            *self = ById::Sparse(held);
        }
        if let ById::Sparse(map) = self {
            map.insert(id, value);
        }
    }

    pub fn get(&self, id: i64) -> Option<&T> {
        match self {
            ById::Dense { slots, .. } => usize::try_from(id)
                .ok()
                .and_then(|i| slots.get(i)?.as_ref()),
            ById::Sparse(map) => map.get(&id),
        }
    }

    pub fn remove(&mut self, id: i64) -> Option<T> {
        match self {
            ById::Dense { slots, count } => {
                let removed = usize::try_from(id)
                    .ok()
                    .and_then(|i| slots.get_mut(i)?.take());
                if removed.is_some() {
                    *count -= 1;
                }
                removed
            }
            ById::Sparse(map) => map.remove(&id),
        }
    }

    /// Every id and value, in no particular order.
    pub fn iter(&self) -> Box<dyn Iterator<Item = (i64, &T)> + '_> {
        match self {
            ById::Dense { slots, .. } => Box::new(
                slots
                    .iter()
                    .enumerate()
                    .filter_map(|(index, value)| Some((index as i64, value.as_ref()?))),
            ),
            ById::Sparse(map) => Box::new(map.iter().map(|(id, value)| (*id, value))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same answers whether the ids are dense (a list) or far apart (a map), and across
    /// the change from one to the other.
    #[test]
    fn dense_and_sparse_ids_answer_alike() {
        let mut by_id = ById::default();
        for id in 1..=1000 {
            by_id.insert(id, id * 10);
        }
        assert!(matches!(by_id, ById::Dense { count: 1000, .. }));
        assert_eq!(by_id.get(500), Some(&5000));
        assert_eq!(by_id.get(0), None);
        assert_eq!(by_id.get(-1), None);
        assert_eq!(by_id.remove(500), Some(5000));
        assert_eq!(by_id.remove(500), None);
        by_id.insert(1 << 40, 7);
        assert!(
            matches!(by_id, ById::Sparse(_)),
            "an id far past the others"
        );
        assert_eq!(by_id.get(1 << 40), Some(&7));
        assert_eq!(by_id.get(499), Some(&4990));
        assert_eq!(by_id.get(500), None);
        let mut all: Vec<(i64, i64)> = by_id.iter().map(|(id, v)| (id, *v)).collect();
        all.sort_unstable();
        assert_eq!(all.len(), 1000);
        assert_eq!(all[0], (1, 10));
        assert_eq!(all[999], (1 << 40, 7));
    }
}
