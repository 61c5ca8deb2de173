//! add, edit, rm, restore, list, show, tag, tags.

use std::io::{BufRead, Write};

use clap::Args;

use super::{Ctx, ListFormat, print_csv};
use crate::app::{self, views};
use crate::error::{Error, Result};
use crate::model::{Birthday, Channel, ContactFields, FieldKind, Labeled, Period, normalize_tag};
use crate::output::brief;
use crate::resolve::Purpose;
use crate::store::contacts::{Archived, ContactFilter};
use crate::store::{OpenMode, contacts, tags};

/// Contact details shared by `add` and `edit`. Labeled values take `label:value`.
#[derive(Debug, Args, Default)]
pub struct DetailArgs {
    /// Email, optionally labeled: work:ada@example.com (repeatable)
    #[arg(long = "email", value_name = "[LABEL:]EMAIL")]
    pub emails: Vec<String>,
    /// Phone, optionally labeled: "mobile:+44 20 7946 0958" (repeatable)
    #[arg(long = "phone", value_name = "[LABEL:]PHONE")]
    pub phones: Vec<String>,
    /// Postal address, optionally labeled (repeatable)
    #[arg(long = "address", value_name = "[LABEL:]ADDRESS")]
    pub addresses: Vec<String>,
    /// Web address (repeatable)
    #[arg(long = "url", value_name = "[LABEL:]URL")]
    pub urls: Vec<String>,
    /// Social handle, labeled by network: linkedin:ada-lovelace (repeatable)
    #[arg(long = "social", value_name = "[NETWORK:]HANDLE")]
    pub socials: Vec<String>,
    /// Given (first) name
    #[arg(long)]
    pub given: Option<String>,
    /// Family (last) name
    #[arg(long)]
    pub family: Option<String>,
    /// Nickname (also matched when you name them)
    #[arg(long)]
    pub nickname: Option<String>,
    /// Organization: an existing one, named as you would name a person ("acme" finds
    /// "Acme Corp"); never created by this flag
    #[arg(long, conflicts_with = "new_org")]
    pub org: Option<String>,
    /// Create this organization and join it
    #[arg(long, value_name = "NAME")]
    pub new_org: Option<String>,
    /// Title or role at the organization
    #[arg(long)]
    pub title: Option<String>,
    /// Tag (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Birthday: YYYY-MM-DD, or --MM-DD without the year
    #[arg(long, allow_hyphen_values = true)]
    pub birthday: Option<String>,
    /// Preferred channel: call, email, meeting, video, message, social, letter
    #[arg(long, value_name = "CHANNEL")]
    pub prefers: Option<String>,
    /// Keep-in-touch cadence: 30d, 2w, 2m, 1y
    #[arg(long, value_name = "CADENCE")]
    pub every: Option<String>,
    /// Notes; on `kith edit`, the new notes replace the old ones
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The name to show, e.g. "Ada Lovelace"
    pub name: String,
    #[command(flatten)]
    pub details: DetailArgs,
}

/// Fields `edit --unset` can clear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Unset {
    Given,
    Family,
    Nickname,
    Org,
    Title,
    Birthday,
    Prefers,
    Every,
    Notes,
    Emails,
    Phones,
    Addresses,
    Urls,
    Socials,
    Tags,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Who: #ID, UID, email, phone or name
    pub who: String,
    /// New display name
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub details: DetailArgs,
    /// Remove an email (repeatable)
    #[arg(long, value_name = "EMAIL")]
    pub rm_email: Vec<String>,
    /// Remove a phone (digits compared; repeatable)
    #[arg(long, value_name = "PHONE")]
    pub rm_phone: Vec<String>,
    /// Remove an address (repeatable)
    #[arg(long, value_name = "ADDRESS")]
    pub rm_address: Vec<String>,
    /// Remove a URL (repeatable)
    #[arg(long, value_name = "URL")]
    pub rm_url: Vec<String>,
    /// Remove a social handle (repeatable)
    #[arg(long, value_name = "HANDLE")]
    pub rm_social: Vec<String>,
    /// Remove a tag (repeatable)
    #[arg(long, value_name = "TAG")]
    pub untag: Vec<String>,
    /// Clear a field (repeatable)
    #[arg(long, value_enum, value_name = "FIELD")]
    pub unset: Vec<Unset>,
    #[command(flatten)]
    pub dates: Box<DateArgs>,
}

