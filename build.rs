//! Links the `kith` binary as a fixed-address (non-PIE) executable on Linux.
//!
//! A position-independent kith spends about 2 ms of every command's start relocating itself:
//! some 46,000 pointers in its read-only data (panic locations, vtables, tables of strings),
//! and a private copy of each of the ~320 pages they sit on. Every lookup pays that, and the
//! lookups' budgets are 10–30 ms. A fixed-address binary has them resolved when it is linked.
//! What it gives up is address randomisation of the binary's own image (libraries, stack and
//! heap stay randomised): kith is memory-safe Rust apart from SQLite, and reads only the
//! user's own files. The code stays position-independent; only the link changes.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
