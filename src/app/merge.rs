//! Merging two contacts: B's details, history, follow-ups and links folded into A, then B
//! deleted, in one transaction.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{ContactRef, FieldKind};
use crate::store::contacts::{self, Archived, ContactFilter};
use crate::store::{Store, bulk, extras};

/// What a merge did.
#[derive(Debug, Clone, Serialize)]
pub struct MergeReport {
    pub into: ContactRef,
    pub merged: ContactRef,
    pub moved: bulk::Moved,
    /// "2 email", "1 tag(s)": what A gained.
    pub added: Vec<String>,
    /// Values of B that A kept its own for.
    pub kept: Vec<String>,
}

/// Fold contact `gone` into `keep`. `gone_name` is how the user named B, for messages.
pub fn merge(
    store: &mut Store,
    now: DateTime<Utc>,
    keep: i64,
    gone: i64,
    gone_name: &str,
) -> Result<MergeReport> {
    if keep == gone {
        return Err(Error::invalid(
            "merge",
            gone_name,
            "is the same contact as A; name two different contacts",
        ));
    }
    store.write(|tx| {
        let filter = ContactFilter {
            ids: Some(vec![keep, gone]),
            archived: Archived::Include,
            ..ContactFilter::default()
        };
        let both = contacts::list(tx, &filter)?;
        let (Some(ca), Some(cb)) = (
            both.iter().find(|c| c.id == keep),
            both.iter().find(|c| c.id == gone),
        ) else {
            return Err(Error::NotFound {
                what: "contact",
                query: gone_name.to_string(),
            });
        };
        let extras_a = extras::of(tx, keep)?;
        let extras_b = extras::of(tx, gone)?;
        let mut kept = Vec::new();
        let (fields, extras) = crate::import::merge_fields(
            (&ca.uid, &ca.fields, &extras_a),
            (&cb.fields, &extras_b),
            &format!("#{gone} had"),
            &mut kept,
        );
        let mut added = Vec::new();
        for kind in FieldKind::ALL {
            let n = fields.labeled(kind).len() - ca.fields.labeled(kind).len();
            if n > 0 {
                added.push(format!("{n} {}", kind.as_str()));
            }
        }
        let new_tags = fields.tags.len() - ca.fields.tags.len();
        if new_tags > 0 {
            added.push(format!("{new_tags} tag(s)"));
        }
        let moved = bulk::move_history(tx, gone, keep)?;
        bulk::delete_contact(tx, gone)?;
        let mut writer = bulk::BulkWriter::new(tx)?;
        writer.update_contact(keep, &fields, &extras, now)?;
        writer.drop_unused_tags()?;
        Ok(MergeReport {
            into: ca.as_ref(),
            merged: cb.as_ref(),
            moved,
            added,
            kept,
        })
    })
}
