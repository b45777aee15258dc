package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sohoa/sohoa/record"
)

// Batch is one upload of files into a dossier.
type Batch struct {
	ID        string `json:"id"`
	DossierID string `json:"dossier_id"`
	CreatedBy string `json:"created_by,omitempty"`
	CreatedAt string `json:"created_at"`
}

// Document is one uploaded file and what the pipeline made of it.
type Document struct {
	ID                string  `json:"id"`
	DossierID         string  `json:"dossier_id"`
	BatchID           string  `json:"batch_id"`
	FileName          string  `json:"file_name"`
	Blob              Ref     `json:"sha256"`
	Size              int64   `json:"size"`
	Status            string  `json:"status"`
	Error             string  `json:"error,omitempty"`
	PageCount         int     `json:"page_count"`
	DocType           string  `json:"doc_type,omitempty"`
	DocTypeConfidence float64 `json:"doc_type_confidence,omitempty"`
	ReviewState       string  `json:"review_state,omitempty"`
	CreatedAt         string  `json:"created_at"`
	UpdatedAt         string  `json:"updated_at"`
}

// PageRecord is a stored page: the prepared image and, once recognised, its text and words.
type PageRecord struct {
	record.Page
	DocID      string  `json:"-"`
	DPI        float64 `json:"dpi"`
	Image      Ref     `json:"-"`
	Recognised bool    `json:"recognised"`
}

// CreateBatch stores a new batch.
func (s *SQL) CreateBatch(ctx context.Context, b Batch) (Batch, error) {
	b.CreatedAt = s.stamp()
	_, err := s.db.ExecContext(ctx, `INSERT INTO batches (id, dossier_id, created_by, created_at) VALUES (?, ?, ?, ?)`,
		b.ID, b.DossierID, b.CreatedBy, b.CreatedAt)
	if err != nil {
		return Batch{}, fmt.Errorf("creating batch: %w", err)
	}
	return b, nil
}

// Batch returns one batch.
func (s *SQL) Batch(ctx context.Context, id string) (Batch, error) {
	var b Batch
	err := s.db.QueryRowContext(ctx, `SELECT id, dossier_id, created_by, created_at FROM batches WHERE id = ?`, id).
		Scan(&b.ID, &b.DossierID, &b.CreatedBy, &b.CreatedAt)
	return b, notFound(err, "batch "+id)
}

