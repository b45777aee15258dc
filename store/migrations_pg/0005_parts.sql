-- PostgreSQL twin of migrations/0005_parts.sql (the same statements).
-- Whole-dossier scans split into documents (issue 20). A file that holds several documents
-- keeps its uploaded row as the first part (its ID, blob and dedup key stay those of the
-- file, so a second upload of the same bytes is still recognised); each further part is a
-- document of its own, whose blob is a PDF of its pages. document_parts links every part,
-- the first included, to the uploaded document (source_id) and the range of the file's
-- pages it covers; seq orders the parts in the file. A file that is one document has no row.
CREATE TABLE document_parts (
    doc_id      TEXT PRIMARY KEY REFERENCES documents(id),
    source_id   TEXT NOT NULL REFERENCES documents(id),
    seq         INTEGER NOT NULL,
    first_page  INTEGER NOT NULL,
    last_page   INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    UNIQUE (source_id, seq)
);

-- Uploads whose sender turned splitting off (split=false): their file is one document
-- whatever its pages hold.
CREATE TABLE unsplit_documents (
    doc_id      TEXT PRIMARY KEY REFERENCES documents(id)
);
