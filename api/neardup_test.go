package api

import (
	"context"
	"encoding/json"
	"image"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/neardup"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// blockPage is a page with a few dark blocks, a layout at a glance.
func blockPage(w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	for _, r := range []image.Rectangle{{image.Pt(w/10, h/10), image.Pt(w/2, h/8)}, {image.Pt(w/10, h/4), image.Pt(w*9/10, h/3)}, {image.Pt(w/2, h*3/4), image.Pt(w*9/10, h*9/10)}} {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				g.Pix[y*g.Stride+x] = 0
			}
		}
	}
	return g
}

// storeScan stores a one-page document in its own dossier and batch with the page hash the
// worker would keep for it.
func storeScan(t *testing.T, db *store.SQL, dossier string, g *image.Gray, text string) string {
	t.Helper()
	ctx := context.Background()
	batch := "b" + dossier[len(dossier)-4:]
	if _, err := db.CreateBatch(ctx, store.Batch{ID: batch, DossierID: dossier}); err != nil {
		t.Fatal(err)
	}
	d, _, err := db.AddDocument(ctx, store.Document{DossierID: dossier, BatchID: batch, FileName: "quet.png", Blob: store.RefOf([]byte(dossier)), Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	img := store.RefOf([]byte(text + dossier))
	if err := db.SavePreparedPage(ctx, store.PageRecord{DocID: d.ID, DPI: 300, Image: img, Page: record.Page{Number: 1, Width: g.Rect.Dx(), Height: g.Rect.Dy()}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveRecognition(ctx, d.ID, 1, text, nil, 90); err != nil {
		t.Fatal(err)
	}
	sig := neardup.Sign(g, text)
	if err := db.SavePageHash(ctx, store.PageHash{Image: img, ImageHash: sig.Image, TextMinHash: sig.Text.String(), Shingles: sig.Text.Shingles, Bands: sig.Text.Bands()}); err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// The document JSON names the other documents holding the same paper, by ID only, for every
// role that reads documents; a page of the same layout with other words is not one.
func TestNearDuplicatesInDocument(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const text = "GIẤY KHAI SINH Họ, chữ đệm, tên: NGUYỄN VĂN AN Giới tính: Nam Ngày, tháng, năm sinh: 12/03/2001 Nơi sinh: Bệnh viện Đa khoa tỉnh Nam Định Quê quán: xã Hải Hậu, tỉnh Nam Định Số định danh cá nhân: 036201001234"
	first := storeScan(t, f.store, "000.00.15.H29-251201-0001", blockPage(2480, 3508), text)
	again := storeScan(t, f.store, "000.00.15.H29-251201-0002", blockPage(1654, 2339), text)
	other := storeScan(t, f.store, "000.00.15.H29-251201-0003", blockPage(2480, 3508),
		strings.NewReplacer("NGUYỄN VĂN AN", "TRẦN THỊ BÌNH", "12/03/2001", "30/11/1999", "Nam Định", "Thái Bình", "036201001234", "034199004321", "Nam", "Nữ").Replace(text))
	for _, tc := range []struct {
		id, key string
		want    []NearDuplicate
	}{
		{first, "rd", []NearDuplicate{{DocID: again, Page: 1, OfPage: 1}}},
		{again, "cl", []NearDuplicate{{DocID: first, Page: 1, OfPage: 1}}},
		{other, "ad", nil},
	} {
		resp, body := f.do(t, "GET", "/v1/documents/"+tc.id, tc.key, nil, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", tc.id, resp.StatusCode, body)
		}
		var v struct {
			NearDuplicates []NearDuplicate `json:"near_duplicates"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatal(err)
		}
		for i := range v.NearDuplicates {
			if v.NearDuplicates[i].Distance > neardup.MaxImageDistance {
				t.Errorf("%s: distance %d over the threshold", tc.id, v.NearDuplicates[i].Distance)
			}
			v.NearDuplicates[i].Distance = 0
		}
		if diff := cmp.Diff(tc.want, v.NearDuplicates); diff != "" {
			t.Errorf("near_duplicates of %s (-want +got):\n%s", tc.id, diff)
		}
		// IDs and numbers only: nothing of the other document's content.
		var raw struct {
			NearDuplicates []map[string]any `json:"near_duplicates"`
		}
		json.Unmarshal(body, &raw)
		for _, l := range raw.NearDuplicates {
			if len(l) != 4 || l["document_id"] == nil || l["page"] == nil || l["of_page"] == nil || l["distance"] == nil {
				t.Errorf("%s: link %v, want document_id, page, of_page and distance only", tc.id, l)
			}
		}
	}
}
