CREATE TABLE IF NOT EXISTS batches (
    id          TEXT PRIMARY KEY,
    dossier_id  TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS documents (
    id                  TEXT PRIMARY KEY,
    dossier_id          TEXT NOT NULL,
    batch_id            TEXT NOT NULL REFERENCES batches(id),
    file_name           TEXT NOT NULL,
    blob                TEXT NOT NULL,
    size                INTEGER NOT NULL,
    status              TEXT NOT NULL,
    error               TEXT NOT NULL DEFAULT '',
    page_count          INTEGER NOT NULL DEFAULT 0,
    doc_type            TEXT NOT NULL DEFAULT '',
    doc_type_confidence REAL NOT NULL DEFAULT 0,
    review_state        TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (dossier_id, blob)
);
CREATE INDEX IF NOT EXISTS documents_dossier ON documents (dossier_id);
CREATE INDEX IF NOT EXISTS documents_batch ON documents (batch_id);
CREATE INDEX IF NOT EXISTS documents_status ON documents (status);

CREATE TABLE IF NOT EXISTS pages (
    doc_id          TEXT NOT NULL REFERENCES documents(id),
    number          INTEGER NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    dpi             REAL NOT NULL,
    rotation        INTEGER NOT NULL,
    skew_degrees    REAL NOT NULL,
    blank           INTEGER NOT NULL,
    image           TEXT NOT NULL,
    recognised      INTEGER NOT NULL DEFAULT 0,
    mean_confidence REAL NOT NULL DEFAULT 0,
    text            TEXT NOT NULL DEFAULT '',
    words           TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (doc_id, number)
);

-- source is 'extract' for machine values and 'clerk' for corrections; re-running extraction
-- replaces only machine values.
CREATE TABLE IF NOT EXISTS fields (
    doc_id      TEXT NOT NULL REFERENCES documents(id),
    name        TEXT NOT NULL,
    value       TEXT NOT NULL,
    confidence  REAL NOT NULL,
    page        INTEGER NOT NULL,
    bbox        TEXT NOT NULL,
    valid       INTEGER NOT NULL,
    source      TEXT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (doc_id, name)
);
CREATE INDEX IF NOT EXISTS fields_value ON fields (name, value);

-- Append-only log of reads and changes of personal data (Decree 13/2023, Law 91/2025).
CREATE TABLE IF NOT EXISTS audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL,
    action      TEXT NOT NULL,
    doc_id      TEXT NOT NULL DEFAULT '',
    dossier_id  TEXT NOT NULL DEFAULT '',
    subject     TEXT NOT NULL DEFAULT '',
    field       TEXT NOT NULL DEFAULT '',
    old_value   TEXT NOT NULL DEFAULT '',
    new_value   TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
