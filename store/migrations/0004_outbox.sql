-- Events for other systems (issue 20). outbox rows are written in the same transaction as
-- the state change they report, so an event exists exactly when the change committed; the
-- webhook dispatcher reads them later. id is what receivers de-duplicate on (delivery is
-- at least once); seq orders delivery. payload holds IDs and changed field names only,
-- never personal values. fanned is set once the dispatcher has made the event's delivery rows
-- for the endpoints subscribed to its type: the partial index finds new events without
-- reading the delivered ones, however long the outbox grows.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    fanned      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_unfanned ON outbox (seq) WHERE fanned = 0;

-- One row per event and subscribed webhook endpoint: pending (due at next_at, which is also
-- the lease of an attempt in flight), delivered, or dead (out of attempts: the admins'
-- dead-letter view).
CREATE TABLE outbox_deliveries (
    event_id    TEXT NOT NULL REFERENCES outbox(id),
    endpoint    TEXT NOT NULL,
    state       TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TEXT NOT NULL,
    last_error  TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (event_id, endpoint)
);
CREATE INDEX outbox_deliveries_due ON outbox_deliveries (endpoint, state, next_at);
CREATE INDEX outbox_deliveries_state ON outbox_deliveries (state, updated_at);

-- A batch is done (batch.done) only once its upload request has ended: closed_at is set then,
-- so a batch whose first files finish while later ones are still arriving is not reported
-- early. Batches made before this migration count as closed.
ALTER TABLE batches ADD COLUMN closed_at TEXT NOT NULL DEFAULT '';
UPDATE batches SET closed_at = created_at;

-- Exports walk documents in upload order, a page at a time (store.ExportPage).
CREATE INDEX documents_created ON documents (created_at, id);
