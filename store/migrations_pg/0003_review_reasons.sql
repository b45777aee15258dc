-- PostgreSQL twin of migrations/0003_review_reasons.sql (the same statement).
-- Why a document was sent to review: one row per reason, replaced whenever the document is
-- extracted again. code is stable (extract.Reason*), field is '' for the document type, and
-- message is the Vietnamese text shown to the clerk.
CREATE TABLE review_reasons (
    doc_id      TEXT NOT NULL REFERENCES documents(id),
    seq         INTEGER NOT NULL,
    code        TEXT NOT NULL,
    field       TEXT NOT NULL DEFAULT '',
    message     TEXT NOT NULL,
    PRIMARY KEY (doc_id, seq)
);
