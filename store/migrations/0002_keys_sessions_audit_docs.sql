-- API keys live hashed (SHA-256 of a 256-bit random token: a slow hash adds nothing to a
-- secret that cannot be guessed); the secret is shown once, when `sohoa keys create` makes it.
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL DEFAULT '',
    revoked_at  TEXT NOT NULL DEFAULT ''
);

-- UI sign-in sessions: the cookie carries a random session token (stored hashed), never the
-- API key; sign-out revokes the row.
CREATE TABLE sessions (
    hash        TEXT PRIMARY KEY,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT NOT NULL DEFAULT ''
);

-- The documents a read returned (a search, a dossier, an export), one row each, so the log
-- can be filtered by document whatever the action.
CREATE TABLE audit_docs (
    audit_id    INTEGER NOT NULL REFERENCES audit(id),
    doc_id      TEXT NOT NULL,
    PRIMARY KEY (audit_id, doc_id)
);
CREATE INDEX audit_docs_doc ON audit_docs (doc_id);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_actor ON audit (actor);
CREATE TRIGGER audit_docs_append_only_update BEFORE UPDATE ON audit_docs
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_docs_append_only_delete BEFORE DELETE ON audit_docs
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