/// Yearly dates besides the birthday (boxed: keeps the command enum small).
#[derive(Debug, Args)]
pub struct DateArgs {
    /// Add or change a yearly date: "renewal:2025-03-01", "anniversary:--06-12" (repeatable)
    #[arg(long, value_name = "LABEL:DATE")]
    pub date: Vec<String>,
    /// Remove a yearly date by its label (repeatable)
    #[arg(long, value_name = "LABEL")]
    pub rm_date: Vec<String>,
}

#[derive(Debug, Args)]
pub struct WhoArg {
    /// Who: #ID, UID, email, phone or name
    pub who: String,
}

#[derive(Debug, Args)]
pub struct RmArgs {
    /// Who: #ID, UID, email, phone or name
    pub who: String,
    /// Delete for good, with their interactions that had no one else, follow-ups and links
    #[arg(long)]
    pub purge: bool,
    /// Do not ask for confirmation (needed with --purge when stdin is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Sort {
    #[default]
    Name,
    LastContact,
    Created,
    /// Healthiest first (`kith health` says why)
    Health,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only contacts with this tag
    #[arg(long)]
    pub tag: Option<String>,
    /// Only people at this organization
    #[arg(long)]
    pub org: Option<String>,
    /// Show archived contacts instead
    #[arg(long)]
    pub archived: bool,
    /// Order: by name, most recent contact first, newest first, or healthiest first
    #[arg(long, value_enum, default_value_t)]
    pub sort: Sort,
    /// Output: an aligned table, CSV (for spreadsheets), or JSON (as --json)
    #[arg(long, value_enum, default_value_t)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Who: #ID, UID, email, phone or name
    pub who: String,
    /// All history, each interaction with its number and body, not just the latest
    #[arg(long)]
    pub full: bool,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// Who: #ID, UID, email, phone or name
    pub who: String,
    /// +tag to add, -tag to remove (a bare tag adds)
    #[arg(required = true, allow_hyphen_values = true, value_name = "+TAG|-TAG")]
    pub changes: Vec<String>,
}

fn labeled_all(kind: FieldKind, values: &[String]) -> Result<Vec<Labeled>> {
    values
        .iter()
        .map(|v| Labeled::parse_labeled(kind, v))
        .collect()
}

fn parse_scalar<T>(value: &Option<String>, parse: impl Fn(&str) -> Result<T>) -> Result<Option<T>> {
    value.as_deref().map(parse).transpose()
}

fn parse_channel(s: &str) -> Result<Channel> {
    s.parse()
}

fn parse_period(field: &'static str) -> impl Fn(&str) -> Result<Period> {
    move |s| {
        Period::parse(s)
            .map_err(|_| Error::invalid(field, s, "expected a period such as 30d, 2w, 2m or 1y"))
    }
}

/// Apply the detail flags to `fields` (adding list values, replacing scalars).
fn apply_details(fields: &mut ContactFields, d: &DetailArgs) -> Result<()> {
    for (kind, values) in [
        (FieldKind::Email, &d.emails),
        (FieldKind::Phone, &d.phones),
        (FieldKind::Address, &d.addresses),
        (FieldKind::Url, &d.urls),
        (FieldKind::Social, &d.socials),
    ] {
        let new = labeled_all(kind, values)?;
        fields.labeled_mut(kind).extend(new);
    }
    for (target, value) in [
        (&mut fields.given_name, &d.given),
        (&mut fields.family_name, &d.family),
        (&mut fields.nickname, &d.nickname),
        (&mut fields.organization, &d.org),
        (&mut fields.title, &d.title),
        (&mut fields.notes, &d.note),
    ] {
        if let Some(v) = value {
            *target = Some(v.clone());
        }
    }
    for tag in &d.tags {
        fields.tags.push(normalize_tag(tag)?);
    }
    if let Some(b) = parse_scalar(&d.birthday, Birthday::parse)? {
        fields.birthday = Some(b);
    }
    if let Some(c) = parse_scalar(&d.prefers, parse_channel)? {
        fields.preferred_channel = Some(c);
    }
    if let Some(p) = parse_scalar(&d.every, parse_period("cadence"))? {
        fields.cadence = Some(p);
    }
    Ok(())
}

