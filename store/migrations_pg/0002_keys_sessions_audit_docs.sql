-- PostgreSQL twin of migrations/0002_keys_sessions_audit_docs.sql.
-- rowid stands in for SQLite's implicit one: keys are listed in the order they were made.
CREATE TABLE api_keys (
    rowid       BIGSERIAL NOT NULL,
    id          TEXT PRIMARY KEY,
    hash        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL DEFAULT '',
    revoked_at  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sessions (
    hash        TEXT PRIMARY KEY,
    actor       TEXT NOT NULL,
    role        TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE audit_docs (
    audit_id    BIGINT NOT NULL REFERENCES audit(id),
    doc_id      TEXT NOT NULL,
    PRIMARY KEY (audit_id, doc_id)
);
CREATE INDEX audit_docs_doc ON audit_docs (doc_id);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_actor ON audit (actor);
CREATE TRIGGER audit_docs_append_only BEFORE UPDATE OR DELETE ON audit_docs
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_docs_append_only_truncate BEFORE TRUNCATE ON audit_docs
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
