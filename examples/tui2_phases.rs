use kith::clock::Clock;
use kith::store::{OpenMode, Store};
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let clock = Clock::from_env().unwrap();
    for _ in 0..3 {
        let t0 = Instant::now();
        let t = Instant::now();
        let store = Store::open(std::path::Path::new(&path), OpenMode::MustExist).unwrap();
        eprintln!("open {:?}", t.elapsed());
        let t = Instant::now();
        let n = kith::store::contact_list::count_active(store.conn()).unwrap();
        eprintln!("count {:?} {n}", t.elapsed());
        let t = Instant::now();
        let c = kith::tui::data::first_contacts(store.conn(), 500).unwrap();
        eprintln!("first {:?} {}", t.elapsed(), c.len());
        let t = Instant::now();
        let r = kith::store::reminders::open_dues(store.conn()).unwrap();
        eprintln!("dues {:?} {}", t.elapsed(), r.len());
        let t = Instant::now();
        let b = kith::tui::data::contact_brief(store.conn(), c[0].id, clock).unwrap();
        eprintln!("brief {:?} {}", t.elapsed(), b.contact.id);
        let t = Instant::now();
        let mut app = kith::tui::app::App::new(&store, clock, false).unwrap();
        eprintln!("App::new {:?} {}", t.elapsed(), app.data.contacts.len());
        eprintln!("total sync {:?}", t0.elapsed());
        let t = Instant::now();
        app.wait_loaded(&store);
        eprintln!("wait loaded {:?} {}", t.elapsed(), app.data.contacts.len());
        let t = Instant::now();
        let e = kith::tui::data::all_contacts(store.conn()).unwrap();
        eprintln!("all_contacts alone {:?} {}", t.elapsed(), e.len());
    }
}
