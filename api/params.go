package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// Bounds of the search parameters. A page of 100 hits is the most Meilisearch is asked for in
// one request; longer text parameters are not queries a person typed.
const (
	maxSearchLimit = 100
	maxQueryText   = 500
)

// paramError is a query parameter the API cannot use; it answers 400 with code
// invalid_parameter and the parameter's name, so a client can point at the bad input.
type paramError struct {
	Name   string
	Reason string
}

func (e *paramError) Error() string { return "invalid parameter " + e.Name + ": " + e.Reason }

func writeParamError(w http.ResponseWriter, err *paramError) {
	writeJSON(w, http.StatusBadRequest, ErrorBody{Code: "invalid_parameter", Error: err.Error(), Param: err.Name})
}

// searchReviewStates are the review states a search can filter on; "" (not yet extracted) is
// never indexed, so it is not one of them.
var searchReviewStates = map[string]bool{store.ReviewNeeded: true, store.ReviewAuto: true, store.ReviewApproved: true}

// parseSearch reads the query of GET /v1/search. Every parameter is checked before the index
// is asked, so a typo answers 400 instead of an empty or unfiltered result.
func parseSearch(q url.Values) (index.Query, *paramError) {
	var query index.Query
	var perr *paramError
	text := func(name string) string {
		v := q.Get(name)
		if perr == nil && len(v) > maxQueryText {
			perr = &paramError{name, fmt.Sprintf("at most %d bytes", maxQueryText)}
		}
		return v
	}
	query.Text = record.NFC(text("q"))
	query.Issuer = text("issuer")
	if perr != nil {
		return index.Query{}, perr
	}
	var err *paramError
	if query.Limit, err = intParam(q, "limit", 1, maxSearchLimit); err != nil {
		return index.Query{}, err
	}
	if query.Offset, err = intParam(q, "offset", 0, -1); err != nil {
		return index.Query{}, err
	}
	if query.From, err = dateParam(q, "from"); err != nil {
		return index.Query{}, err
	}
	if query.To, err = dateParam(q, "to"); err != nil {
		return index.Query{}, err
	}
	if query.From != "" && query.To != "" && query.From > query.To {
		return index.Query{}, &paramError{"from", "after to"}
	}
	if v := q.Get("review_state"); v != "" {
		if !searchReviewStates[v] {
			return index.Query{}, &paramError{"review_state", "one of needs_review, auto, approved"}
		}
		query.ReviewState = v
	}
	if v := q.Get("doc_type"); v != "" {
		if _, ok := taxonomy.Type(v); !ok {
			return index.Query{}, &paramError{"doc_type", "unknown document type " + strconv.Quote(v)}
		}
		query.DocType = v
	}
	if query.DossierID, err = dossierParam(q, "dossier_id"); err != nil {
		return index.Query{}, err
	}
	return query, nil
}

// intParam reads an optional whole number in [min, max] (max < 0: no upper bound); absent is 0,
// which the index reads as its default.
func intParam(q url.Values, name string, min, max int) (int, *paramError) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, &paramError{name, "not a whole number"}
	}
	if n < min || (max >= 0 && n > max) {
		if max < 0 {
			return 0, &paramError{name, fmt.Sprintf("must be %d or more", min)}
		}
		return 0, &paramError{name, fmt.Sprintf("must be from %d to %d", min, max)}
	}
	return n, nil
}

// dateParam reads an optional calendar date written YYYY-MM-DD.
func dateParam(q url.Values, name string) (string, *paramError) {
	v := q.Get(name)
	if v == "" {
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return "", &paramError{name, "not a date written YYYY-MM-DD"}
	}
	return v, nil
}

// dossierParam reads an optional dossier code and returns it in its canonical form.
func dossierParam(q url.Values, name string) (string, *paramError) {
	v := q.Get(name)
	if v == "" {
		return "", nil
	}
	id, err := record.ParseDossierID(v)
	if err != nil {
		return "", &paramError{name, err.Error()}
	}
	return id.String(), nil
}