// AddDocument stores a new document, or returns the existing one when the same bytes were
// already uploaded into the same dossier (created is then false).
func (s *SQL) AddDocument(ctx context.Context, d Document) (doc Document, created bool, err error) {
	d.ID = DocumentID(d.DossierID, d.Blob)
	d.CreatedAt = s.stamp()
	d.UpdatedAt = d.CreatedAt
	if d.Status == "" {
		d.Status = StatusReceived
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO documents (id, dossier_id, batch_id, file_name, blob, size, status, error, page_count, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		d.ID, d.DossierID, d.BatchID, d.FileName, d.Blob, d.Size, d.Status, d.Error, d.PageCount, d.CreatedAt, d.UpdatedAt)
	if err != nil {
		return Document{}, false, fmt.Errorf("adding document: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		existing, err := s.Document(ctx, d.ID)
		return existing, false, err
	}
	return d, true, nil
}

const documentColumns = `id, dossier_id, batch_id, file_name, blob, size, status, error, page_count, doc_type, doc_type_confidence, review_state, created_at, updated_at`

func scanDocument(row interface{ Scan(...any) error }) (Document, error) {
	var d Document
	err := row.Scan(&d.ID, &d.DossierID, &d.BatchID, &d.FileName, &d.Blob, &d.Size, &d.Status, &d.Error, &d.PageCount,
		&d.DocType, &d.DocTypeConfidence, &d.ReviewState, &d.CreatedAt, &d.UpdatedAt)
	return d, err
}

// Document returns one document.
func (s *SQL) Document(ctx context.Context, id string) (Document, error) {
	d, err := scanDocument(s.db.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = ?`, id))
	return d, notFound(err, "document "+id)
}

func (s *SQL) documents(ctx context.Context, where string, args ...any) ([]Document, error) {
	return s.queryDocuments(ctx, `SELECT `+documentColumns+` FROM documents WHERE `+where+` ORDER BY created_at, id`, args...)
}

// queryDocuments runs a query selecting documentColumns.
func (s *SQL) queryDocuments(ctx context.Context, query string, args ...any) ([]Document, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("listing documents: %w", err)
	}
	defer rows.Close()
	docs := []Document{} // [] in JSON answers, never null
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, fmt.Errorf("reading document row: %w", err)
		}
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// BatchDocuments lists the documents of a batch, oldest first.
func (s *SQL) BatchDocuments(ctx context.Context, batchID string) ([]Document, error) {
	return s.documents(ctx, `batch_id = ?`, batchID)
}

// DossierDocuments lists the documents of a dossier, oldest first.
func (s *SQL) DossierDocuments(ctx context.Context, dossierID string) ([]Document, error) {
	return s.documents(ctx, `dossier_id = ?`, dossierID)
}

// DocumentsWithStatus lists documents in one state (the requeue sweep and reindex use it).
func (s *SQL) DocumentsWithStatus(ctx context.Context, status string) ([]Document, error) {
	return s.documents(ctx, `status = ?`, status)
}

// SetStatus moves a document to a new state; errMsg is kept for StatusFailed. Reaching
// indexed or failed writes its event (and batch.done for the batch's last document) in the
// same transaction.
func (s *SQL) SetStatus(ctx context.Context, id, status, errMsg string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("setting status of %s: %w", id, err)
	}
	defer tx.Rollback()
	now := s.stamp()
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET updated_at = ? WHERE id = ?`, now, id); err != nil {
		return fmt.Errorf("setting status of %s: %w", id, err)
	}
	doc, err := scanDocument(tx.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil // as before the outbox: setting the status of no document changes nothing
	}
	if err != nil {
		return fmt.Errorf("setting status of %s: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = ?, error = ? WHERE id = ?`, status, errMsg, id); err != nil {
		return fmt.Errorf("setting status of %s: %w", id, err)
	}
	if err := statusEvents(ctx, tx, now, doc, status); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("setting status of %s: %w", id, err)
	}
	return nil
}

// statusEvents writes the outbox rows of doc moving to status: one per change into indexed or
// failed (a retried task setting the same status again writes none), then batch.done when
// that finished the batch.
func statusEvents(ctx context.Context, tx execer, now string, doc Document, status string) error {
	typ := map[string]string{StatusIndexed: EventDocumentIndexed, StatusFailed: EventDocumentFailed}[status]
	if typ == "" || doc.Status == status {
		return nil
	}
	if err := insertEvent(ctx, tx, now, "", typ, doc.ID, EventData{DocumentID: doc.ID, BatchID: doc.BatchID, DossierID: doc.DossierID,
		Status: status, DocType: doc.DocType, ReviewState: doc.ReviewState, Changed: []string{"status"}}); err != nil {
		return err
	}
	return maybeBatchDone(ctx, tx, now, doc.BatchID)
}

// SetPageCount records how many pages the document has.
func (s *SQL) SetPageCount(ctx context.Context, id string, n int) error {
	_, err := s.db.ExecContext(ctx, `UPDATE documents SET page_count = ?, updated_at = ? WHERE id = ?`, n, s.stamp(), id)
	if err != nil {
		return fmt.Errorf("setting page count of %s: %w", id, err)
	}
	return nil
}

// SavePreparedPage stores (or replaces) a prepared page, clearing any earlier recognition.
func (s *SQL) SavePreparedPage(ctx context.Context, p PageRecord) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO pages (doc_id, number, width, height, dpi, rotation, skew_degrees, blank, image, recognised, mean_confidence, text, words)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, '', '[]')
		ON CONFLICT (doc_id, number) DO UPDATE SET width = excluded.width, height = excluded.height, dpi = excluded.dpi,
			rotation = excluded.rotation, skew_degrees = excluded.skew_degrees, blank = excluded.blank, image = excluded.image,
			recognised = 0, mean_confidence = 0, text = '', words = '[]'`,
		p.DocID, p.Number, p.Width, p.Height, p.DPI, p.Rotation, p.SkewDegrees, p.Blank, p.Image)
	if err != nil {
		return fmt.Errorf("saving page %d of %s: %w", p.Number, p.DocID, err)
	}
	return nil
}

// SaveRecognition stores a page's OCR result and returns how many pages of the document are
// still unrecognised, so the caller that makes it zero moves the document on. Of tasks saving
// a document's last pages at the same time exactly one sees zero: each first writes the
// document's row, which serialises them on that row's lock, and counts only after it, so under
// READ COMMITTED (PostgreSQL) the count's fresh snapshot includes the other's committed page
// instead of each seeing one page left. A retried task re-saving an already recognised page
// sees zero again; classification is idempotent, so the retry may queue it again.
func (s *SQL) SaveRecognition(ctx context.Context, docID string, number int, text string, words []record.Word, meanConf float64) (remaining int, err error) {
	wj, err := json.Marshal(words)
	if err != nil {
		return 0, fmt.Errorf("encoding words: %w", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("saving recognition: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE documents SET updated_at = ? WHERE id = ?`, s.stamp(), docID)
	if err != nil {
		return 0, fmt.Errorf("saving recognition of page %d: %w", number, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, fmt.Errorf("document %s: %w", docID, ErrNotFound)
	}
	res, err = tx.ExecContext(ctx, `UPDATE pages SET recognised = 1, text = ?, words = ?, mean_confidence = ? WHERE doc_id = ? AND number = ?`,
		text, string(wj), meanConf, docID, number)
	if err != nil {
		return 0, fmt.Errorf("saving recognition of page %d: %w", number, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, fmt.Errorf("page %d of %s: %w", number, docID, ErrNotFound)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pages WHERE doc_id = ? AND recognised = 0`, docID).Scan(&remaining); err != nil {
		return 0, fmt.Errorf("counting unrecognised pages: %w", err)
	}
	return remaining, tx.Commit()
}

// Pages returns the document's pages in order, words included.
func (s *SQL) Pages(ctx context.Context, docID string) ([]PageRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT number, width, height, dpi, rotation, skew_degrees, blank, image, recognised, mean_confidence, text, words
		FROM pages WHERE doc_id = ? ORDER BY number`, docID)
	if err != nil {
		return nil, fmt.Errorf("listing pages: %w", err)
	}
	defer rows.Close()
	pages := []PageRecord{}
	for rows.Next() {
		p := PageRecord{DocID: docID}
		var words string
		if err := rows.Scan(&p.Number, &p.Width, &p.Height, &p.DPI, &p.Rotation, &p.SkewDegrees, &p.Blank, &p.Image,
			&p.Recognised, &p.MeanConfidence, &p.Text, &words); err != nil {
			return nil, fmt.Errorf("reading page row: %w", err)
		}
		if err := json.Unmarshal([]byte(words), &p.Words); err != nil {
			return nil, fmt.Errorf("decoding words of page %d: %w", p.Number, err)
		}
		pages = append(pages, p)
	}
	return pages, rows.Err()
}

// Page returns one page.
func (s *SQL) Page(ctx context.Context, docID string, number int) (PageRecord, error) {
	pages, err := s.Pages(ctx, docID)
	if err != nil {
		return PageRecord{}, err
	}
	for _, p := range pages {
		if p.Number == number {
			return p, nil
		}
	}
	return PageRecord{}, fmt.Errorf("page %d of %s: %w", number, docID, ErrNotFound)
}

// SaveClassification records the document type.
func (s *SQL) SaveClassification(ctx context.Context, docID string, c record.Classification) error {
	_, err := s.db.ExecContext(ctx, `UPDATE documents SET doc_type = ?, doc_type_confidence = ?, updated_at = ? WHERE id = ?`,
		c.Type, c.Confidence, s.stamp(), docID)
	if err != nil {
		return fmt.Errorf("saving classification of %s: %w", docID, err)
	}
	return nil
}

// SaveExtraction replaces the machine-extracted fields of a document (clerk corrections are
// kept) and sets its review state, in one transaction.
func (s *SQL) SaveExtraction(ctx context.Context, docID string, fields record.Fields, reviewState string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("saving extraction: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM fields WHERE doc_id = ? AND source = 'extract'`, docID); err != nil {
		return fmt.Errorf("clearing extracted fields: %w", err)
	}
	now := s.stamp()
	for name, f := range fields {
		bbox, _ := json.Marshal(f.BBox)
		if _, err := tx.ExecContext(ctx, `INSERT INTO fields (doc_id, name, value, confidence, page, bbox, valid, read, source, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'extract', ?) ON CONFLICT (doc_id, name) DO NOTHING`,
			docID, name, f.Value, f.Confidence, f.Page, string(bbox), f.Valid, f.Read, now); err != nil {
			return fmt.Errorf("saving field %s: %w", name, err)
		}
	}
	// A document a clerk already approved stays approved when it is re-extracted.
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET review_state = CASE WHEN review_state = ? THEN review_state ELSE ? END, updated_at = ? WHERE id = ?`,
		ReviewApproved, reviewState, now, docID); err != nil {
		return fmt.Errorf("saving review state: %w", err)
	}
	return tx.Commit()
}

// FieldRecord is a stored field with who last set it.
type FieldRecord struct {
	record.Field
	Source    string `json:"source"` // extract or clerk
	UpdatedBy string `json:"updated_by,omitempty"`
	UpdatedAt string `json:"updated_at"`
}

// Fields returns the document's fields by name ({} when it has none).
func (s *SQL) Fields(ctx context.Context, docID string) (map[string]FieldRecord, error) {
	return fieldsOf(ctx, s.db, docID)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func fieldsOf(ctx context.Context, db querier, docID string) (map[string]FieldRecord, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, value, confidence, page, bbox, valid, read, source, updated_by, updated_at FROM fields WHERE doc_id = ?`, docID)
	if err != nil {
		return nil, fmt.Errorf("listing fields: %w", err)
	}
	defer rows.Close()
	out := map[string]FieldRecord{}
	for rows.Next() {
		var name, bbox string
		var f FieldRecord
		if err := rows.Scan(&name, &f.Value, &f.Confidence, &f.Page, &bbox, &f.Valid, &f.Read, &f.Source, &f.UpdatedBy, &f.UpdatedAt); err != nil {
			return nil, fmt.Errorf("reading field row: %w", err)
		}
		_ = json.Unmarshal([]byte(bbox), &f.BBox)
		out[name] = f
	}
	return out, rows.Err()
}

