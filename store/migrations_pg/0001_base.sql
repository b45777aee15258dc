-- PostgreSQL twin of migrations/0001_base.sql: same tables and columns, so the store's
-- statements run unchanged. Flags stay 0/1 integers as in SQLite; REAL becomes DOUBLE
-- PRECISION (PostgreSQL's REAL is 4 bytes); times stay fixed-width RFC 3339 text.
CREATE TABLE batches (
    id          TEXT PRIMARY KEY,
    dossier_id  TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE documents (
    id                  TEXT PRIMARY KEY,
    dossier_id          TEXT NOT NULL,
    batch_id            TEXT NOT NULL REFERENCES batches(id),
    file_name           TEXT NOT NULL,
    blob                TEXT NOT NULL,
    size                BIGINT NOT NULL,
    status              TEXT NOT NULL,
    error               TEXT NOT NULL DEFAULT '',
    page_count          INTEGER NOT NULL DEFAULT 0,
    doc_type            TEXT NOT NULL DEFAULT '',
    doc_type_confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
    review_state        TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (dossier_id, blob)
);
CREATE INDEX documents_dossier ON documents (dossier_id);
CREATE INDEX documents_batch ON documents (batch_id);
CREATE INDEX documents_status ON documents (status);

CREATE TABLE pages (
    doc_id          TEXT NOT NULL REFERENCES documents(id),
    number          INTEGER NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    dpi             DOUBLE PRECISION NOT NULL,
    rotation        INTEGER NOT NULL,
    skew_degrees    DOUBLE PRECISION NOT NULL,
    blank           INTEGER NOT NULL,
    image           TEXT NOT NULL,
    recognised      INTEGER NOT NULL DEFAULT 0,
    mean_confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
    text            TEXT NOT NULL DEFAULT '',
    words           TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (doc_id, number)
);

CREATE TABLE fields (
    doc_id      TEXT NOT NULL REFERENCES documents(id),
    name        TEXT NOT NULL,
    value       TEXT NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL,
    page        INTEGER NOT NULL,
    bbox        TEXT NOT NULL,
    valid       INTEGER NOT NULL,
    source      TEXT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (doc_id, name)
);
CREATE INDEX fields_value ON fields (name, value);

-- Append-only log of reads and changes of personal data (Decree 13/2023, Law 91/2025).
CREATE TABLE audit (
    id          BIGSERIAL PRIMARY KEY,
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
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only';
END;
$$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
