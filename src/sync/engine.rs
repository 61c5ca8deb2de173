//! One two-way sync of a book with one account's address book.
//!
//! 1. What changed on the server: RFC 6578 `sync-collection` from the last token (one
//!    request when nothing did), else every card's ETag (PROPFIND) compared with the stored
//!    ones. Changed cards are fetched with `addressbook-multiget`.
//! 2. Each changed card is merged with kith's (three-way, against the stored base, see
//!    [`super::merge`]): kith's contact takes the merge, and the merge goes back to the server
//!    when it differs from the server's card (`If-Match`; 412 means it changed again, and the
//!    next sync merges that). A card new to kith becomes a contact with its UID. A card
//!    deleted on the server archives its contact.
//! 3. kith's own changes: a contact changed since the base is PUT (`If-Match`), a new one
//!    created (`If-None-Match: *`), an archived or deleted one DELETEd (`If-Match`).
//!
//! Results are written in batches of [`BATCH`] cards, one transaction each, so an interrupted
//! sync keeps what it finished; the sync token is stored only when the whole sync is done
//! (and dropped when a write met a 412, so the next sync lists everything).

use std::collections::{HashMap, HashSet};

use super::card::{canonical, for_server, read};
use super::dav::{Client, DAV, Written, xml};
use super::merge::merge;
use crate::app::sync::{CardChange, CardContent};
use crate::clock::Clock;
use crate::error::Result;
use crate::formats::vcard::write::Version;
use crate::model::Contact;
use crate::store::sync::{Account, CardState};
use crate::store::{Store, snapshot};

/// Cards per transaction (and per multiget request).
pub const BATCH: usize = 200;

/// What a sync did, for the report.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    pub account: String,
    pub addressbook: String,
    /// Whether the server's changes came by sync-collection from the last token.
    pub incremental: bool,
    pub requests: usize,
    /// Contacts new from the server.
    pub added: Vec<String>,
    /// Contacts kith changed with the server's edits.
    pub updated: Vec<String>,
    /// Contacts archived because their card was deleted on the server.
    pub archived: Vec<String>,
    /// Cards written to the server (new or changed).
    pub uploaded: usize,
    /// Cards deleted on the server (archived or deleted in kith).
    pub deleted: usize,
    /// Properties changed on both sides: kith kept its value, the server's is listed.
    pub conflicts: usize,
    /// Writes the server refused with 412: changed there meanwhile, merged next time.
    pub changed_meanwhile: usize,
    /// Server cards kith could not read (href: why), left alone.
    pub unreadable: Vec<String>,
}

/// What the server holds that changed: (href, etag) to fetch, hrefs deleted.
struct RemoteChanges {
    changed: Vec<(String, String)>,
    deleted: Vec<String>,
    token: Option<String>,
    incremental: bool,
}

struct Local {
    contact: Contact,
    extras: Vec<String>,
    text: String,
}

pub struct Sync<'a> {
    pub store: &'a mut Store,
    pub clock: Clock,
    pub client: &'a Client,
    pub account: Account,
    pub collection: String,
    report: Report,
    batch: Vec<CardChange>,
    states: HashMap<String, CardState>,
    /// The stored ETag of each href.
    etags: HashMap<String, String>,
    local: HashMap<String, Local>,
    handled: HashSet<String>,
    /// Hrefs of cards deleted on the server, by kith or seen deleted.
    gone: HashSet<String>,
    full_next: bool,
    /// The vCard version the address book takes, asked the first time kith writes.
    version: Option<Version>,
}

