//! One integration test binary: the real `kith` on temporary databases, in a hermetic
//! environment (cleared env, fixed clock, UTC), as a user or a script would run it.

mod common;

mod companies;

mod account_rows;
mod agenda;
mod agenda_namesakes;
mod backup;
mod backup_random;
mod capture;
mod capture_calendar;
mod capture_trial;
mod contacts;
mod database;
mod dates_as_written;
mod dupes_and_merge;
mod export_vcard;
mod health;
mod hostile;
mod ics_export;
mod import_as_meant;
mod import_csv;
mod import_files;
mod import_indexes;
mod import_json;
mod import_report;
mod import_vcard;
mod interaction_records;
mod interactions_and_follow_ups;
mod khard_interop;
mod last_contact;
mod migrations;
mod organizations_and_links;
mod output;
mod parsers;
mod phones_as_dialled;
pub(crate) mod radicale;
mod reliability;
mod reliability_import;
mod scripts;
mod search;
mod snapshots_text;
pub(crate) mod sync;
mod sync_bad_servers;
mod sync_conflicts;
mod sync_third_client;
mod text_fits;
mod the_right_person;
mod tui;
pub(crate) mod tui_terminal;
mod tui_timeline;
mod validation;
mod vdir_export;
pub(crate) mod vdirsyncer;
mod vobject_interop;
mod who_knows;