pub fn add(ctx: &Ctx, args: AddArgs) -> anyhow::Result<()> {
    let mut fields = ContactFields {
        display_name: args.name.clone(),
        ..ContactFields::default()
    };
    apply_details(&mut fields, &args.details)?;
    // Bad input is refused before a book is created for it.
    app::contacts::check_new(&mut fields, ctx.clock.today())?;
    let mut store = ctx.open(OpenMode::CreateIfMissing)?;
    let added = app::contacts::add_joining(
        &mut store,
        ctx.clock,
        fields,
        args.details.new_org.as_deref(),
    )?;
    let id = added.id;
    if let Some(org) = &added.by_domain {
        ctx.note(&format!(
            "{} is at {} (#{}), by the domain of their email; `kith edit` with --org or --unset org changes it",
            args.name, org.name, org.id
        ));
    }
    let contact = contacts::get(store.conn(), id)?;
    warn_shared_details(&store, &contact)?;
    if ctx.json {
        return ctx.print_json(&contact);
    }
    ctx.note(&format!(
        "Added {} (#{})",
        contact.fields.display_name, contact.id
    ));
    Ok(())
}

/// Point out an email, phone or name another contact already has: likely a duplicate.
fn warn_shared_details(store: &crate::store::Store, contact: &crate::model::Contact) -> Result<()> {
    let mut err = std::io::stderr().lock();
    for duplicate in crate::app::contacts::likely_duplicates(store, contact.id, &contact.fields)? {
        let warning = duplicate.warning(contact.id);
        let _ = writeln!(err, "warning: {}", crate::output::sanitize_line(&warning));
    }
    Ok(())
}

pub fn edit(ctx: &Ctx, args: EditArgs) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::MustExist)?;
    let id = contacts::resolve(store.conn(), &args.who, true)?;
    let current = contacts::get(store.conn(), id)?;
    let has_flags = args.name.is_some()
        || !args.rm_email.is_empty()
        || !args.rm_phone.is_empty()
        || !args.rm_address.is_empty()
        || !args.rm_url.is_empty()
        || !args.rm_social.is_empty()
        || !args.untag.is_empty()
        || !args.unset.is_empty()
        || !args.dates.date.is_empty()
        || !args.dates.rm_date.is_empty()
        || details_given(&args.details);
    let fields = if has_flags {
        edited_by_flags(&current.fields, &args)?
    } else {
        match super::editor::edit_in_editor(ctx, &current)? {
            Some(fields) => fields,
            None => {
                ctx.note("No changes.");
                return Ok(());
            }
        }
    };
    let set_dates = args
        .dates
        .date
        .iter()
        .map(|d| crate::model::YearlyDate::parse(d))
        .collect::<Result<Vec<_>>>()?;
    let input = app::contacts::EditContact {
        id,
        fields,
        set_dates,
        remove_dates: args.dates.rm_date.clone(),
        new_org: args.details.new_org.clone(),
    };
    let changed = app::contacts::edit(&mut store, ctx.clock, &input)?;
    let contact = contacts::get(store.conn(), id)?;
    if ctx.json {
        return ctx.print_json(&contact);
    }
    if !changed {
        ctx.note("No changes.");
    } else {
        ctx.note(&format!(
            "Updated {} (#{})",
            contact.fields.display_name, contact.id
        ));
    }
    Ok(())
}

fn details_given(d: &DetailArgs) -> bool {
    !(d.emails.is_empty()
        && d.phones.is_empty()
        && d.addresses.is_empty()
        && d.urls.is_empty()
        && d.socials.is_empty()
        && d.tags.is_empty()
        && d.given.is_none()
        && d.family.is_none()
        && d.nickname.is_none()
        && d.org.is_none()
        && d.new_org.is_none()
        && d.title.is_none()
        && d.birthday.is_none()
        && d.prefers.is_none()
        && d.every.is_none()
        && d.note.is_none())
}

