package index

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sohoa/sohoa/internal/testenv"
)

func TestFilter(t *testing.T) {
	t.Parallel()
	q := Query{DossierID: `A"B`, DocType: "quyet_dinh", From: "2025-01-01", To: "bad"}
	want := `dossier_id = "A\"B" AND doc_type = "quyet_dinh" AND issued_day >= 20250101`
	if got := q.filter(); got != want {
		t.Errorf("filter = %s\nwant     %s", got, want)
	}
}

// TestSearchVietnamese runs against the real Meilisearch started by make test.
func TestSearchVietnamese(t *testing.T) {
	t.Parallel()
	url, key := testenv.Meili(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ix := New(url, key, fmt.Sprintf("test_index_%d", time.Now().UnixNano()))
	if err := ix.EnsureSettings(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.client.DeleteIndex(ix.uid) })
	docs := []Doc{
		{ID: "d1", DossierID: "000.00.15.H29-251201-0001", DocType: "quyet_dinh", IssuedDate: "2025-12-01",
			Subject: "Về việc đẩy mạnh số hóa hồ sơ", Text: "QUYẾT ĐỊNH\nVề việc đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"},
		{ID: "d2", DossierID: "000.00.15.H29-251201-0002", DocType: "giay_khai_sinh", Names: []string{"Nguyễn Thị Hương"},
			Text: "GIẤY KHAI SINH\nHọ, chữ đệm, tên: Nguyễn Thị Hương\nNơi sinh: Đông Hưng, Thái Bình"},
	}
	if err := ix.Upsert(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	// Upserting again replaces, never duplicates.
	if err := ix.Upsert(ctx, docs[0]); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		q    Query
		want []string
	}{
		{Query{Text: "so hoa ho so"}, []string{"d1"}},
		{Query{Text: "số hóa hồ sơ"}, []string{"d1"}},
		{Query{Text: "dong hung"}, []string{"d2"}},
		{Query{Text: "nguyen thi huong"}, []string{"d2"}},
		{Query{Text: "ho so", DocType: "giay_khai_sinh"}, nil},
		{Query{Text: "", DossierID: "000.00.15.H29-251201-0002"}, []string{"d2"}},
		{Query{Text: "", From: "2025-11-01", To: "2025-12-31"}, []string{"d1"}},
	}
	for _, c := range cases {
		res, err := ix.Search(ctx, c.q)
		if err != nil {
			t.Fatalf("%+v: %v", c.q, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("Search(%+v) = %v, want %v", c.q, got, c.want)
		}
	}
	res, _ := ix.Search(ctx, Query{Text: "so hoa"})
	if len(res.Hits) == 0 || res.Hits[0].Snippet == "" || res.Hits[0].Text != "" {
		t.Errorf("hit = %+v, want a snippet and no full text", res.Hits)
	}
}