// ErrConflict reports a change the document's state does not allow, such as approving a
// document whose processing failed.
var ErrConflict = errors.New("conflict")

// ErrOverrideRequired reports an approval of a document with invalid or missing required
// fields that gave no override reason.
var ErrOverrideRequired = errors.New("override reason required")

// FieldChange is one value a clerk sets; Valid is the caller's check of it against the field's
// format.
type FieldChange struct {
	Name  string
	Value string
	Valid bool
}

// CorrectField sets one field to a clerk's value; see CorrectFields.
func (s *SQL) CorrectField(ctx context.Context, docID, name, value string, valid bool, who Actor) error {
	return s.CorrectFields(ctx, docID, []FieldChange{{Name: name, Value: value, Valid: valid}}, who)
}

// CorrectFields sets fields to a clerk's values with an audit row each (old and new value),
// all or none in one transaction. An approved document goes back to needs_review, audited too:
// what was approved are the old values.
func (s *SQL) CorrectFields(ctx context.Context, docID string, changes []FieldChange, who Actor) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("correcting fields: %w", err)
	}
	defer tx.Rollback()
	var state string
	if err := tx.QueryRowContext(ctx, `SELECT review_state FROM documents WHERE id = ?`, docID).Scan(&state); err != nil {
		return notFound(err, "document "+docID)
	}
	now := s.stamp()
	for _, c := range changes {
		old, err := recordCorrection(ctx, tx, now, docID, c, who)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO fields (doc_id, name, value, confidence, page, bbox, valid, source, updated_by, updated_at)
			VALUES (?, ?, ?, 1, 0, '[0,0,0,0]', ?, 'clerk', ?, ?)
			ON CONFLICT (doc_id, name) DO UPDATE SET value = excluded.value, confidence = 1, valid = excluded.valid,
				source = 'clerk', updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			docID, c.Name, c.Value, c.Valid, who.Name, now); err != nil {
			return fmt.Errorf("saving field %s: %w", c.Name, err)
		}
		if err := insertAudit(ctx, tx, now, AuditEntry{Actor: who, Action: "correct_field", DocID: docID, Field: c.Name, OldValue: old, NewValue: c.Value}); err != nil {
			return err
		}
	}
	if state == ReviewApproved {
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET review_state = ?, updated_at = ? WHERE id = ?`, ReviewNeeded, now, docID); err != nil {
			return fmt.Errorf("reopening review of %s: %w", docID, err)
		}
		if err := insertAudit(ctx, tx, now, AuditEntry{Actor: who, Action: "review", DocID: docID, Field: "review_state", OldValue: state, NewValue: ReviewNeeded}); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET updated_at = ? WHERE id = ?`, now, docID); err != nil {
		return fmt.Errorf("correcting fields: %w", err)
	}
	if err := correctedEvent(ctx, tx, now, docID, changes, state == ReviewApproved); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("correcting fields: %w", err)
	}
	return nil
}

