package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// Part is one document of an uploaded file that held several (a whole hồ sơ scanned in one
// go): the uploaded document it came from, its place among the file's parts and the file's
// pages it covers.
type Part struct {
	DocID    string `json:"document_id"`
	SourceID string `json:"source_id"` // the uploaded document, which is also the first part
	Seq      int    `json:"seq"`       // 0 for the first part
	// FirstPage and LastPage number the file's pages (from 1); separator sheets between
	// parts belong to none.
	FirstPage int `json:"first_page"`
	LastPage  int `json:"last_page"`
	// Reason says why the part starts at FirstPage (split.Start*: header, title, page_number,
	// blank, barcode; first for the first part).
	Reason string `json:"reason"`
}

// NewPart is a part to be made by SplitDocument: its pages in the source's page numbers and,
// for every part but the first, the blob and size of its own file (a PDF of its pages).
type NewPart struct {
	FirstPage, LastPage int
	Reason              string
	Blob                Ref
	Size                int64
	FileName            string
}

// PartID is the ID of the seq-th part of a split document. It depends on the source and the
// position only, so a part keeps its ID when its pages change (a clerk moving a boundary)
// and a split that runs twice makes the same rows.
func PartID(sourceID string, seq int) string {
	if seq == 0 {
		return sourceID
	}
	sum := sha256.Sum256([]byte(sourceID + "\x00part\x00" + strconv.Itoa(seq)))
	return "d" + hex.EncodeToString(sum[:10])
}

// SplitDocument makes the document sourceID, whose pages are all recognised, into the parts
// given (at least two, in page order): the source keeps the first part's pages, renumbered
// from 1, and each further part becomes a document in the same dossier and batch, in state
// processing, holding its pages renumbered from 1 (images and recognition are shared, not
// redone). Pages in no part (separator sheets) are dropped. It all happens in one
// transaction, and a document already split is left as it is: the parts are returned either
// way.
func (s *SQL) SplitDocument(ctx context.Context, sourceID string, parts []NewPart) ([]Part, error) {
	if len(parts) < 2 {
		return nil, fmt.Errorf("splitting %s: %d parts, want at least two", sourceID, len(parts))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("splitting %s: %w", sourceID, err)
	}
	defer tx.Rollback()
	now := s.stamp()
	// Writing the source's row first serialises two splits of the same document.
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET updated_at = ? WHERE id = ?`, now, sourceID); err != nil {
		return nil, fmt.Errorf("splitting %s: %w", sourceID, err)
	}
	src, err := scanDocument(tx.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = ?`, sourceID))
	if err != nil {
		return nil, notFound(err, "document "+sourceID)
	}
	var done int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM document_parts WHERE source_id = ?`, sourceID).Scan(&done); err != nil {
		return nil, fmt.Errorf("splitting %s: %w", sourceID, err)
	}
	if done > 0 {
		tx.Rollback()
		return s.Parts(ctx, sourceID)
	}
	var out []Part
	for seq, p := range parts {
		id := PartID(sourceID, seq)
		if seq > 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO documents (id, dossier_id, batch_id, file_name, blob, size, status, error, page_count, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`,
				id, src.DossierID, src.BatchID, p.FileName, p.Blob, p.Size, StatusProcessing, p.LastPage-p.FirstPage+1, now, now); err != nil {
				return nil, fmt.Errorf("adding part %d of %s: %w", seq+1, sourceID, err)
			}
			// The part's pages are the source's rows, renumbered.
			if _, err := tx.ExecContext(ctx, `INSERT INTO pages (doc_id, number, width, height, dpi, rotation, skew_degrees, blank, image, recognised, mean_confidence, text, words)
				SELECT CAST(? AS TEXT), number - CAST(? AS INTEGER), width, height, dpi, rotation, skew_degrees, blank, image, recognised, mean_confidence, text, words
				FROM pages WHERE doc_id = ? AND number BETWEEN ? AND ?`,
				id, p.FirstPage-1, sourceID, p.FirstPage, p.LastPage); err != nil {
				return nil, fmt.Errorf("copying pages of part %d of %s: %w", seq+1, sourceID, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO document_parts (doc_id, source_id, seq, first_page, last_page, reason) VALUES (?, ?, ?, ?, ?, ?)`,
			id, sourceID, seq, p.FirstPage, p.LastPage, p.Reason); err != nil {
			return nil, fmt.Errorf("recording part %d of %s: %w", seq+1, sourceID, err)
		}
		out = append(out, Part{DocID: id, SourceID: sourceID, Seq: seq, FirstPage: p.FirstPage, LastPage: p.LastPage, Reason: p.Reason})
	}
	// The source keeps the first part's pages only: the rest went to the other parts or
	// were separator sheets. A first part after leading blank sheets is renumbered from 1
	// (going up, so no number is taken twice).
	first := parts[0]
	if _, err := tx.ExecContext(ctx, `DELETE FROM pages WHERE doc_id = ? AND (number < ? OR number > ?)`, sourceID, first.FirstPage, first.LastPage); err != nil {
		return nil, fmt.Errorf("trimming pages of %s: %w", sourceID, err)
	}
	if first.FirstPage > 1 {
		for n := first.FirstPage; n <= first.LastPage; n++ {
			if _, err := tx.ExecContext(ctx, `UPDATE pages SET number = ? WHERE doc_id = ? AND number = ?`, n-first.FirstPage+1, sourceID, n); err != nil {
				return nil, fmt.Errorf("renumbering pages of %s: %w", sourceID, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET page_count = ? WHERE id = ?`, first.LastPage-first.FirstPage+1, sourceID); err != nil {
		return nil, fmt.Errorf("splitting %s: %w", sourceID, err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("splitting %s: %w", sourceID, err)
	}
	return out, nil
}

// Parts returns the parts of the file that document id belongs to (as the source or one of
// its parts), in order; none when the file was not split.
func (s *SQL) Parts(ctx context.Context, id string) ([]Part, error) {
	var source string
	err := s.db.QueryRowContext(ctx, `SELECT source_id FROM document_parts WHERE doc_id = ?`, id).Scan(&source)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing parts of %s: %w", id, err)
	}
	return partsOf(ctx, s.db, source)
}

