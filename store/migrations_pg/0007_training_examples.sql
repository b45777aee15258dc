-- PostgreSQL twin of migrations/0007_training_examples.sql (BIGSERIAL for AUTOINCREMENT, DOUBLE PRECISION for REAL).
-- Learning from corrections (issue 17): every clerk correction of a field and every
-- reclassification is kept as a labelled example, written in the transaction of the change,
-- so that `sohoa train` learns from what clerks did. kind is 'field' (field names the field)
-- or 'doc_type' (field is empty); old_value is what the machine (or an earlier clerk) had,
-- new_value what the clerk set; doc_type is the document's type when the change was made.
-- confidence, page and bbox are the old value's as stored; context holds the recognised words
-- (text, confidence, box, line as JSON) on the old value's page around its box, so the
-- example stays readable after the document is re-extracted or its pages change.
CREATE TABLE training_examples (
    id          BIGSERIAL PRIMARY KEY,
    at          TEXT NOT NULL,
    doc_id      TEXT NOT NULL REFERENCES documents(id),
    kind        TEXT NOT NULL,
    field       TEXT NOT NULL DEFAULT '',
    doc_type    TEXT NOT NULL DEFAULT '',
    old_value   TEXT NOT NULL DEFAULT '',
    new_value   TEXT NOT NULL DEFAULT '',
    old_source  TEXT NOT NULL DEFAULT '',
    confidence  DOUBLE PRECISION NOT NULL DEFAULT 0,
    page        INTEGER NOT NULL DEFAULT 0,
    bbox        TEXT NOT NULL DEFAULT '[0,0,0,0]',
    context     TEXT NOT NULL DEFAULT '[]',
    actor       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX training_examples_doc ON training_examples (doc_id);