fn edited_by_flags(current: &ContactFields, args: &EditArgs) -> Result<ContactFields> {
    let mut fields = current.clone();
    for unset in &args.unset {
        match unset {
            Unset::Given => fields.given_name = None,
            Unset::Family => fields.family_name = None,
            Unset::Nickname => fields.nickname = None,
            Unset::Org => fields.organization = None,
            Unset::Title => fields.title = None,
            Unset::Birthday => fields.birthday = None,
            Unset::Prefers => fields.preferred_channel = None,
            Unset::Every => fields.cadence = None,
            Unset::Notes => fields.notes = None,
            Unset::Emails => fields.emails.clear(),
            Unset::Phones => fields.phones.clear(),
            Unset::Addresses => fields.addresses.clear(),
            Unset::Urls => fields.urls.clear(),
            Unset::Socials => fields.socials.clear(),
            Unset::Tags => fields.tags.clear(),
        }
    }
    for (kind, removals) in [
        (FieldKind::Email, &args.rm_email),
        (FieldKind::Phone, &args.rm_phone),
        (FieldKind::Address, &args.rm_address),
        (FieldKind::Url, &args.rm_url),
        (FieldKind::Social, &args.rm_social),
    ] {
        for value in removals {
            let key = crate::model::field_key(kind, value);
            let list = fields.labeled_mut(kind);
            let before = list.len();
            list.retain(|item| crate::model::field_key(kind, &item.value) != key);
            if list.len() == before {
                return Err(Error::invalid(
                    kind.as_str(),
                    value,
                    "is not among this contact's values, so there is nothing to remove",
                ));
            }
        }
    }
    for tag in &args.untag {
        let tag = normalize_tag(tag)?;
        fields.tags.retain(|t| *t != tag);
    }
    if let Some(name) = &args.name {
        fields.display_name = name.clone();
    }
    apply_details(&mut fields, &args.details)?;
    fields.validate()?;
    Ok(fields)
}

pub fn rm(ctx: &Ctx, args: RmArgs) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::MustExist)?;
    let id = contacts::resolve(store.conn(), &args.who, true)?;
    let contact = contacts::get(store.conn(), id)?;
    let name = contact.fields.display_name.clone();
    if args.purge {
        if !args.yes {
            if !ctx.stdin_is_tty {
                return Err(Error::Usage(format!(
                    "deleting {} for good needs --yes when stdin is not a terminal",
                    crate::output::sanitize_line(&args.who)
                ))
                .into());
            }
            if !confirm(&format!(
                "Delete {} (#{id}) for good, with their history? [y/N] ",
                crate::output::sanitize_line(&name)
            ))? {
                ctx.note("Kept.");
                return Ok(());
            }
        }
        app::contacts::purge(&mut store, id)?;
        ctx.note(&format!("Deleted {name} (#{id}) for good"));
    } else {
        if !app::contacts::set_archived(&mut store, ctx.clock.now, id, true)? {
            ctx.note(&format!("{name} (#{id}) is already archived"));
            return Ok(());
        }
        ctx.note(&format!(
            "Archived {name} (#{id}); `kith restore '#{id}'` brings them back"
        ));
    }
    Ok(())
}