// KeepWhole records that the uploader asked for the document's file not to be split.
func (s *SQL) KeepWhole(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO unsplit_documents (doc_id) VALUES (?) ON CONFLICT (doc_id) DO NOTHING`, id); err != nil {
		return fmt.Errorf("keeping %s whole: %w", id, err)
	}
	return nil
}

// KeptWhole reports whether the uploader asked for the document's file not to be split.
func (s *SQL) KeptWhole(ctx context.Context, id string) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM unsplit_documents WHERE doc_id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("reading split option of %s: %w", id, err)
	}
	return n > 0, nil
}

// ErrBoundary reports a boundary that cannot move where it was asked to.
var ErrBoundary = errors.New("invalid document boundary")

// ReasonClerk marks a part whose first page a clerk chose.
const ReasonClerk = "clerk"

// MoveBoundary moves the start of part docID (not the first part of its file) to the file's
// page first: the pages between the old and the new boundary change from one part to the
// other, both are renumbered from 1, and both parts' types and fields must then be found
// again (the caller queues that). Only the boundary between two parts with no separator
// sheet between them can move (a dropped sheet belongs to neither), and neither part may be
// left empty. The move is audited.
func (s *SQL) MoveBoundary(ctx context.Context, docID string, first int, who Actor) ([]Part, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("moving boundary of %s: %w", docID, err)
	}
	defer tx.Rollback()
	var source string
	if err := tx.QueryRowContext(ctx, `SELECT source_id FROM document_parts WHERE doc_id = ?`, docID).Scan(&source); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("%w: document %s is not a part of a split file", ErrBoundary, docID)
		}
		return nil, fmt.Errorf("moving boundary of %s: %w", docID, err)
	}
	now := s.stamp()
	// Writing the source's row first serialises moves within one file.
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET updated_at = ? WHERE id = ?`, now, source); err != nil {
		return nil, fmt.Errorf("moving boundary of %s: %w", docID, err)
	}
	parts, err := partsOf(ctx, tx, source)
	if err != nil {
		return nil, err
	}
	k := slices.IndexFunc(parts, func(p Part) bool { return p.DocID == docID })
	if k < 1 {
		return nil, fmt.Errorf("%w: the first part of a file has no boundary before it", ErrBoundary)
	}
	prev, cur := parts[k-1], parts[k]
	switch {
	case prev.LastPage+1 != cur.FirstPage:
		return nil, fmt.Errorf("%w: a separator sheet lies between pages %d and %d", ErrBoundary, prev.LastPage, cur.FirstPage)
	case first <= prev.FirstPage || first > cur.LastPage:
		return nil, fmt.Errorf("%w: page %d would leave a part empty (the two parts hold pages %d–%d)", ErrBoundary, first, prev.FirstPage, cur.LastPage)
	case first == cur.FirstPage:
		return parts, tx.Commit()
	}
	// Pages go to a negative number first (the file's page, negated), so that no number is
	// taken twice on the way, then to their place in their new part.
	for _, p := range []Part{prev, cur} {
		if _, err := tx.ExecContext(ctx, `UPDATE pages SET number = -(number + ?) WHERE doc_id = ?`, p.FirstPage-1, p.DocID); err != nil {
			return nil, fmt.Errorf("moving pages of %s: %w", p.DocID, err)
		}
	}
	// The file's pages before first belong to prev, the others to cur.
	if _, err := tx.ExecContext(ctx, `UPDATE pages SET doc_id = ? WHERE doc_id = ? AND number > ?`, prev.DocID, cur.DocID, -first); err != nil {
		return nil, fmt.Errorf("moving pages of %s: %w", docID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE pages SET doc_id = ? WHERE doc_id = ? AND number <= ?`, cur.DocID, prev.DocID, -first); err != nil {
		return nil, fmt.Errorf("moving pages of %s: %w", docID, err)
	}
	prev.LastPage, cur.FirstPage, cur.Reason = first-1, first, ReasonClerk
	for _, p := range []Part{prev, cur} {
		if _, err := tx.ExecContext(ctx, `UPDATE pages SET number = -number - ? WHERE doc_id = ?`, p.FirstPage-1, p.DocID); err != nil {
			return nil, fmt.Errorf("renumbering pages of %s: %w", p.DocID, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE document_parts SET first_page = ?, last_page = ?, reason = ? WHERE doc_id = ?`,
			p.FirstPage, p.LastPage, p.Reason, p.DocID); err != nil {
			return nil, fmt.Errorf("moving boundary of %s: %w", docID, err)
		}
		// Processing again until its type and fields are found anew, then indexed again (with
		// its event: the document changed).
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET page_count = ?, status = ?, updated_at = ? WHERE id = ?`,
			p.LastPage-p.FirstPage+1, StatusProcessing, now, p.DocID); err != nil {
			return nil, fmt.Errorf("moving boundary of %s: %w", docID, err)
		}
	}
	if err := insertAudit(ctx, tx, now, AuditEntry{Actor: who, Action: "move_boundary", DocID: docID, DocIDs: []string{prev.DocID, cur.DocID},
		Field: "first_page", OldValue: strconv.Itoa(parts[k].FirstPage), NewValue: strconv.Itoa(first)}); err != nil {
		return nil, err
	}
	parts[k-1], parts[k] = prev, cur
	return parts, tx.Commit()
}

// partsOf lists the parts of source's file inside a transaction.
func partsOf(ctx context.Context, db interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}, source string) ([]Part, error) {
	rows, err := db.QueryContext(ctx, `SELECT doc_id, source_id, seq, first_page, last_page, reason FROM document_parts WHERE source_id = ? ORDER BY seq`, source)
	if err != nil {
		return nil, fmt.Errorf("listing parts of %s: %w", source, err)
	}
	defer rows.Close()
	var out []Part
	for rows.Next() {
		var p Part
		if err := rows.Scan(&p.DocID, &p.SourceID, &p.Seq, &p.FirstPage, &p.LastPage, &p.Reason); err != nil {
			return nil, fmt.Errorf("reading part row: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
