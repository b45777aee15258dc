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
	"strconv"
	"strings"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// SchemaVersion is part of the index name; bump it when Settings or Doc change, so a new
// index is built beside the old one by `sohoa reindex`.
const SchemaVersion = 1

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

// Index is one Meilisearch index of documents.
type Index struct {
	client meilisearch.ServiceManager
	uid    string
}

// New connects to Meilisearch at url. name is the base index name; the schema version is
// appended to it.
func New(url, key, name string) *Index {
	return &Index{
		client: meilisearch.New(url, meilisearch.WithAPIKey(key)),
		uid:    fmt.Sprintf("%s_v%d", name, SchemaVersion),
	}
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
		// Order matters: a hit in the number, subject or issuer ranks above one in the body.
		SearchableAttributes: []string{"number", "subject", "issuer", "names", "fields", "text", "file_name"},
		FilterableAttributes: []string{"dossier_id", "doc_type", "issuer", "issued_day", "review_state"},
		SortableAttributes:   []string{"issued_day"},
		// Meilisearch folds Vietnamese diacritics (đ→d included) when the locale is known, so a
		// query typed without diacritics finds the document (shared/notes/libraries.md §6).
		LocalizedAttributes: []*meilisearch.LocalizedAttributes{{Locales: []string{"vie"}, AttributePatterns: []string{"*"}}},
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled: true, // the struct has no omitempty: a partial struct would disable typos
			// Long minimum word sizes keep folded names apart (Hùng / Hương).
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 6, TwoTypos: 10},
			DisableOnAttributes: []string{"number", "dossier_id"},
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

// Upsert adds or replaces documents and waits until they are searchable.
func (ix *Index) Upsert(ctx context.Context, docs ...Doc) error {
	if len(docs) == 0 {
		return nil
	}
	for i := range docs {
		docs[i].IssuedDay = dayNumber(docs[i].IssuedDate)
	}
	pk := "id"
	task, err := ix.client.Index(ix.uid).AddDocumentsWithContext(ctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
	if err != nil {
		return fmt.Errorf("%w: adding documents: %v", ErrUnavailable, err)
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
