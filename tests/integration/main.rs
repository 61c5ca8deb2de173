//! One integration test binary: the real `kith` on temporary databases, in a hermetic
//! environment (cleared env, fixed clock, UTC), as a user or a script would run it.

mod common;

mod contacts;
mod database;
mod import_json;
mod import_vcard;
mod interactions_and_follow_ups;
mod organizations_and_links;
mod output;
mod tui;
mod tui_terminal;
