-- PostgreSQL twin of migrations/0003_review_reasons.sql (same statements).
CREATE TABLE review_reasons (
    doc_id      TEXT NOT NULL REFERENCES documents(id),
    seq         INTEGER NOT NULL,
    code        TEXT NOT NULL,
    field       TEXT NOT NULL DEFAULT '',
    message     TEXT NOT NULL,
    PRIMARY KEY (doc_id, seq)
);
