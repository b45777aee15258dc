// Package index keeps the Meilisearch index of documents: its settings, upserts, deletes
// and searches. The index is derived from the store and can be rebuilt at any time
// (`sohoa reindex`); the store stays the system of record.
//
// It is the only package that imports the Meilisearch client; it must not import the queue,
// database or HTTP packages.
package index

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/sohoa/sohoa/pii"
)

// SchemaVersion is part of the index name; bump it when Settings or Doc change, so a new
// index is built beside the old one by `sohoa reindex`.
// 2: masked copies of the free-text attributes, no typos on numbers.
const SchemaVersion = 2

// ErrUnavailable reports that Meilisearch could not be reached or failed a task; callers
// retry later (indexing waits while reads by ID keep working from the store).
var ErrUnavailable = errors.New("search index unavailable")

// Doc is what is indexed for one document.
type Doc struct {
	ID          string            `json:"id"`
	DossierID   string            `json:"dossier_id"`
	FileName    string            `json:"file_name"`
	DocType     string            `json:"doc_type"`
	ReviewState string            `json:"review_state"`
	Number      string            `json:"number,omitempty"`
	Issuer      string            `json:"issuer,omitempty"`
	IssuedDate  string            `json:"issued_date,omitempty"` // YYYY-MM-DD
	IssuedDay   int               `json:"issued_day,omitempty"`  // YYYYMMDD, for range filters
	Subject     string            `json:"subject,omitempty"`
	Names       []string          `json:"names,omitempty"`
	Fields      map[string]string `json:"fields,omitempty"`
	Text        string            `json:"text"`
	PageCount   int               `json:"page_count"`
}

// stored is what Meilisearch holds for a document: the Doc as the store has it, and a copy
// of every free-text attribute with ID numbers masked by pii.MaskText. Queries for callers
// without the pii permission search, crop, highlight and retrieve only the masked copies, so
// neither a snippet nor the mere presence of a hit can reveal or confirm a hidden digit.
//
// Every searchable attribute is always present (empty rather than omitted): Meilisearch
// refuses attributesToSearchOn naming an attribute that no document has.
type stored struct {
	ID             string            `json:"id"`
	DossierID      string            `json:"dossier_id"`
	DocType        string            `json:"doc_type"`
	ReviewState    string            `json:"review_state"`
	IssuedDate     string            `json:"issued_date,omitempty"`
	IssuedDay      int               `json:"issued_day,omitempty"`
	PageCount      int               `json:"page_count"`
	Number         string            `json:"number"`
	Issuer         string            `json:"issuer"`
	Subject        string            `json:"subject"`
	Names          []string          `json:"names"`
	Fields         map[string]string `json:"fields"`
	Text           string            `json:"text"`
	FileName       string            `json:"file_name"`
	NumberMasked   string            `json:"number_masked"`
	IssuerMasked   string            `json:"issuer_masked"`
	SubjectMasked  string            `json:"subject_masked"`
	NamesMasked    []string          `json:"names_masked"`
	FieldsMasked   map[string]string `json:"fields_masked"`
	TextMasked     string            `json:"text_masked"`
	FileNameMasked string            `json:"file_name_masked"`
}

func newStored(d Doc) stored {
	s := stored{
		ID: d.ID, DossierID: d.DossierID, DocType: d.DocType, ReviewState: d.ReviewState,
		IssuedDate: d.IssuedDate, IssuedDay: dayNumber(d.IssuedDate), PageCount: d.PageCount,
		Number: d.Number, Issuer: d.Issuer, Subject: d.Subject, Names: []string{}, Fields: map[string]string{},
		Text: d.Text, FileName: d.FileName,
		NumberMasked: pii.MaskText(d.Number), IssuerMasked: pii.MaskText(d.Issuer), SubjectMasked: pii.MaskText(d.Subject),
		NamesMasked: []string{}, FieldsMasked: map[string]string{},
		TextMasked: pii.MaskText(d.Text), FileNameMasked: pii.MaskText(d.FileName),
	}
	for _, n := range d.Names {
		s.Names = append(s.Names, n)
		s.NamesMasked = append(s.NamesMasked, pii.MaskText(n))
	}
	for k, v := range d.Fields {
		s.Fields[k] = v
		s.FieldsMasked[k] = pii.MaskText(v)
	}
	return s
}

