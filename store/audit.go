package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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
	Action    string `json:"action"` // read_document, read_page_image, read_original, read_pdf, read_dossier, read_person, search, export, correct_field, review, …
	DocID     string `json:"doc_id,omitempty"`
	DossierID string `json:"dossier_id,omitempty"`
	// DocIDs are the documents a read returned when it returned several (a search, a dossier,
	// a person, an export), so that the log answers "who saw this document" whatever the read.
	DocIDs   []string `json:"doc_ids,omitempty"`
	Subject  string   `json:"subject,omitempty"` // masked ID number for person look-ups
	Field    string   `json:"field,omitempty"`
	OldValue string   `json:"old_value,omitempty"`
	NewValue string   `json:"new_value,omitempty"`
}

// dbtx is what both *sql.DB and *sql.Tx offer, so the log is written inside the change's own
// transaction when there is one.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func insertAudit(ctx context.Context, db dbtx, at string, e AuditEntry) error {
	var id int64
	err := db.QueryRowContext(ctx, `INSERT INTO audit (at, actor, role, action, doc_id, dossier_id, subject, field, old_value, new_value)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		at, e.Actor.Name, e.Actor.Role, e.Action, e.DocID, e.DossierID, e.Subject, e.Field, e.OldValue, e.NewValue).Scan(&id)
	if err != nil {
		return fmt.Errorf("writing audit log: %w", err)
	}
	for _, doc := range e.DocIDs {
		if _, err := db.ExecContext(ctx, `INSERT INTO audit_docs (audit_id, doc_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, id, doc); err != nil {
			return fmt.Errorf("writing audit log: %w", err)
		}
	}
	return nil
}

// Audit appends an entry to the audit log. Entries naming several documents are written in
// one transaction: a read is either logged with all it returned or not at all.
func (s *SQL) Audit(ctx context.Context, e AuditEntry) error {
	if len(e.DocIDs) == 0 {
		return insertAudit(ctx, s.db, s.stamp(), e)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("writing audit log: %w", err)
	}
	defer tx.Rollback()
	if err := insertAudit(ctx, tx, s.stamp(), e); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("writing audit log: %w", err)
	}
	return nil
}

// AuditFilter selects audit entries; empty fields do not filter. Since and Until are
// RFC 3339 times (inclusive, exclusive); BeforeID pages backwards through the log.
type AuditFilter struct {
	Actor        string
	DocID        string // entries about the document or that returned it
	Since, Until string
	BeforeID     int64
	Limit        int
}

// AuditLog returns the newest entries about a document (all documents when docID is empty).
func (s *SQL) AuditLog(ctx context.Context, docID string, limit int) ([]AuditEntry, error) {
	return s.AuditQuery(ctx, AuditFilter{DocID: docID, Limit: limit})
}

// AuditQuery returns the entries that match f, newest first.
func (s *SQL) AuditQuery(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	var where []string
	var args []any
	add := func(cond string, v ...any) {
		where = append(where, cond)
		args = append(args, v...)
	}
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if f.DocID != "" {
		add("(doc_id = ? OR id IN (SELECT audit_id FROM audit_docs WHERE doc_id = ?))", f.DocID, f.DocID)
	}
	if f.Since != "" {
		add("at >= ?", f.Since)
	}
	if f.Until != "" {
		add("at < ?", f.Until)
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	q := `SELECT id, at, actor, role, action, doc_id, dossier_id, subject, field, old_value, new_value FROM audit`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id DESC LIMIT ?"
	rows, err := s.db.QueryContext(ctx, q, append(args, f.Limit)...)
	if err != nil {
		return nil, fmt.Errorf("reading audit log: %w", err)
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.Actor.Name, &e.Actor.Role, &e.Action, &e.DocID, &e.DossierID, &e.Subject, &e.Field, &e.OldValue, &e.NewValue); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading audit log: %w", err)
	}
	return out, s.auditDocs(ctx, out)
}

// auditDocs fills in the documents of the entries, which all lie between the first and last
// entry's IDs.
func (s *SQL) auditDocs(ctx context.Context, entries []AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	at := make(map[int64]int, len(entries))
	for i, e := range entries {
		at[e.ID] = i
	}
	rows, err := s.db.QueryContext(ctx, `SELECT audit_id, doc_id FROM audit_docs WHERE audit_id BETWEEN ? AND ? ORDER BY audit_id, doc_id`,
		entries[len(entries)-1].ID, entries[0].ID)
	if err != nil {
		return fmt.Errorf("reading audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var doc string
		if err := rows.Scan(&id, &doc); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			entries[i].DocIDs = append(entries[i].DocIDs, doc)
		}
	}
	return rows.Err()
}
