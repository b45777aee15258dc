package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/meilisearch/meilisearch-go"
)

// Query is a full-text search with optional filters. Dates are YYYY-MM-DD, inclusive.
type Query struct {
	Text        string
	DossierID   string
	DocType     string
	Issuer      string
	ReviewState string
	From, To    string
	Limit       int // [10], at most 100
	Offset      int
	// Masked searches, crops, highlights and returns only the copies with ID numbers masked
	// (set it for callers without the pii permission). A hidden digit then can neither show
	// in a snippet nor make a document match: "0150" or a whole ID number finds nothing that
	// the masked form "015*******07" does not show.
	Masked bool
}

// Hit is one search result: the indexed document plus highlighted snippets.
type Hit struct {
	Doc
	// Snippet is a cropped part of the text around the matches, matches wrapped in <mark>.
	Snippet string `json:"snippet"`
}

// Results are the hits of a query.
type Results struct {
	Hits               []Hit `json:"hits"`
	EstimatedTotalHits int64 `json:"estimated_total_hits"`
	ProcessingTimeMs   int64 `json:"processing_time_ms"`
}

// filter builds the Meilisearch filter expression, quoting every value.
func (q Query) filter() string {
	var parts []string
	eq := func(attr, v string) {
		if v != "" {
			parts = append(parts, fmt.Sprintf("%s = %s", attr, strconv.Quote(v)))
		}
	}
	eq("dossier_id", q.DossierID)
	eq("doc_type", q.DocType)
	eq("issuer", q.Issuer)
	eq("review_state", q.ReviewState)
	if d := dayNumber(q.From); d > 0 {
		parts = append(parts, fmt.Sprintf("issued_day >= %d", d))
	}
	if d := dayNumber(q.To); d > 0 {
		parts = append(parts, fmt.Sprintf("issued_day <= %d", d))
	}
	return strings.Join(parts, " AND ")
}

// Search runs a query. Diacritics are optional in q.Text: "so hoa ho so" finds "số hóa hồ sơ".
func (ix *Index) Search(ctx context.Context, q Query) (Results, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	limit = min(limit, 100)
	searchOn, retrieve, textAttr := searchableFull, retrievedFull, "text"
	if q.Masked {
		searchOn, retrieve, textAttr = searchableMasked, retrievedMasked, "text_masked"
	}
	req := &meilisearch.SearchRequest{
		Limit:                 int64(limit),
		Offset:                int64(q.Offset),
		AttributesToSearchOn:  searchOn,
		AttributesToRetrieve:  retrieve,
		AttributesToCrop:      []string{textAttr},
		CropLength:            30,
		AttributesToHighlight: []string{textAttr},
		HighlightPreTag:       "<mark>",
		HighlightPostTag:      "</mark>",
		// "all" keeps every query word: the default "last" drops words until something matches,
		// which turns a name search into a search for a common syllable.
		MatchingStrategy: meilisearch.All,
		Locales:          []string{"vie"},
	}
	if f := q.filter(); f != "" {
		req.Filter = f
	}
	// The raw answer is decoded once into typed hits: the client's own Hit is a map that
	// DecodeInto marshals and unmarshals again.
	raw, err := ix.client.Index(ix.uid).SearchRawWithContext(ctx, q.Text, req)
	if unknownAttributes(err) && ix.empty(ctx) {
		return Results{Hits: []Hit{}}, nil
	}
	if err != nil {
		return Results{}, fmt.Errorf("%w: searching: %v", ErrUnavailable, err)
	}
	var resp struct {
		Hits []struct {
			stored
			Formatted struct {
				Text       string `json:"text"`
				TextMasked string `json:"text_masked"`
			} `json:"_formatted"`
		} `json:"hits"`
		EstimatedTotalHits int64 `json:"estimatedTotalHits"`
		ProcessingTimeMs   int64 `json:"processingTimeMs"`
	}
	if err := json.Unmarshal(*raw, &resp); err != nil {
		return Results{}, fmt.Errorf("decoding hits: %w", err)
	}
	out := Results{EstimatedTotalHits: resp.EstimatedTotalHits, ProcessingTimeMs: resp.ProcessingTimeMs, Hits: make([]Hit, 0, len(resp.Hits))}
	for _, h := range resp.Hits {
		hit := Hit{Doc: h.doc(q.Masked), Snippet: h.Formatted.Text}
		if q.Masked {
			hit.Snippet = h.Formatted.TextMasked
		}
		hit.Text = "" // the whole text is served by the document endpoint, not in result lists
		out.Hits = append(out.Hits, hit)
	}
	return out, nil
}

// unknownAttributes reports the error Meilisearch gives for attributesToSearchOn on an index
// that no document has been added to yet: it knows attributes from documents, not from the
// settings. Every stored document has every searchable attribute, so with one document the
// error cannot recur; on an empty index the right answer is no hits.
func unknownAttributes(err error) bool {
	var me *meilisearch.Error
	return errors.As(err, &me) && me.MeilisearchApiError.Code == "invalid_search_attributes_to_search_on"
}

// empty reports whether the index holds no documents.
func (ix *Index) empty(ctx context.Context) bool {
	st, err := ix.client.Index(ix.uid).GetStatsWithContext(ctx, nil)
	return err == nil && st.NumberOfDocuments == 0
}
