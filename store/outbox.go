package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Event types written to the outbox. Receivers branch on them; they are part of the API.
const (
	EventDocumentIndexed   = "document.indexed"   // every stage done
	EventDocumentFailed    = "document.failed"    // processing stopped: bad input or out of retries
	EventDocumentApproved  = "document.approved"  // a clerk approved it
	EventDocumentCorrected = "document.corrected" // a clerk changed fields
	EventBatchDone         = "batch.done"         // every document of a closed batch indexed or failed
)

// EventTypes lists every event type, for validating webhook subscriptions.
var EventTypes = []string{EventDocumentIndexed, EventDocumentFailed, EventDocumentApproved, EventDocumentCorrected, EventBatchDone}

// Event is one outbox row. Data holds IDs, states and the names of changed fields, never a
// field's value: the receivers are other systems, and a personal value sent there would leave
// the audit log's reach.
type Event struct {
	Seq       int64           `json:"-"`
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Subject   string          `json:"subject"` // the document or batch ID
	Data      json.RawMessage `json:"data"`
	CreatedAt string          `json:"created_at"`
}

// EventData is the data of a document or batch event.
type EventData struct {
	DocumentID  string   `json:"document_id,omitempty"`
	BatchID     string   `json:"batch_id,omitempty"`
	DossierID   string   `json:"dossier_id"`
	Status      string   `json:"status,omitempty"`
	DocType     string   `json:"doc_type,omitempty"`
	ReviewState string   `json:"review_state,omitempty"`
	Changed     []string `json:"changed,omitempty"` // names of the fields or columns that changed
	// For batch.done: how many documents ended each way.
	Total   *int `json:"total,omitempty"`
	Indexed *int `json:"indexed,omitempty"`
	Failed  *int `json:"failed,omitempty"`
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryDead      = "dead"
)

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// insertEvent writes an event inside the caller's transaction. id "" draws a random one; a
// fixed id makes the event happen at most once (the second insert is ignored).
func insertEvent(ctx context.Context, tx execer, now, id, typ, subject string, data EventData) error {
	if id == "" {
		var b [12]byte
		rand.Read(b[:])
		id = "ev_" + hex.EncodeToString(b[:])
	}
	body, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("encoding event: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (id, type, subject, payload, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		id, typ, subject, string(body), now); err != nil {
		return fmt.Errorf("writing %s event: %w", typ, err)
	}
	return nil
}

// batchDoneID names a batch's batch.done event, so that it is written once however many
// transactions find the batch finished.
func batchDoneID(batchID string) string {
	sum := sha256.Sum256([]byte(EventBatchDone + "\x00" + batchID))
	return "ev_" + hex.EncodeToString(sum[:12])
}

