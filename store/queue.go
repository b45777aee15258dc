package store

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The review queue lists documents in the order a clerk should look at them: those needing
// review first, then the ones with the most failed checks, then the least confident. The
// order is computed from the fields as they are now, so a correction moves a document down.

// QueueFilter selects the documents of a queue listing; an empty field does not filter.
type QueueFilter struct {
	ReviewState string // needs_review, auto, approved, or "none" for not yet extracted
	DocType     string
	DossierID   string
	BatchID     string
	// After is a QueueItem's Cursor: the listing starts after that item. A cursor keeps the
	// item's place as it was when listed, so "the next document" stays the next one even
	// when the clerk has just approved (and so moved) the current one.
	After string
	Limit int // items to return [50]
}

// ReviewStateNone names "not yet extracted" (the empty review state) in a filter.
const ReviewStateNone = "none"

// QueueItem is a document in the queue with what ranks it.
type QueueItem struct {
	Document
	// Failed counts the checks the document fails now: fields whose value does not validate,
	// and required fields the pipeline found missing that are still empty.
	Failed int `json:"failed_checks"`
	// LowestConfidence is the lowest of the document type's confidence and its fields'.
	LowestConfidence float64 `json:"lowest_confidence"`
	// Reasons say why the pipeline sent the document to review (see ReviewReasons).
	Reasons []ReviewReason `json:"review_reasons"`
	// Cursor marks the item's place; pass it as After to list what follows.
	Cursor string `json:"cursor"`
}

// FacetCount is how many documents of the filter have one value.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// QueueFacets count the documents per value of each filterable column. Each facet applies
// every filter but its own, so its counts say what choosing another value would list.
type QueueFacets struct {
	ReviewState []FacetCount `json:"review_state"`
	DocType     []FacetCount `json:"doc_type"`
	DossierID   []FacetCount `json:"dossier_id"`
	BatchID     []FacetCount `json:"batch_id"`
}

// QueuePage is one page of the queue.
type QueuePage struct {
	Items  []QueueItem `json:"items"`
	Total  int         `json:"total"` // documents matching the filter
	Facets QueueFacets `json:"facets"`
	// Next is the cursor of the last item when more follow, else "".
	Next string `json:"next,omitempty"`
}

// ErrBadCursor is an After that no listing produced.
var ErrBadCursor = errors.New("bad queue cursor")

// Bounds of a listing; a facet lists its largest values first.
const (
	defaultQueueLimit = 50
	maxFacetValues    = 100
)

// queueKey is an item's place in the queue order: state group, failed checks (more first),
// lowest confidence, then age and ID so that the order is total.
type queueKey struct {
	group     int
	failed    int
	low       float64
	createdAt string
	id        string
}

// The cursor is opaque to clients; "~" appears in neither timestamps nor document IDs.
func (k queueKey) cursor() string {
	s := strings.Join([]string{strconv.Itoa(k.group), strconv.Itoa(k.failed),
		strconv.FormatFloat(k.low, 'g', -1, 64), k.createdAt, k.id}, "~")
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func parseCursor(c string) (queueKey, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return queueKey{}, ErrBadCursor
	}
	parts := strings.Split(string(raw), "~")
	if len(parts) != 5 {
		return queueKey{}, ErrBadCursor
	}
	var k queueKey
	var e1, e2, e3 error
	k.group, e1 = strconv.Atoi(parts[0])
	k.failed, e2 = strconv.Atoi(parts[1])
	k.low, e3 = strconv.ParseFloat(parts[2], 64)
	if e1 != nil || e2 != nil || e3 != nil {
		return queueKey{}, ErrBadCursor
	}
	k.createdAt, k.id = parts[3], parts[4]
	return k, nil
}

// queueColumns computes each document's rank. A document not yet extracted (review state "")
// comes last: there is nothing to review yet. Missing fields count only while still empty.
// The outer select lets the cursor's WHERE name the computed columns (PostgreSQL does not
// see a select list's aliases in its own WHERE).
const queueColumns = `SELECT ` + documentColumns + `, grp, failed, low FROM (SELECT q.*,
	CASE WHEN fmin < doc_type_confidence THEN fmin ELSE doc_type_confidence END AS low
FROM (SELECT d.*,
	CASE d.review_state WHEN 'needs_review' THEN 0 WHEN 'auto' THEN 1 WHEN 'approved' THEN 2 ELSE 3 END AS grp,
	(SELECT COUNT(*) FROM fields f WHERE f.doc_id = d.id AND f.valid = 0)
		+ (SELECT COUNT(*) FROM review_reasons r WHERE r.doc_id = d.id AND r.code = 'field_missing'
			AND NOT EXISTS (SELECT 1 FROM fields f WHERE f.doc_id = d.id AND f.name = r.field AND f.value <> '')) AS failed,
	COALESCE((SELECT MIN(f.confidence) FROM fields f WHERE f.doc_id = d.id), 1) AS fmin
	FROM documents d WHERE %s) q) r`

// where builds the filter's condition on documents d, leaving out the column skip (a facet's
// own).
func (f QueueFilter) where(skip string) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	add := func(col, v string) {
		if v == "" || col == skip {
			return
		}
		if col == "review_state" && v == ReviewStateNone {
			v = ReviewNone
		}
		conds = append(conds, "d."+col+" = ?")
		args = append(args, v)
	}
	add("review_state", f.ReviewState)
	add("doc_type", f.DocType)
	add("dossier_id", f.DossierID)
	add("batch_id", f.BatchID)
	return strings.Join(conds, " AND "), args
}

