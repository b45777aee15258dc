package store

import (
	"context"
	"fmt"
)

// ReviewReason is why a document was sent to review (see extract.Reason).
type ReviewReason struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// SaveReviewReasons replaces the review reasons of a document, in order; none clears them.
func (s *SQL) SaveReviewReasons(ctx context.Context, docID string, reasons []ReviewReason) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("saving review reasons: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM review_reasons WHERE doc_id = ?`, docID); err != nil {
		return fmt.Errorf("clearing review reasons: %w", err)
	}
	for i, r := range reasons {
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_reasons (doc_id, seq, code, field, message) VALUES (?, ?, ?, ?, ?)`,
			docID, i, r.Code, r.Field, r.Message); err != nil {
			return fmt.Errorf("saving review reason %s: %w", r.Code, err)
		}
	}
	return tx.Commit()
}

// ReviewReasons returns the review reasons of a document in the order they were saved
// (empty when it has none).
func (s *SQL) ReviewReasons(ctx context.Context, docID string) ([]ReviewReason, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, field, message FROM review_reasons WHERE doc_id = ? ORDER BY seq`, docID)
	if err != nil {
		return nil, fmt.Errorf("reading review reasons: %w", err)
	}
	defer rows.Close()
	out := []ReviewReason{}
	for rows.Next() {
		var r ReviewReason
		if err := rows.Scan(&r.Code, &r.Field, &r.Message); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