/// Ask a yes/no question on the terminal; only called when stdin is one.
pub fn confirm(question: &str) -> anyhow::Result<bool> {
    let mut err = std::io::stderr();
    write!(err, "{question}")?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

pub fn restore(ctx: &Ctx, args: WhoArg) -> anyhow::Result<()> {
    let mut store = ctx.open(OpenMode::MustExist)?;
    let id = contacts::resolve(store.conn(), &args.who, true)?;
    let contact = contacts::get(store.conn(), id)?;
    if !app::contacts::set_archived(&mut store, ctx.clock.now, id, false)? {
        ctx.note(&format!(
            "{} (#{id}) is not archived",
            contact.fields.display_name
        ));
        return Ok(());
    }
    ctx.note(&format!("Restored {} (#{id})", contact.fields.display_name));
    Ok(())
}

pub fn list(ctx: &Ctx, args: ListArgs) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let organization_id = match &args.org {
        Some(org) => Some(super::orgs::look_up(store.conn(), org)?),
        None => None,
    };
    let tag = args.tag.as_deref().map(normalize_tag).transpose()?;
    let filter = ContactFilter {
        tag,
        organization_id,
        archived: if args.archived {
            Archived::Only
        } else {
            Archived::Exclude
        },
        ids: None,
    };
    let format = args.format.checked(ctx)?;
    if format == ListFormat::Table && args.sort == Sort::Name {
        return stream_table(ctx, &store, &filter);
    }
    let mut people = contacts::list(store.conn(), &filter)?;
    // Sorted by health, every format shows the score the order comes from.
    let mut health: Option<std::collections::HashMap<i64, crate::health::Health>> = None;
    match args.sort {
        Sort::Name => {}
        Sort::LastContact => people.sort_by_key(|c| std::cmp::Reverse(c.last_contact_at)),
        Sort::Created => {
            people.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)))
        }
        Sort::Health => {
            let scores: std::collections::HashMap<i64, crate::health::Health> =
                views::health::of_contacts(&store, &filter, ctx.clock.now)?
                    .into_iter()
                    .map(|h| (h.contact.id, h.health))
                    .collect();
            let score = |id: &i64| scores.get(id).map_or(0, |h| h.score);
            // Stable: equal scores keep the name order.
            people.sort_by_key(|c| std::cmp::Reverse(score(&c.id)));
            health = Some(scores);
        }
    }
    let score_of = |id: i64| health.as_ref().and_then(|s| s.get(&id)).map(|h| h.score);
    match format {
        ListFormat::Json if health.is_some() => {
            let mut rows = Vec::with_capacity(people.len());
            for c in &people {
                let mut row = serde_json::to_value(c)?;
                if let Some(fields) = row.as_object_mut() {
                    fields.insert("health".into(), score_of(c.id).into());
                }
                rows.push(row);
            }
            ctx.print_json(&rows)
        }
        ListFormat::Json => ctx.print_json(&people),
        ListFormat::Csv => {
            let mut headers = brief::CONTACT_CSV_HEADERS.to_vec();
            if health.is_some() {
                headers.push("health");
            }
            let rows = people
                .iter()
                .map(|c| {
                    let mut row = brief::contact_csv_row(c);
                    if health.is_some() {
                        row.push(score_of(c.id).map(|s| s.to_string()).unwrap_or_default());
                    }
                    row
                })
                .collect();
            print_csv(ctx, &headers, rows)
        }
        ListFormat::Table => {
            if people.is_empty() {
                ctx.note(&nobody_listed(&store, &filter)?);
                return Ok(());
            }
            // Line by line: `kith list | head` stops at once, quietly (a closed pipe is success).
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            brief::contact_rows(&people, ctx.clock, health.as_ref()).write(
                ctx.width,
                ctx.painter,
                &mut out,
            )?;
            out.flush()?;
            Ok(())
        }
    }
}

/// `kith list` in name order as a table: each line written as it is read, so the first is
/// out at once and a closed pipe stops the reading (quietly: a closed pipe is success).
fn stream_table(
    ctx: &Ctx,
    store: &crate::store::Store,
    filter: &ContactFilter,
) -> anyhow::Result<()> {
    let today = ctx.clock.today();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // Ids are the one column whose widest cell is known ahead: any later line's fits.
    let id_width = contacts::highest_id(store.conn())?.to_string().len();
    let mut table = crate::output::StreamedTable::new(
        brief::contact_list_table(false),
        ctx.width,
        ctx.painter,
        &mut out,
    )
    .past_first_page(0, id_width);
    // The first page, in a few milliseconds, then the rest in one go (see `listed_after`).
    let page = crate::output::StreamedTable::PAGE;
    let mut last = None;
    let mut cells = brief::ContactCells::new(today);
    let listed = contacts::each_listed(store.conn(), filter, page, |c| -> anyhow::Result<()> {
        last = Some(c.id);
        Ok(table.row(cells.of(c))?)
    })?;
    if let Some(last) = last.filter(|_| listed == page) {
        contacts::listed_after(store.conn(), filter, last, |c| -> anyhow::Result<()> {
            Ok(table.row(cells.of(c))?)
        })?;
    }
    if table.is_empty() {
        drop(table);
        ctx.note(&nobody_listed(store, filter)?);
        return Ok(());
    }
    table.finish()?;
    Ok(())
}

