package indexdoc

import (
	"context"
	"errors"
	"slices"
	"testing"

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