// Queue lists a page of the review queue with its total and facets.
func (s *SQL) Queue(ctx context.Context, f QueueFilter) (QueuePage, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultQueueLimit
	}
	var after *queueKey
	if f.After != "" {
		k, err := parseCursor(f.After)
		if err != nil {
			return QueuePage{}, err
		}
		after = &k
	}
	page := QueuePage{Items: []QueueItem{}}
	// One state group at a time, in queue order, until the page is full: the rank is then
	// computed only for the groups the page reaches (what needs review, mostly), not for
	// every document the filter matches.
	for grp, cond := range queueGroups {
		if len(page.Items) > limit || after != nil && grp < after.group || !f.reaches(grp) {
			continue
		}
		items, err := s.queueGroup(ctx, f, grp, cond, after, limit+1-len(page.Items))
		if err != nil {
			return QueuePage{}, err
		}
		page.Items = append(page.Items, items...)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = page.Items[limit-1].Cursor
	}
	if err := s.queueReasons(ctx, page.Items); err != nil {
		return QueuePage{}, err
	}
	where, args := f.where("")
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents d WHERE `+where, args...).Scan(&page.Total); err != nil {
		return QueuePage{}, fmt.Errorf("counting the review queue: %w", err)
	}
	for _, facet := range []struct {
		col string
		out *[]FacetCount
	}{
		{"review_state", &page.Facets.ReviewState},
		{"doc_type", &page.Facets.DocType},
		{"dossier_id", &page.Facets.DossierID},
		{"batch_id", &page.Facets.BatchID},
	} {
		counts, err := s.facet(ctx, f, facet.col)
		if err != nil {
			return QueuePage{}, err
		}
		*facet.out = counts
	}
	return page, nil
}

// queueGroups are the review states in queue order, as conditions on documents d; the index
// is the group number of queueColumns' grp.
var queueGroups = []string{
	`d.review_state = 'needs_review'`,
	`d.review_state = 'auto'`,
	`d.review_state = 'approved'`,
	`d.review_state NOT IN ('needs_review', 'auto', 'approved')`,
}

// reaches reports whether the filter's review state can list documents of group grp.
func (f QueueFilter) reaches(grp int) bool {
	switch f.ReviewState {
	case "":
		return true
	case ReviewNeeded:
		return grp == 0
	case ReviewAuto:
		return grp == 1
	case ReviewApproved:
		return grp == 2
	}
	return grp == 3
}

// queueGroup lists up to n items of one state group, after the cursor when it is in the group.
func (s *SQL) queueGroup(ctx context.Context, f QueueFilter, grp int, cond string, after *queueKey, n int) ([]QueueItem, error) {
	where, args := f.where("")
	q := fmt.Sprintf(queueColumns, where+" AND "+cond)
	if after != nil && after.group == grp {
		// Row values compare column by column, as ORDER BY sorts; failed is negated because
		// it sorts descending.
		q += ` WHERE (-failed, low, created_at, id) > (?, ?, ?, ?)`
		args = append(args, -after.failed, after.low, after.createdAt, after.id)
	}
	q += ` ORDER BY failed DESC, low, created_at, id LIMIT ?`
	args = append(args, n)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing the review queue: %w", err)
	}
	defer rows.Close()
	var items []QueueItem
	for rows.Next() {
		var it QueueItem
		var g int
		d := &it.Document
		if err := rows.Scan(&d.ID, &d.DossierID, &d.BatchID, &d.FileName, &d.Blob, &d.Size, &d.Status, &d.Error, &d.PageCount,
			&d.DocType, &d.DocTypeConfidence, &d.ReviewState, &d.CreatedAt, &d.UpdatedAt, &g, &it.Failed, &it.LowestConfidence); err != nil {
			return nil, fmt.Errorf("reading a queue row: %w", err)
		}
		it.Cursor = queueKey{g, it.Failed, it.LowestConfidence, d.CreatedAt, d.ID}.cursor()
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing the review queue: %w", err)
	}
	return items, nil
}

// facet counts the filter's documents (without its own condition on col) per value of col,
// the largest counts first.
func (s *SQL) facet(ctx context.Context, f QueueFilter, col string) ([]FacetCount, error) {
	where, args := f.where(col)
	rows, err := s.db.QueryContext(ctx, `SELECT d.`+col+`, COUNT(*) AS n FROM documents d WHERE `+where+
		` GROUP BY d.`+col+` ORDER BY n DESC, d.`+col+` LIMIT ?`, append(args, maxFacetValues)...)
	if err != nil {
		return nil, fmt.Errorf("counting the queue by %s: %w", col, err)
	}
	defer rows.Close()
	out := []FacetCount{}
	for rows.Next() {
		var c FacetCount
		if err := rows.Scan(&c.Value, &c.Count); err != nil {
			return nil, fmt.Errorf("reading the %s counts: %w", col, err)
		}
		if col == "review_state" && c.Value == ReviewNone {
			c.Value = ReviewStateNone
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// queueReasons fills in the review reasons of the listed items in one query.
func (s *SQL) queueReasons(ctx context.Context, items []QueueItem) error {
	if len(items) == 0 {
		return nil
	}
	at := make(map[string]int, len(items))
	args := make([]any, len(items))
	for i := range items {
		items[i].Reasons = []ReviewReason{}
		at[items[i].ID] = i
		args[i] = items[i].ID
	}
	rows, err := s.db.QueryContext(ctx, `SELECT doc_id, code, field, message FROM review_reasons WHERE doc_id IN (?`+
		strings.Repeat(",?", len(items)-1)+`) ORDER BY doc_id, seq`, args...)
	if err != nil {
		return fmt.Errorf("reading the queue's review reasons: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var r ReviewReason
		if err := rows.Scan(&id, &r.Code, &r.Field, &r.Message); err != nil {
			return fmt.Errorf("reading a review reason: %w", err)
		}
		items[at[id]].Reasons = append(items[at[id]].Reasons, r)
	}
	return rows.Err()
}