// doc is the Doc a hit shows: with masked, the masked copies in place of what they mask.
func (s stored) doc(masked bool) Doc {
	d := Doc{
		ID: s.ID, DossierID: s.DossierID, DocType: s.DocType, ReviewState: s.ReviewState,
		IssuedDate: s.IssuedDate, IssuedDay: s.IssuedDay, PageCount: s.PageCount,
		Number: s.Number, Issuer: s.Issuer, Subject: s.Subject, Names: s.Names, Fields: s.Fields,
		Text: s.Text, FileName: s.FileName,
	}
	if masked {
		d.Number, d.Issuer, d.Subject, d.Names, d.Fields = s.NumberMasked, s.IssuerMasked, s.SubjectMasked, s.NamesMasked, s.FieldsMasked
		d.Text, d.FileName = s.TextMasked, s.FileNameMasked
	}
	if len(d.Names) == 0 {
		d.Names = nil // as the store has it: omitted from answers
	}
	if len(d.Fields) == 0 {
		d.Fields = nil
	}
	return d
}

// Attribute lists in ranking order: a hit in the number, subject or issuer ranks above one
// in the body. The masked list mirrors the full one.
var (
	searchableFull   = []string{"number", "subject", "issuer", "names", "fields", "text", "file_name"}
	searchableMasked = []string{"number_masked", "subject_masked", "issuer_masked", "names_masked", "fields_masked", "text_masked", "file_name_masked"}
	// retrieved never includes the text: hits carry a snippet, the document endpoint the text.
	retrievedCommon = []string{"id", "dossier_id", "doc_type", "review_state", "issued_date", "issued_day", "page_count"}
	retrievedFull   = append(append([]string{}, retrievedCommon...), "number", "issuer", "subject", "names", "fields", "file_name")
	retrievedMasked = append(append([]string{}, retrievedCommon...), "number_masked", "issuer_masked", "subject_masked", "names_masked", "fields_masked", "file_name_masked")
)

// Index is one Meilisearch index of documents.
type Index struct {
	client meilisearch.ServiceManager
	uid    string
}

// New connects to Meilisearch at url. name is the base index name; the schema version is
// appended to it.
func New(url, key, name string) *Index {
	return &Index{
		client: meilisearch.New(url, meilisearch.WithAPIKey(key), meilisearch.WithCustomClient(newHTTPClient())),
		uid:    fmt.Sprintf("%s_v%d", name, SchemaVersion),
	}
}

// newHTTPClient is the client for Meilisearch. Compression is off: Go's transport asks for
// gzip by default, and Meilisearch's gzipped answers then took about 44 ms each over a
// kept-alive connection against about 1.3 ms without (index.BenchmarkSearchTransport). The
// server is on the same machine or network, where compression saves nothing. Keep-alive
// stays on with room for the API's concurrent searches (the default keeps 2 idle
// connections per host, so bursts would open and close connections).
func newHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		DisableCompression:    true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}}
}

// UID returns the index's name in Meilisearch.
func (ix *Index) UID() string { return ix.uid }

// Healthy reports whether the server answers.
func (ix *Index) Healthy(ctx context.Context) error {
	if _, err := ix.client.HealthWithContext(ctx); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return nil
}