impl<'a> Sync<'a> {
    pub fn new(
        store: &'a mut Store,
        clock: Clock,
        client: &'a Client,
        account: Account,
        collection: String,
    ) -> Sync<'a> {
        let report = Report {
            account: account.name.clone(),
            addressbook: collection.clone(),
            ..Report::default()
        };
        Sync {
            store,
            clock,
            client,
            account,
            collection,
            report,
            batch: Vec::new(),
            states: HashMap::new(),
            etags: HashMap::new(),
            local: HashMap::new(),
            handled: HashSet::new(),
            gone: HashSet::new(),
            full_next: false,
            version: None,
        }
    }

    pub fn run(mut self) -> Result<Report> {
        self.states = crate::store::sync::cards(self.store.conn(), self.account.id)?;
        self.etags = self
            .states
            .values()
            .filter_map(|s| Some((s.href.clone(), s.etag.clone()?)))
            .collect();
        self.load_local()?;
        let remote = self.remote_changes()?;
        self.report.incremental = remote.incremental;
        self.take_remote(&remote.changed)?;
        self.take_deletions(&remote.deleted)?;
        self.send_local()?;
        self.flush()?;
        let token = if self.full_next {
            None
        } else {
            self.fresh_token(remote.token)?
        };
        crate::app::sync::finish(
            self.store,
            self.clock.now,
            self.account.id,
            token.as_deref(),
        )?;
        Ok(self.report)
    }

    fn load_local(&mut self) -> Result<()> {
        for (contact, extras) in snapshot::contacts_with_extras(self.store.conn())? {
            let content = CardContent {
                fields: contact.fields.clone(),
                extras,
            };
            let text = canonical(&contact.uid, &content);
            self.local.insert(
                contact.uid.clone(),
                Local {
                    contact,
                    extras: content.extras,
                    text,
                },
            );
        }
        Ok(())
    }

    fn collection_url(&self) -> String {
        self.client.url(&self.collection)
    }

    fn is_member(&self, href: &str) -> bool {
        let href = self.client.path_of(&self.client.url(href));
        href != self.collection
            && href.trim_end_matches('/') != self.collection.trim_end_matches('/')
    }

    fn remote_changes(&mut self) -> Result<RemoteChanges> {
        let url = self.collection_url();
        if let Some(token) = self.account.sync_token.clone() {
            self.report.requests += 1;
            if let Some(ms) = self.client.sync_collection(&url, Some(&token))? {
                let mut changes = RemoteChanges {
                    changed: Vec::new(),
                    deleted: Vec::new(),
                    token: ms.sync_token.clone(),
                    incremental: true,
                };
                for r in ms.responses.iter().filter(|r| self.is_member(&r.href)) {
                    match (r.status, r.text(DAV, "getetag")) {
                        (Some(404), _) => changes.deleted.push(r.href.clone()),
                        (_, Some(etag)) if !self.known(&r.href, &etag) => {
                            changes.changed.push((r.href.clone(), etag))
                        }
                        _ => {}
                    }
                }
                return Ok(changes);
            }
        }
        self.list_everything(&url)
    }

    /// Whether kith already has this card at this ETag (its own write, reported back).
    fn known(&self, href: &str, etag: &str) -> bool {
        self.etags.get(href).is_some_and(|e| e == etag)
    }

    fn list_everything(&mut self, url: &str) -> Result<RemoteChanges> {
        self.report.requests += 1;
        // sync-collection from nothing lists every card and gives a token; a server without
        // it answers an error, and PROPFIND lists them instead.
        let (ms, token) =
            match self
                .client
                .multistatus("REPORT", url, "1", &xml::sync_collection(None))
            {
                Ok(ms) => {
                    let token = ms.sync_token.clone();
                    (ms, token)
                }
                Err(_) => {
                    self.report.requests += 1;
                    (
                        self.client
                            .multistatus("PROPFIND", url, "1", xml::PROPFIND_ETAGS)?,
                        None,
                    )
                }
            };
        let mut on_server = HashSet::new();
        let mut changed = Vec::new();
        for r in ms.responses.iter().filter(|r| self.is_member(&r.href)) {
            if r.status == Some(404) {
                continue;
            }
            let Some(etag) = r.text(DAV, "getetag") else {
                continue;
            };
            on_server.insert(r.href.clone());
            if !self.known(&r.href, &etag) {
                changed.push((r.href.clone(), etag));
            }
        }
        let deleted = self
            .states
            .values()
            .filter(|s| !on_server.contains(&s.href))
            .map(|s| s.href.clone())
            .collect();
        Ok(RemoteChanges {
            changed,
            deleted,
            token,
            incremental: false,
        })
    }

    fn take_remote(&mut self, changed: &[(String, String)]) -> Result<()> {
        let hrefs: Vec<String> = changed.iter().map(|(h, _)| h.clone()).collect();
        self.fetch_and_take(&hrefs)
    }

    /// Fetch cards by multiget, a batch at a time, and take each.
    fn fetch_and_take(&mut self, hrefs: &[String]) -> Result<()> {
        for chunk in hrefs.chunks(BATCH) {
            let wire: Vec<String> = chunk.iter().map(|h| self.client.wire_href(h)).collect();
            self.report.requests += 1;
            let ms = self.client.multistatus(
                "REPORT",
                &self.collection_url(),
                "1",
                &xml::multiget(&wire),
            )?;
            for r in &ms.responses {
                let (Some(text), Some(etag)) = (
                    r.text(super::dav::CARDDAV, "address-data"),
                    r.text(DAV, "getetag"),
                ) else {
                    continue;
                };
                self.take_card(&r.href, &etag, &text)?;
            }
            self.flush()?;
        }
        Ok(())
    }

    /// One card changed or new on the server.
    fn take_card(&mut self, href: &str, etag: &str, text: &str) -> Result<()> {
        let (uid, content) = match read(text, href) {
            Ok(read) => read,
            Err(why) => {
                self.report.unreadable.push(format!("{href}: {why}"));
                return Ok(());
            }
        };
        self.handled.insert(uid.clone());
        let remote_text = canonical(&uid, &content);
        let state = self.states.get(&uid).cloned();
        let Some(local) = self.local.get(&uid) else {
            if state.is_some() {
                // Deleted in kith for good since the last sync: delete it there too.
                return self.delete(&uid, href, etag);
            }
            self.report.added.push(content.fields.display_name.clone());
            let state = card_state(&uid, href, Some(etag), &remote_text);
            self.push(CardChange::Create { content, state })?;
            return Ok(());
        };
        let archived = local.contact.archived_at.is_some();
        if archived && state.is_none() {
            // Archived in kith before it ever synced here: not kith's to delete.
            return Ok(());
        }
        let merged = merge(
            state.as_ref().map(|s| s.base.as_str()),
            &local.text,
            &remote_text,
        );
        let merged_content = match read(&merged.card, href) {
            Ok((_, c)) => c,
            Err(why) => {
                self.report
                    .unreadable
                    .push(format!("{href}: merged: {why}"));
                return Ok(());
            }
        };
        let merged_text = canonical(&uid, &merged_content);
        let (id, local_text) = (local.contact.id, local.text.clone());
        let name = merged_content.fields.display_name.clone();
        for c in merged.conflicts {
            self.report.conflicts += 1;
            self.push(CardChange::Conflict {
                uid: uid.clone(),
                property: c.property,
                kept: c.kept,
                server: c.server,
            })?;
        }
        if archived {
            return self.delete(&uid, href, etag);
        }
        let mut new_etag = Some(etag.to_string());
        if merged_text != remote_text {
            let wire = self.wire_text(&uid, &merged_content)?;
            match self.put(href, &wire, Some(etag))? {
                Some(tag) => new_etag = tag,
                None => return Ok(()),
            }
        }
        let state = card_state(&uid, href, new_etag.as_deref(), &merged_text);
        if merged_text != local_text {
            self.report.updated.push(name);
            self.push(CardChange::Update {
                id,
                content: merged_content,
                state,
            })?;
        } else {
            self.push(CardChange::State(state))?;
        }
        Ok(())
    }

    fn take_deletions(&mut self, deleted: &[String]) -> Result<()> {
        let by_href: HashMap<&str, &str> = self
            .states
            .values()
            .map(|s| (s.href.as_str(), s.uid.as_str()))
            .collect();
        let mut changes = Vec::new();
        for href in deleted {
            let Some(uid) = by_href.get(href.as_str()).map(|u| u.to_string()) else {
                continue;
            };
            let id = self.local.get(&uid).map(|l| {
                if l.contact.archived_at.is_none() {
                    self.report
                        .archived
                        .push(l.contact.fields.display_name.clone());
                }
                l.contact.id
            });
            changes.push((uid, id));
        }
        for (uid, id) in changes {
            self.handled.insert(uid.clone());
            self.push(CardChange::Archive { id, uid })?;
        }
        self.flush()
    }

    /// kith's changes the server has not seen.
    fn send_local(&mut self) -> Result<()> {
        let mut uids: Vec<&String> = self.local.keys().chain(self.states.keys()).collect();
        uids.sort();
        uids.dedup();
        let uids: Vec<String> = uids
            .into_iter()
            .filter(|u| !self.handled.contains(*u))
            .cloned()
            .collect();
        let mut already_there = Vec::new();
        for uid in uids {
            let state = self.states.get(&uid).cloned();
            let local = self
                .local
                .get(&uid)
                .map(|l| (l.contact.archived_at.is_some(), l.text.clone()));
            let wire = |sync: &mut Self| -> Result<String> {
                let l = &sync.local[&uid];
                let content = CardContent {
                    fields: l.contact.fields.clone(),
                    extras: l.extras.clone(),
                };
                sync.wire_text(&uid, &content)
            };
            match (state, local) {
                (Some(s), None) | (Some(s), Some((true, _))) => {
                    let etag = s.etag.clone().unwrap_or_else(|| "*".into());
                    self.delete(&uid, &s.href, &etag)?;
                }
                (Some(s), Some((false, text))) if text != s.base => {
                    let wire = wire(self)?;
                    if let Some(etag) = self.put(&s.href, &wire, s.etag.as_deref().or(Some("*")))? {
                        self.push(CardChange::State(card_state(
                            &uid,
                            &s.href,
                            etag.as_deref(),
                            &text,
                        )))?;
                    }
                }
                (None, Some((false, text))) => {
                    let href = format!("{}{}", self.collection, crate::vdir::file_name(&uid));
                    let wire = wire(self)?;
                    match self.put(&href, &wire, None)? {
                        Some(etag) => self.push(CardChange::State(card_state(
                            &uid,
                            &href,
                            etag.as_deref(),
                            &text,
                        )))?,
                        // Already there (an interrupted sync wrote it): merged now.
                        None => already_there.push(href),
                    }
                }
                _ => {}
            }
        }
        if !already_there.is_empty() {
            self.report.changed_meanwhile -= already_there.len();
            self.fetch_and_take(&already_there)?;
        }
        Ok(())
    }

    /// The text to PUT for a card: in the version the address book takes (asked once).
    fn wire_text(&mut self, uid: &str, content: &CardContent) -> Result<String> {
        let version = match self.version {
            Some(v) => v,
            None => {
                self.report.requests += 1;
                let v = super::discover::vcard_version(self.client, &self.collection_url())?;
                self.version = Some(v);
                v
            }
        };
        Ok(for_server(uid, content, version))
    }

    /// PUT; Some(new etag) when written, None when the server had changed it (412).
    fn put(
        &mut self,
        href: &str,
        text: &str,
        etag: Option<&str>,
    ) -> Result<Option<Option<String>>> {
        self.report.requests += 1;
        match self.client.put(href, text, etag)? {
            Written::Done(tag) => {
                self.report.uploaded += 1;
                Ok(Some(tag))
            }
            Written::Changed => {
                self.report.changed_meanwhile += 1;
                self.full_next = true;
                Ok(None)
            }
        }
    }

    fn delete(&mut self, uid: &str, href: &str, etag: &str) -> Result<()> {
        self.report.requests += 1;
        match self.client.delete(href, etag)? {
            Written::Done(_) => {
                self.report.deleted += 1;
                self.push(CardChange::Forget {
                    uid: uid.to_string(),
                })?;
            }
            Written::Changed => {
                self.report.changed_meanwhile += 1;
                self.full_next = true;
            }
        }
        Ok(())
    }

    /// After kith wrote to the server, the token past its own writes, so the next sync does
    /// not read them back: the changes since `token` are asked for once more, and when every
    /// one of them is kith's own (a card at the ETag kith has, a card kith deleted), the new
    /// token is kept; when someone else changed something meanwhile, the old one.
    fn fresh_token(&mut self, token: Option<String>) -> Result<Option<String>> {
        let Some(old) = token else {
            return Ok(None);
        };
        if self.report.uploaded + self.report.deleted == 0 {
            return Ok(Some(old));
        }
        self.report.requests += 1;
        let Some(ms) = self
            .client
            .sync_collection(&self.collection_url(), Some(&old))?
        else {
            return Ok(Some(old));
        };
        let all_ours = ms
            .responses
            .iter()
            .filter(|r| self.is_member(&r.href))
            .all(|r| match (r.status, r.text(DAV, "getetag")) {
                (Some(404), _) => self.gone.contains(&r.href),
                (_, Some(etag)) => self.known(&r.href, &etag),
                _ => false,
            });
        Ok(if all_ours {
            ms.sync_token.or(Some(old))
        } else {
            Some(old)
        })
    }

    fn push(&mut self, change: CardChange) -> Result<()> {
        // What kith now knows of the server, for [`Self::fresh_token`].
        match &change {
            CardChange::Create { state, .. }
            | CardChange::Update { state, .. }
            | CardChange::State(state) => match &state.etag {
                Some(etag) => self.etags.insert(state.href.clone(), etag.clone()),
                None => self.etags.remove(&state.href),
            },
            CardChange::Archive { uid, .. } | CardChange::Forget { uid } => {
                if let Some(s) = self.states.get(uid) {
                    self.gone.insert(s.href.clone());
                }
                None
            }
            CardChange::Conflict { .. } => None,
        };
        self.batch.push(change);
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        crate::app::sync::apply(self.store, self.clock, self.account.id, &batch)
    }
}

fn card_state(uid: &str, href: &str, etag: Option<&str>, base: &str) -> CardState {
    CardState {
        uid: uid.to_string(),
        href: href.to_string(),
        etag: etag.map(str::to_string),
        base: base.to_string(),
    }
}
