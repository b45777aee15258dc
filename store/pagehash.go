package store

import (
	"context"
	"fmt"
)

// PageHash is what is kept of a recognised page to find its near-duplicates (package
// neardup computes it). It belongs to the page's prepared image, so it follows the page
// through splits and boundary moves.
type PageHash struct {
	Image       Ref
	ImageHash   uint64
	TextMinHash string // hex, neardup.TextSignature.String
	Shingles    int
	// Bands are the keys under which the page is found as a candidate; only written.
	Bands []int64
}

// SavePageHash keeps h for its image, replacing what was kept before (a task that runs
// twice writes the same rows).
func (s *SQL) SavePageHash(ctx context.Context, h PageHash) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("saving hash of page %s: %w", h.Image, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO page_hashes (image, image_hash, text_minhash, shingles) VALUES (?, ?, ?, ?)
		ON CONFLICT (image) DO UPDATE SET image_hash = excluded.image_hash, text_minhash = excluded.text_minhash, shingles = excluded.shingles`,
		h.Image, int64(h.ImageHash), h.TextMinHash, h.Shingles); err != nil {
		return fmt.Errorf("saving hash of page %s: %w", h.Image, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM page_hash_bands WHERE image = ?`, h.Image); err != nil {
		return fmt.Errorf("saving hash bands of page %s: %w", h.Image, err)
	}
	for _, b := range h.Bands {
		if _, err := tx.ExecContext(ctx, `INSERT INTO page_hash_bands (band, image) VALUES (?, ?) ON CONFLICT DO NOTHING`, b, h.Image); err != nil {
			return fmt.Errorf("saving hash bands of page %s: %w", h.Image, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("saving hash of page %s: %w", h.Image, err)
	}
	return nil
}

// HashCandidate is a page of another document that shares a band with a page of the
// document asked about: whether it is the same paper is for neardup.Compare to say.
type HashCandidate struct {
	Page      int // of the document asked about
	Own       PageHash
	DocID     string // the other document
	OtherPage int
	Other     PageHash
}

// maxCandidates bounds one document's candidates: a template with thousands of filled-in
// copies must not make a read of one of them slow (the closest are not lost often: a copy
// of a page shares most of its bands, a page of the same template few).
const maxCandidates = 500

// HashCandidates lists the pages of other documents sharing a band with a page of docID
// (their hashes, not their bands), those sharing the most bands first.
func (s *SQL) HashCandidates(ctx context.Context, docID string) ([]HashCandidate, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.number, hp.image, hp.image_hash, hp.text_minhash, hp.shingles,
			q.doc_id, q.number, hq.image, hq.image_hash, hq.text_minhash, hq.shingles, COUNT(*) AS shared
		FROM pages p
		JOIN page_hashes hp ON hp.image = p.image
		JOIN page_hash_bands bp ON bp.image = p.image
		JOIN page_hash_bands bq ON bq.band = bp.band
		JOIN pages q ON q.image = bq.image AND q.doc_id <> p.doc_id
		JOIN page_hashes hq ON hq.image = q.image
		WHERE p.doc_id = ?
		GROUP BY p.number, hp.image, hp.image_hash, hp.text_minhash, hp.shingles,
			q.doc_id, q.number, hq.image, hq.image_hash, hq.text_minhash, hq.shingles
		ORDER BY shared DESC, p.number, q.doc_id, q.number
		LIMIT ?`, docID, maxCandidates)
	if err != nil {
		return nil, fmt.Errorf("finding near-duplicate candidates of %s: %w", docID, err)
	}
	defer rows.Close()
	var out []HashCandidate
	for rows.Next() {
		var c HashCandidate
		var own, other int64
		var shared int
		if err := rows.Scan(&c.Page, &c.Own.Image, &own, &c.Own.TextMinHash, &c.Own.Shingles,
			&c.DocID, &c.OtherPage, &c.Other.Image, &other, &c.Other.TextMinHash, &c.Other.Shingles, &shared); err != nil {
			return nil, fmt.Errorf("reading near-duplicate candidate of %s: %w", docID, err)
		}
		c.Own.ImageHash, c.Other.ImageHash = uint64(own), uint64(other)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("finding near-duplicate candidates of %s: %w", docID, err)
	}
	return out, nil
}