/// Why `kith list` lists nobody: the filter, an empty book, or only archived people.
fn nobody_listed(store: &crate::store::Store, filter: &ContactFilter) -> anyhow::Result<String> {
    if filter.tag.is_some()
        || filter.organization_id.is_some()
        || filter.archived != Archived::Exclude
    {
        return Ok("No contacts match.".into());
    }
    let archived = ContactFilter {
        archived: Archived::Only,
        ..ContactFilter::default()
    };
    Ok(if contacts::list(store.conn(), &archived)?.is_empty() {
        "No contacts yet; `kith add` or `kith import` adds some.".into()
    } else {
        "No contacts but archived ones; `kith list --archived` lists them.".into()
    })
}

pub fn show(ctx: &Ctx, args: ShowArgs) -> anyhow::Result<()> {
    // In a large book, the connection a second thread reads the organization's side with
    // is opened meanwhile.
    let mut second = views::contact_brief::SecondReader::before_open(&ctx.db_path);
    let store = ctx.open(OpenMode::MustExist)?;
    let found = contacts::lookup(store.conn(), &args.who, true, Purpose::Look)?;
    let id = found.id;
    let recent = (!args.full).then_some(views::contact_brief::RECENT_INTERACTIONS);
    let view = store.unmapped(|store| {
        views::contact_brief::contact_brief_with(store, id, ctx.clock, recent, &mut second)
    })?;
    if let Some(why) = found.closest {
        super::say_closest(&view.contact.fields.display_name, id, &args.who, why);
    }
    let printed = if ctx.json {
        // Through a JSON value, whose keys are sorted, as `show --json` has always printed.
        ctx.print_json(&serde_json::to_value(&view)?)
    } else {
        ctx.print(&brief::render_contact_for(
            &view,
            ctx.painter,
            ctx.width,
            args.full,
            ctx.stdout_is_tty,
        ))
    };
    // The second thread, which closed its connection meanwhile, is waited for before the book
    // is closed.
    drop(second);
    printed
}

pub fn tag(ctx: &Ctx, args: TagArgs) -> anyhow::Result<()> {
    let mut input = app::contacts::ChangeTags::parse(0, args.changes.iter().map(String::as_str))?;
    let mut store = ctx.open(OpenMode::MustExist)?;
    input.id = contacts::resolve(store.conn(), &args.who, true)?;
    let id = input.id;
    let tags = app::contacts::change_tags(&mut store, ctx.clock.now, &input)?;
    let fields = contacts::get(store.conn(), id)?.fields;
    if ctx.json {
        return ctx.print_json(&serde_json::json!({ "id": id, "tags": tags }));
    }
    let shown = if tags.is_empty() {
        "no tags".to_string()
    } else {
        tags.join(", ")
    };
    ctx.note(&format!("{} (#{id}): {shown}", fields.display_name));
    Ok(())
}

pub fn tags(ctx: &Ctx) -> anyhow::Result<()> {
    let store = ctx.open(OpenMode::MustExist)?;
    let counts = tags::counts(store.conn())?;
    if ctx.json {
        return ctx.print_json(&counts);
    }
    if counts.is_empty() {
        ctx.note("No tags yet: `kith tag WHO +client` adds one.");
        return Ok(());
    }
    let mut table = crate::output::Table::new(["TAG", "CONTACTS", "ORGS"])
        .right_align(1)
        .right_align(2);
    for c in &counts {
        table.row([
            c.name.clone(),
            c.contacts.to_string(),
            c.organizations.to_string(),
        ]);
    }
    ctx.print(&table.render(ctx.width, ctx.painter))
}
