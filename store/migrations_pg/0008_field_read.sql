-- PostgreSQL twin of migrations/0008_field_read.sql (the same statement).
-- What the OCR read for a field when a closed vocabulary or the language model corrected it
-- (record.Field.Read); '' when the value is what was read.
ALTER TABLE fields ADD COLUMN read TEXT NOT NULL DEFAULT '';