func settings() *meilisearch.Settings {
	return &meilisearch.Settings{
		SearchableAttributes: append(append([]string{}, searchableFull...), searchableMasked...),
		FilterableAttributes: []string{"dossier_id", "doc_type", "issuer", "issued_day", "review_state"},
		SortableAttributes:   []string{"issued_day"},
		ProximityPrecision:   meilisearch.ByAttribute,
		// Meilisearch folds Vietnamese diacritics (đ→d included) when the locale is known, so a
		// query typed without diacritics finds the document (shared/notes/libraries.md §6).
		LocalizedAttributes: []*meilisearch.LocalizedAttributes{{Locales: []string{"vie"}, AttributePatterns: []string{"*"}}},
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled: true, // the struct has no omitempty: a partial struct would disable typos
			// Long minimum word sizes keep folded names apart (Hùng / Hương).
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 6, TwoTypos: 10},
			DisableOnAttributes: []string{"number", "number_masked", "dossier_id"},
			// A digit off is another document's number or another year, not a typo worth
			// matching; and a typo must never stand in for a hidden digit.
			DisableOnNumbers: true,
		},
	}
}

// EnsureSettings creates the index if needed and applies the settings, waiting for both.
func (ix *Index) EnsureSettings(ctx context.Context) error {
	pk := "id"
	task, err := ix.client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: ix.uid, PrimaryKey: pk})
	if err != nil {
		return fmt.Errorf("%w: creating index: %v", ErrUnavailable, err)
	}
	// index_already_exists is fine: settings are applied again below.
	if _, err := ix.wait(ctx, task.TaskUID, "index_already_exists"); err != nil {
		return err
	}
	task, err = ix.client.Index(ix.uid).UpdateSettingsWithContext(ctx, settings())
	if err != nil {
		return fmt.Errorf("%w: updating settings: %v", ErrUnavailable, err)
	}
	_, err = ix.wait(ctx, task.TaskUID)
	return err
}

// wait waits for a Meilisearch task and turns a failed task into an error, unless its error
// code is one of allowed. meilisearch-go returns a nil error for failed tasks.
func (ix *Index) wait(ctx context.Context, uid int64, allowed ...string) (*meilisearch.Task, error) {
	t, err := ix.client.WaitForTaskWithContext(ctx, uid, 50*time.Millisecond)
	if err != nil {
		return nil, fmt.Errorf("%w: waiting for task %d: %v", ErrUnavailable, uid, err)
	}
	if t.Status == meilisearch.TaskStatusFailed {
		for _, code := range allowed {
			if t.Error.Code == code {
				return t, nil
			}
		}
		return t, fmt.Errorf("meilisearch task %d (%s) failed: %s: %s", uid, t.Type, t.Error.Code, t.Error.Message)
	}
	return t, nil
}

// Upsert adds or replaces documents, each with its masked copies, and waits until they are
// searchable.
func (ix *Index) Upsert(ctx context.Context, docs ...Doc) error {
	if len(docs) == 0 {
		return nil
	}
	out := make([]stored, len(docs))
	for i, d := range docs {
		out[i] = newStored(d)
	}
	pk := "id"
	task, err := ix.client.Index(ix.uid).AddDocumentsWithContext(ctx, out, &meilisearch.DocumentOptions{PrimaryKey: &pk})
	if err != nil {
		return fmt.Errorf("%w: adding documents: %v", ErrUnavailable, err)
	}
	_, err = ix.wait(ctx, task.TaskUID)
	return err
}

// Drop deletes the whole index (a benchmark's or a test's).
func (ix *Index) Drop(ctx context.Context) error {
	task, err := ix.client.DeleteIndexWithContext(ctx, ix.uid)
	if err != nil {
		return fmt.Errorf("%w: deleting index: %v", ErrUnavailable, err)
	}
	_, err = ix.wait(ctx, task.TaskUID)
	return err
}

// Delete removes a document from the index.
func (ix *Index) Delete(ctx context.Context, id string) error {
	task, err := ix.client.Index(ix.uid).DeleteDocumentWithContext(ctx, id, nil)
	if err != nil {
		return fmt.Errorf("%w: deleting document: %v", ErrUnavailable, err)
	}
	_, err = ix.wait(ctx, task.TaskUID)
	return err
}

func dayNumber(iso string) int {
	n, err := strconv.Atoi(strings.ReplaceAll(iso, "-", ""))
	if err != nil || len(iso) != 10 {
		return 0
	}
	return n
}