// maybeBatchDone writes batch.done when the batch is closed and none of its documents is still
// on its way. The batch's row is written first: concurrent transactions finishing its last two
// documents then take turns on that row's lock, and the second counts after the first
// committed (a fresh snapshot under READ COMMITTED), so one of them sees the batch finished.
func maybeBatchDone(ctx context.Context, tx execer, now, batchID string) error {
	var dossier, closed string
	if _, err := tx.ExecContext(ctx, `UPDATE batches SET closed_at = closed_at WHERE id = ?`, batchID); err != nil {
		return fmt.Errorf("locking batch %s: %w", batchID, err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT dossier_id, closed_at FROM batches WHERE id = ?`, batchID).Scan(&dossier, &closed); err != nil {
		return notFound(err, "batch "+batchID)
	}
	if closed == "" {
		return nil
	}
	var total, indexed, failed int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0)
		FROM documents WHERE batch_id = ?`, StatusIndexed, StatusFailed, batchID).Scan(&total, &indexed, &failed); err != nil {
		return fmt.Errorf("counting batch %s: %w", batchID, err)
	}
	if indexed+failed < total {
		return nil
	}
	return insertEvent(ctx, tx, now, batchDoneID(batchID), EventBatchDone, batchID,
		EventData{BatchID: batchID, DossierID: dossier, Total: &total, Indexed: &indexed, Failed: &failed})
}

// CloseBatch records that the batch's upload request has ended: no more documents will join
// it. A batch whose documents all finished already is reported done now.
func (s *SQL) CloseBatch(ctx context.Context, batchID string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("closing batch: %w", err)
	}
	defer tx.Rollback()
	now := s.stamp()
	res, err := tx.ExecContext(ctx, `UPDATE batches SET closed_at = ? WHERE id = ? AND closed_at = ''`, now, batchID)
	if err != nil {
		return fmt.Errorf("closing batch %s: %w", batchID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // closed before, or no such batch
	}
	if err := maybeBatchDone(ctx, tx, now, batchID); err != nil {
		return err
	}
	return tx.Commit()
}

// Events lists outbox events after seq, oldest first (tests and the dead-letter view use it).
func (s *SQL) Events(ctx context.Context, afterSeq int64, limit int) ([]Event, error) {
	return s.events(ctx, `SELECT seq, id, type, subject, payload, created_at FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?`, afterSeq, limit)
}

func (s *SQL) events(ctx context.Context, q string, args ...any) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing events: %w", err)
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		var e Event
		var data string
		if err := rows.Scan(&e.Seq, &e.ID, &e.Type, &e.Subject, &data, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("reading event row: %w", err)
		}
		e.Data = json.RawMessage(data)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Subscription is a webhook endpoint and the event types it receives.
type Subscription struct {
	Endpoint string
	Types    []string
}

// FanOut makes the delivery rows of up to limit new events, one per subscription of the
// event's type, due now, and marks the events fanned. It returns how many events it took, so
// the caller repeats while that is limit. An endpoint added later receives the events from
// then on. Two dispatchers fanning out the same events make the same rows once.
func (s *SQL) FanOut(ctx context.Context, subs []Subscription, limit int) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("fanning out events: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT seq, id, type FROM outbox WHERE fanned = 0 ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return 0, fmt.Errorf("fanning out events: %w", err)
	}
	type fresh struct {
		seq      int64
		id, kind string
	}
	var evs []fresh
	for rows.Next() {
		var e fresh
		if err := rows.Scan(&e.seq, &e.id, &e.kind); err != nil {
			rows.Close()
			return 0, fmt.Errorf("fanning out events: %w", err)
		}
		evs = append(evs, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("fanning out events: %w", err)
	}
	now := s.stamp()
	for _, e := range evs {
		for _, sub := range subs {
			if !slices.Contains(sub.Types, e.kind) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox_deliveries (event_id, endpoint, state, attempts, next_at, last_error, updated_at)
				VALUES (?, ?, ?, 0, ?, '', ?) ON CONFLICT (event_id, endpoint) DO NOTHING`, e.id, sub.Endpoint, DeliveryPending, now, now); err != nil {
				return 0, fmt.Errorf("fanning out %s: %w", e.id, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET fanned = 1 WHERE seq = ?`, e.seq); err != nil {
			return 0, fmt.Errorf("fanning out %s: %w", e.id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("fanning out events: %w", err)
	}
	return len(evs), nil
}

// DueEvents lists up to limit events whose delivery to endpoint is due (pending, next_at
// passed), longest due first, and among those due at once (fanned out together) the oldest
// event first. It walks the endpoint's pending rows in the index's next_at order and stops at
// limit, so a receiver that was down for days, with a large backlog, costs a round no more
// than a healthy one.
func (s *SQL) DueEvents(ctx context.Context, endpoint string, limit int) ([]Event, error) {
	return s.events(ctx, `SELECT o.seq, o.id, o.type, o.subject, o.payload, o.created_at
		FROM outbox_deliveries d JOIN outbox o ON o.id = d.event_id
		WHERE d.endpoint = ? AND d.state = ? AND d.next_at <= ?
		ORDER BY d.next_at, o.seq LIMIT ?`, endpoint, DeliveryPending, s.stamp(), limit)
}

// ClaimDelivery takes the next attempt at delivering an event to endpoint, holding it for
// lease: another dispatcher (a second serve) finds it not due until then, so two do not send
// the same attempt. ok is false when it is not due (delivered, dead, or claimed by another).
func (s *SQL) ClaimDelivery(ctx context.Context, eventID, endpoint string, lease time.Duration) (attempt int, ok bool, err error) {
	now := s.now()
	err = s.db.QueryRowContext(ctx, `UPDATE outbox_deliveries SET attempts = attempts + 1, next_at = ?, updated_at = ?
		WHERE event_id = ? AND endpoint = ? AND state = ? AND next_at <= ?
		RETURNING attempts`, Stamp(now.Add(lease)), Stamp(now), eventID, endpoint, DeliveryPending, Stamp(now)).Scan(&attempt)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("claiming delivery of %s: %w", eventID, err)
	}
	return attempt, true, nil
}

// DeliveryDone records that endpoint acknowledged the event.
func (s *SQL) DeliveryDone(ctx context.Context, eventID, endpoint string) error {
	return s.setDelivery(ctx, eventID, endpoint, DeliveryDelivered, "", time.Time{})
}

// DeliveryFailed records a failed attempt: retried at retryAt, or dead when retryAt is zero
// (out of attempts). reason is the HTTP status or connection error, never the payload.
func (s *SQL) DeliveryFailed(ctx context.Context, eventID, endpoint, reason string, retryAt time.Time) error {
	if retryAt.IsZero() {
		return s.setDelivery(ctx, eventID, endpoint, DeliveryDead, reason, time.Time{})
	}
	return s.setDelivery(ctx, eventID, endpoint, DeliveryPending, reason, retryAt)
}

func (s *SQL) setDelivery(ctx context.Context, eventID, endpoint, state, reason string, next time.Time) error {
	nextAt := ""
	if !next.IsZero() {
		nextAt = Stamp(next)
	}
	_, err := s.db.ExecContext(ctx, `UPDATE outbox_deliveries SET state = ?, last_error = ?, next_at = ?, updated_at = ? WHERE event_id = ? AND endpoint = ?`,
		state, reason, nextAt, s.stamp(), eventID, endpoint)
	if err != nil {
		return fmt.Errorf("recording delivery of %s: %w", eventID, err)
	}
	return nil
}

// DeadDelivery is an event an endpoint never acknowledged within its attempts.
type DeadDelivery struct {
	Event
	Endpoint  string `json:"endpoint"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error"`
	DeadAt    string `json:"dead_at"`
}

// DeadDeliveries lists the dead letters, most recent first.
func (s *SQL) DeadDeliveries(ctx context.Context, limit int) ([]DeadDelivery, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT o.seq, o.id, o.type, o.subject, o.payload, o.created_at, d.endpoint, d.attempts, d.last_error, d.updated_at
		FROM outbox_deliveries d JOIN outbox o ON o.id = d.event_id WHERE d.state = ? ORDER BY d.updated_at DESC, o.seq DESC LIMIT ?`, DeliveryDead, limit)
	if err != nil {
		return nil, fmt.Errorf("listing dead letters: %w", err)
	}
	defer rows.Close()
	out := []DeadDelivery{}
	for rows.Next() {
		var d DeadDelivery
		var data string
		if err := rows.Scan(&d.Seq, &d.ID, &d.Type, &d.Subject, &data, &d.CreatedAt, &d.Endpoint, &d.Attempts, &d.LastError, &d.DeadAt); err != nil {
			return nil, fmt.Errorf("reading dead letter: %w", err)
		}
		d.Data = json.RawMessage(data)
		out = append(out, d)
	}
	return out, rows.Err()
}

// RetryDead puts a dead letter back in line with fresh attempts (an admin fixed the receiver).
func (s *SQL) RetryDead(ctx context.Context, eventID, endpoint string) error {
	now := s.stamp()
	res, err := s.db.ExecContext(ctx, `UPDATE outbox_deliveries SET state = ?, attempts = 0, next_at = ?, updated_at = ? WHERE event_id = ? AND endpoint = ? AND state = ?`,
		DeliveryPending, now, now, eventID, endpoint, DeliveryDead)
	if err != nil {
		return fmt.Errorf("retrying %s: %w", eventID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("dead letter %s for %s: %w", eventID, endpoint, ErrNotFound)
	}
	return nil
}

// correctedEvent writes document.corrected naming the fields a clerk changed (and
// review_state when the correction reopened an approved document), never their values.
func correctedEvent(ctx context.Context, tx execer, now, docID string, changes []FieldChange, reopened bool) error {
	var doc Document
	err := tx.QueryRowContext(ctx, `SELECT dossier_id, batch_id, status, doc_type, review_state FROM documents WHERE id = ?`, docID).
		Scan(&doc.DossierID, &doc.BatchID, &doc.Status, &doc.DocType, &doc.ReviewState)
	if err != nil {
		return notFound(err, "document "+docID)
	}
	var names []string
	for _, c := range changes {
		if !slices.Contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	slices.Sort(names)
	if reopened {
		names = append(names, "review_state")
	}
	return insertEvent(ctx, tx, now, "", EventDocumentCorrected, docID, EventData{DocumentID: docID, BatchID: doc.BatchID, DossierID: doc.DossierID,
		Status: doc.Status, DocType: doc.DocType, ReviewState: doc.ReviewState, Changed: names})
}
