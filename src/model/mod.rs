//! The core's plain types of kith's world and the rules on their values. No I/O: nothing here
//! knows of SQL, files or terminals; the store turns these values into rows and back.
//!
//! - [`contact`]: contacts, organizations and relationships; the editable fields of a person.
//! - [`interaction`]: interactions, their channel and direction.
//! - [`reminder`]: follow-ups, when they are due, what a new one takes; [`recurrence`]: how a
//!   recurring one counts its next date.
//! - [`yearly`]: birthdays and other yearly dates.
//! - [`cadence`]: keep-in-touch cadences given by tags.
//! - [`validation`]: single values (emails, phones, names, tags) and their comparison keys.
//! - [`uid`]: stable record identifiers.

pub mod cadence;
pub mod contact;
pub mod interaction;
pub mod recurrence;
pub mod reminder;
pub mod uid;
pub mod validation;
pub mod yearly;

pub use crate::dates::{Period, PeriodUnit};
pub use cadence::TagCadence;
pub use contact::{
    Contact, ContactFields, ContactRef, FieldKind, Labeled, OrgRef, Organization, Relationship,
};
pub use interaction::{Channel, Direction, Interaction, NewInteraction, ThreadSpan};
pub use recurrence::next_due;
pub use reminder::{Completion, Due, NewReminder, RecurFrom, Reminder, ReminderExtra};
pub use uid::new_uid;
pub use validation::{
    email_key, field_key, fold, normalize_label, normalize_relationship_kind, normalize_tag,
    phone_digits, phone_key, validate_email, validate_field, validate_name, validate_phone,
};
pub use yearly::{Birthday, YearlyDate, impossible_iso_date, no_such_day};
