-- kith schema version 12: `kith sync` with CardDAV servers. An account is where and as whom
-- (never a password: how to get one, a command or an environment variable). Per account and
-- contact UID, the card's href and ETag on the server and the text both sides agreed on at
-- the last sync, the base of the next three-way merge. Conflicts are the server's values of
-- properties changed on both sides, which kith did not take.
CREATE TABLE sync_accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    username TEXT NOT NULL,
    password_command TEXT,
    password_env TEXT,
    -- The address book's path on the server, found by the first sync.
    collection TEXT,
    -- RFC 6578: where the last complete sync left off.
    sync_token TEXT,
    created_at TEXT NOT NULL,
    synced_at TEXT
);

CREATE TABLE sync_cards (
    account_id INTEGER NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    href TEXT NOT NULL,
    etag TEXT,
    base TEXT NOT NULL,
    PRIMARY KEY (account_id, uid)
) WITHOUT ROWID;
CREATE UNIQUE INDEX sync_cards_by_href ON sync_cards(account_id, href);

CREATE TABLE sync_conflicts (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES sync_accounts(id) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    property TEXT NOT NULL,
    kept TEXT NOT NULL,
    server TEXT NOT NULL,
    found_at TEXT NOT NULL
);
CREATE INDEX sync_conflicts_by_account ON sync_conflicts(account_id, uid);
