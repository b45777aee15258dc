package api

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/sohoa/sohoa/neardup"
	"github.com/sohoa/sohoa/store"
)

// NearDuplicate is a page of another document that is the same paper as a page of this one
// (scanned again, at another DPI, copied). It names the other document by ID only: the
// caller reads it through its own URL, under the same role and privacy rules.
type NearDuplicate struct {
	DocID    string `json:"document_id"`
	Page     int    `json:"page"`     // the other document's page
	OfPage   int    `json:"of_page"`  // this document's page
	Distance int    `json:"distance"` // bits in which the two pages' image hashes differ, 0–64
}

// nearDuplicates decides which of the store's candidates for document id are the same
// paper. Links are found at each read rather than stored, so a document recognised later
// appears on the earlier one's page too, and a split or moved boundary needs no update.
func (s *Server) nearDuplicates(ctx context.Context, id string) ([]NearDuplicate, error) {
	cands, err := s.Store.HashCandidates(ctx, id)
	if err != nil {
		return nil, err
	}
	out := []NearDuplicate{}
	for _, c := range cands {
		own, err := signature(c.Own)
		if err != nil {
			return nil, err
		}
		other, err := signature(c.Other)
		if err != nil {
			return nil, err
		}
		if m := neardup.Compare(own, other); m.Same {
			out = append(out, NearDuplicate{DocID: c.DocID, Page: c.OtherPage, OfPage: c.Page, Distance: m.ImageDistance})
		}
	}
	slices.SortFunc(out, func(a, b NearDuplicate) int {
		return cmp.Or(cmp.Compare(a.OfPage, b.OfPage), cmp.Compare(a.DocID, b.DocID), cmp.Compare(a.Page, b.Page))
	})
	return out, nil
}

// signature reads back a stored page hash.
func signature(h store.PageHash) (neardup.Signature, error) {
	t, err := neardup.ParseTextSignature(h.TextMinHash, h.Shingles)
	if err != nil {
		return neardup.Signature{}, fmt.Errorf("reading hash of page %s: %w", h.Image, err)
	}
	return neardup.Signature{Image: h.ImageHash, Text: t}, nil
}
