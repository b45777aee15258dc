package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Actor is who did something: the API key's name and role, or a system component.
type Actor struct {
	Name string
	Role string
}

// AuditEntry is one read or change of personal data.
type AuditEntry struct {
	ID        int64  `json:"id"`
	At        string `json:"at"`
	Actor     Actor  `json:"-"`
	Action    string `json:"action"` // read_document, read_dossier, read_person, correct_field, review, reclassify, search
	DocID     string `json:"doc_id,omitempty"`
	DossierID string `json:"dossier_id,omitempty"`
	Subject   string `json:"subject,omitempty"` // masked ID number for person look-ups
	Field     string `json:"field,omitempty"`
	OldValue  string `json:"old_value,omitempty"`
	NewValue  string `json:"new_value,omitempty"`
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func insertAudit(ctx context.Context, db execer, at string, e AuditEntry) error {
	_, err := db.ExecContext(ctx, `INSERT INTO audit (at, actor, role, action, doc_id, dossier_id, subject, field, old_value, new_value)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		at, e.Actor.Name, e.Actor.Role, e.Action, e.DocID, e.DossierID, e.Subject, e.Field, e.OldValue, e.NewValue)
	if err != nil {
		return fmt.Errorf("writing audit log: %w", err)
	}
	return nil
}

// Audit appends an entry to the audit log.
func (s *SQL) Audit(ctx context.Context, e AuditEntry) error {
	return insertAudit(ctx, s.db, s.stamp(), e)
}

// AuditLog returns the newest entries about a document (all documents when docID is empty).
func (s *SQL) AuditLog(ctx context.Context, docID string, limit int) ([]AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor, role, action, doc_id, dossier_id, subject, field, old_value, new_value
		FROM audit WHERE (? = '' OR doc_id = ?) ORDER BY id DESC LIMIT ?`, docID, docID, limit)
	if err != nil {
		return nil, fmt.Errorf("reading audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Actor.Name, &e.Actor.Role, &e.Action, &e.DocID, &e.DossierID, &e.Subject, &e.Field, &e.OldValue, &e.NewValue); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