// Decision is a clerk's review of a document.
type Decision struct {
	State   string // ReviewApproved or ReviewNeeded
	DocType string // reclassify to this type; "" keeps the type
	// OverrideReason lets an approval through despite the problems Check finds; it is audited.
	OverrideReason string
	// Check, when set, lists what stands in the way of approving the document as it will be
	// (its new type) with its fields: invalid values, missing required fields. It runs inside
	// the transaction, so no change can slip in between the check and the approval.
	Check func(Document, map[string]FieldRecord) []string
}

// SetReviewState records a clerk's decision on a document (approve, reclassify …) with audit.
func (s *SQL) SetReviewState(ctx context.Context, docID, state, docType string, who Actor) error {
	return s.Review(ctx, docID, Decision{State: state, DocType: docType}, who)
}

// Review records a clerk's decision with audit rows, in one transaction. A failed document
// cannot be approved (ErrConflict); an approval that d.Check finds problems with needs
// d.OverrideReason (else ErrOverrideRequired, naming the problems), and the override is audited
// with the problems and the reason.
func (s *SQL) Review(ctx context.Context, docID string, d Decision, who Actor) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("setting review state: %w", err)
	}
	defer tx.Rollback()
	doc, err := scanDocument(tx.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = ?`, docID))
	if err != nil {
		return notFound(err, "document "+docID)
	}
	oldType, oldState, oldConf := doc.DocType, doc.ReviewState, doc.DocTypeConfidence
	if d.DocType != "" {
		doc.DocType = d.DocType
	}
	now := s.stamp()
	var problems []string
	if d.State == ReviewApproved {
		if doc.Status == StatusFailed {
			return fmt.Errorf("document %s failed (%s) and cannot be approved: %w", docID, doc.Error, ErrConflict)
		}
		if d.Check != nil {
			fields, err := fieldsOf(ctx, tx, docID)
			if err != nil {
				return err
			}
			problems = d.Check(doc, fields)
		}
		if len(problems) > 0 && strings.TrimSpace(d.OverrideReason) == "" {
			return fmt.Errorf("%w: %s", ErrOverrideRequired, strings.Join(problems, "; "))
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET review_state = ?, doc_type = ?, doc_type_confidence = CASE WHEN doc_type = ? THEN doc_type_confidence ELSE 1 END, updated_at = ? WHERE id = ?`,
		d.State, doc.DocType, doc.DocType, now, docID); err != nil {
		return fmt.Errorf("setting review state: %w", err)
	}
	if doc.DocType != oldType {
		if err := recordReclassification(ctx, tx, now, doc, oldType, oldConf, who); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, now, AuditEntry{Actor: who, Action: "reclassify", DocID: docID, DossierID: doc.DossierID, Field: "doc_type", OldValue: oldType, NewValue: doc.DocType}); err != nil {
			return err
		}
	}
	if d.State != oldState || doc.DocType == oldType {
		if err := insertAudit(ctx, tx, now, AuditEntry{Actor: who, Action: "review", DocID: docID, DossierID: doc.DossierID, Field: "review_state", OldValue: oldState, NewValue: d.State}); err != nil {
			return err
		}
	}
	if d.State == ReviewApproved && oldState != ReviewApproved {
		changed := []string{"review_state"}
		if doc.DocType != oldType {
			changed = append(changed, "doc_type")
		}
		if err := insertEvent(ctx, tx, now, "", EventDocumentApproved, docID, EventData{DocumentID: docID, BatchID: doc.BatchID, DossierID: doc.DossierID,
			Status: doc.Status, DocType: doc.DocType, ReviewState: d.State, Changed: changed}); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		if err := insertAudit(ctx, tx, now, AuditEntry{Actor: who, Action: "approve_override", DocID: docID, DossierID: doc.DossierID,
			Field: "review_state", OldValue: strings.Join(problems, "; "), NewValue: strings.TrimSpace(d.OverrideReason)}); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("setting review state: %w", err)
	}
	return nil
}

// DocumentsByFieldValue lists the IDs of documents having any of the named fields equal to
// value (used to find every record of one ID number).
func (s *SQL) DocumentsByFieldValue(ctx context.Context, names []string, value string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	q := `SELECT DISTINCT doc_id FROM fields WHERE value = ? AND name IN (?` + strings.Repeat(",?", len(names)-1) + `) ORDER BY doc_id`
	args := []any{value}
	for _, n := range names {
		args = append(args, n)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("finding documents by field: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// MarkQueued moves a received document to queued. It changes nothing when a worker has
// already moved the document further, so it cannot undo progress.
func (s *SQL) MarkQueued(ctx context.Context, id string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE documents SET status = ?, updated_at = ? WHERE id = ? AND status = ?`,
		StatusQueued, s.stamp(), id, StatusReceived)
	if err != nil {
		return fmt.Errorf("marking %s queued: %w", id, err)
	}
	return nil
}
