package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sohoa/sohoa/record"
)

// Kinds of training example.
const (
	ExampleField   = "field"    // a clerk set a field's value
	ExampleDocType = "doc_type" // a clerk changed the document's type
)

// Example is one labelled example a clerk's change left: what the machine had (OldValue, its
// confidence and box, the words around it) and what the clerk said it should be (NewValue).
// sohoa train learns from them; they are written in the transaction of the change itself, so
// a change is never kept without its example or the other way round.
type Example struct {
	ID       int64  `json:"id"`
	At       string `json:"at"`
	DocID    string `json:"doc_id"`
	Kind     string `json:"kind"`
	Field    string `json:"field,omitempty"`
	DocType  string `json:"doc_type"` // the document's type when the change was made
	OldValue string `json:"old_value"`
	NewValue string `json:"new_value"`
	// OldSource is who set the old value: extract, clerk, or empty when there was none.
	OldSource  string        `json:"old_source,omitempty"`
	Confidence float64       `json:"confidence"`
	Page       int           `json:"page,omitempty"`
	BBox       record.Box    `json:"bbox"`
	Context    []record.Word `json:"context"`
	Actor      string        `json:"actor,omitempty"`
}

// contextMargin is how far above and below a value's box words still count as its context, in
// multiples of the box height (the lines above and below); sideways the margin is at least
// the box's width, so the label before the value on its line is in.
const contextMargin = 2

// recordCorrection reads the field a clerk is about to change and writes the example of the
// change, inside the change's transaction; it returns the old value for the audit log.
func recordCorrection(ctx context.Context, tx dbtx, at, docID string, c FieldChange, who Actor) (string, error) {
	e := Example{DocID: docID, Kind: ExampleField, Field: c.Name, NewValue: c.Value, Actor: who.Name, Context: []record.Word{}}
	if err := tx.QueryRowContext(ctx, `SELECT doc_type FROM documents WHERE id = ?`, docID).Scan(&e.DocType); err != nil {
		return "", notFound(err, "document "+docID)
	}
	var bbox string
	err := tx.QueryRowContext(ctx, `SELECT value, source, confidence, page, bbox FROM fields WHERE doc_id = ? AND name = ?`, docID, c.Name).
		Scan(&e.OldValue, &e.OldSource, &e.Confidence, &e.Page, &bbox)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return "", fmt.Errorf("reading field %s: %w", c.Name, err)
	default:
		_ = json.Unmarshal([]byte(bbox), &e.BBox)
		if e.Context, err = wordsAround(ctx, tx, docID, e.Page, e.BBox); err != nil {
			return "", err
		}
	}
	if e.OldValue == e.NewValue && e.OldSource == "clerk" {
		return e.OldValue, nil // a clerk re-saving a clerk's value teaches nothing
	}
	return e.OldValue, insertExample(ctx, tx, at, e)
}

// recordReclassification writes the example of a clerk changing a document's type. Its
// context is the first page's words at the top of the page, where the type heading is.
func recordReclassification(ctx context.Context, tx dbtx, at string, doc Document, oldType string, oldConf float64, who Actor) error {
	e := Example{DocID: doc.ID, Kind: ExampleDocType, DocType: oldType, OldValue: oldType, NewValue: doc.DocType,
		OldSource: "classify", Confidence: oldConf, Page: 1, Actor: who.Name}
	var err error
	if e.Context, err = wordsAround(ctx, tx, doc.ID, 1, record.Box{}); err != nil {
		return err
	}
	return insertExample(ctx, tx, at, e)
}

// wordsAround returns the recognised words of page whose centre lies within box widened by
// contextMargin box heights on every side; a zero box means the top third of the page.
func wordsAround(ctx context.Context, tx dbtx, docID string, page int, box record.Box) ([]record.Word, error) {
	var words string
	var height int
	err := tx.QueryRowContext(ctx, `SELECT words, height FROM pages WHERE doc_id = ? AND number = ?`, docID, page).Scan(&words, &height)
	if errors.Is(err, sql.ErrNoRows) {
		return []record.Word{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading words of page %d: %w", page, err)
	}
	var all []record.Word
	if err := json.Unmarshal([]byte(words), &all); err != nil {
		return nil, fmt.Errorf("decoding words of page %d: %w", page, err)
	}
	area := record.Box{0, 0, 1 << 30, height / 3}
	if box != (record.Box{}) {
		m := contextMargin * (box[3] - box[1])
		w := max(m, box[2]-box[0]) // the label before a short value too
		area = record.Box{box[0] - w, box[1] - m, box[2] + w, box[3] + m}
	}
	out := []record.Word{}
	for _, w := range all {
		cx, cy := (w.Box[0]+w.Box[2])/2, (w.Box[1]+w.Box[3])/2
		if cx >= area[0] && cx <= area[2] && cy >= area[1] && cy <= area[3] {
			out = append(out, w)
		}
	}
	return out, nil
}

func insertExample(ctx context.Context, tx dbtx, at string, e Example) error {
	bbox, _ := json.Marshal(e.BBox)
	words, err := json.Marshal(e.Context)
	if err != nil {
		return fmt.Errorf("encoding example context: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO training_examples (at, doc_id, kind, field, doc_type, old_value, new_value, old_source, confidence, page, bbox, context, actor)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		at, e.DocID, e.Kind, e.Field, e.DocType, e.OldValue, e.NewValue, e.OldSource, e.Confidence, e.Page, string(bbox), string(words), e.Actor); err != nil {
		return fmt.Errorf("saving training example: %w", err)
	}
	return nil
}

// Examples returns up to limit training examples with an ID above afterID, oldest first:
// sohoa train pages through them all.
func (s *SQL) Examples(ctx context.Context, afterID int64, limit int) ([]Example, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, doc_id, kind, field, doc_type, old_value, new_value, old_source, confidence, page, bbox, context, actor
		FROM training_examples WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("listing training examples: %w", err)
	}
	defer rows.Close()
	out := []Example{}
	for rows.Next() {
		var e Example
		var bbox, words string
		if err := rows.Scan(&e.ID, &e.At, &e.DocID, &e.Kind, &e.Field, &e.DocType, &e.OldValue, &e.NewValue, &e.OldSource,
			&e.Confidence, &e.Page, &bbox, &words, &e.Actor); err != nil {
			return nil, fmt.Errorf("reading training example: %w", err)
		}
		if err := json.Unmarshal([]byte(bbox), &e.BBox); err != nil {
			return nil, fmt.Errorf("decoding box of example %d: %w", e.ID, err)
		}
		if err := json.Unmarshal([]byte(words), &e.Context); err != nil {
			return nil, fmt.Errorf("decoding context of example %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ReviewedDocuments lists the IDs of the documents clerks approved, in ID order: their type and
// fields are labels (a value a clerk let stand is one the clerk vouched for).
func (s *SQL) ReviewedDocuments(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM documents WHERE review_state = ? ORDER BY id`, ReviewApproved)
	if err != nil {
		return nil, fmt.Errorf("listing approved documents: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("reading approved document: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
