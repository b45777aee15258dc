package indexdoc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

type fakeStore struct {
	doc    store.Document
	pages  []store.PageRecord
	fields map[string]store.FieldRecord
}

func (f fakeStore) Document(_ context.Context, id string) (store.Document, error) {
	if id != f.doc.ID {
		return store.Document{}, store.ErrNotFound
	}
	return f.doc, nil
}

func (f fakeStore) Pages(context.Context, string) ([]store.PageRecord, error) { return f.pages, nil }

func (f fakeStore) Fields(context.Context, string) (map[string]store.FieldRecord, error) {
	return f.fields, nil
}

func field(v string) store.FieldRecord { return store.FieldRecord{Field: record.Field{Value: v}} }

func TestLoad(t *testing.T) {
	t.Parallel()
	s := fakeStore{
		doc: store.Document{ID: "d1", DossierID: "x", DocType: "quyet_dinh", ReviewState: store.ReviewAuto, PageCount: 2},
		pages: []store.PageRecord{
			{Page: record.Page{Number: 1, Text: "QUYẾT ĐỊNH"}}, {Page: record.Page{Number: 2, Text: "Nơi nhận"}},
		},
		fields: map[string]store.FieldRecord{
			"number": field("98/QĐ-UBND"), "issuer": field("UBND TỈNH"), "signer": field("Nguyễn Văn An"), "subject": field("Về việc"),
		},
	}
	d, err := Load(context.Background(), s, "d1")
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "d1" || d.PageCount != 2 || d.Text != "QUYẾT ĐỊNH\n\nNơi nhận" {
		t.Errorf("Load = %+v", d)
	}
	if d.Number != "98/QĐ-UBND" || d.Issuer != "UBND TỈNH" || d.Subject != "Về việc" || d.Fields["signer"] != "Nguyễn Văn An" {
		t.Errorf("fields = %+v", d)
	}
	// A signer is a person, searched by name; the issuing agency is not.
	if !slices.Equal(d.Names, []string{"Nguyễn Văn An"}) {
		t.Errorf("Names = %v", d.Names)
	}
	if _, err := Load(context.Background(), s, "d2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Load(missing) = %v", err)
	}
}

// catalogue is a store of n indexed documents, each one page.
type catalogue struct{ n int }

func (c catalogue) DocumentsWithStatus(_ context.Context, status string) ([]store.Document, error) {
	if status != store.StatusIndexed {
		return nil, nil
	}
	out := make([]store.Document, c.n)
	for i := range out {
		out[i] = store.Document{ID: fmt.Sprint("d", i)}
	}
	return out, nil
}

func (catalogue) Document(_ context.Context, id string) (store.Document, error) {
	return store.Document{ID: id}, nil
}

func (catalogue) Pages(context.Context, string) ([]store.PageRecord, error) { return nil, nil }

func (catalogue) Fields(context.Context, string) (map[string]store.FieldRecord, error) {
	return nil, nil
}

// batches records what each Upsert received.
type batches [][]string

func (b *batches) Upsert(_ context.Context, docs ...index.Doc) error {
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	*b = append(*b, ids)
	return nil
}

func TestRebuild(t *testing.T) {
	t.Parallel()
	var got batches
	var calls [][2]int
	if err := Rebuild(context.Background(), catalogue{n: 250}, &got, func(done, total int) { calls = append(calls, [2]int{done, total}) }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(got[0]) != 100 || len(got[2]) != 50 || got[2][49] != "d249" {
		t.Errorf("batches of %v", func() (n []int) {
			for _, b := range got {
				n = append(n, len(b))
			}
			return n
		}())
	}
	if !slices.Equal(calls, [][2]int{{100, 250}, {200, 250}, {250, 250}}) {
		t.Errorf("progress calls = %v", calls)
	}
}
