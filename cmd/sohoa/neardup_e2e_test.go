package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/api"
	sohoaclient "github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/ingest"
	"github.com/sohoa/sohoa/neardup"
)

// TestNearDuplicateEndToEnd uploads, through serve and worker, a birth certificate scanned at
// 300 DPI, the same certificate scanned at 200 DPI (other bytes, another dossier) and another
// person's birth certificate (the same template) at 300 DPI. The two scans of one paper must
// name each other as near-duplicates in the document JSON; the other certificate neither.
func TestNearDuplicateEndToEnd(t *testing.T) {
	dir := t.TempDir()
	ctx, _, base := startTestStack(t, stackVars(t, dir, "5", "e2e_neardup", "up:uploader,rd:reader", nil))
	// One seed, two resolutions: the same two certificates drawn at 300 and 200 DPI.
	scan := func(dpi int) []fixtures.Truth {
		out := filepath.Join(dir, fmt.Sprint(dpi))
		truths, err := fixtures.Generate(ctx, out, fixtures.Options{Seed: 31, Count: 2, Types: []string{"giay_khai_sinh"}, DPI: dpi})
		if err != nil {
			t.Fatal(err)
		}
		for i := range truths {
			truths[i].File = filepath.Join(out, truths[i].File)
		}
		return truths
	}
	at300, at200 := scan(300), scan(200)

	up := &sohoaclient.Client{Base: base, Key: "up", HTTP: http.DefaultClient}
	var ids []string // the certificate at 300 DPI, at 200 DPI, the other certificate
	var batches []string
	for i, f := range []string{at300[0].File, at200[0].File, at300[1].File} {
		res, err := up.Upload(ctx, fmt.Sprintf("000.00.15.H29-251201-%04d", 40+i), []string{f})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.Items[0].DocumentID)
		batches = append(batches, res.Batch.ID)
	}
	if err := ingest.Follow(ctx, up, batches, os.Stderr); err != nil {
		t.Fatal(err)
	}

	reader := &sohoaclient.Client{Base: base, Key: "rd", HTTP: http.DefaultClient}
	for i, want := range [][]string{{ids[1]}, {ids[0]}, nil} {
		var v api.DocumentView
		if err := reader.Get(ctx, "/v1/documents/"+ids[i], &v); err != nil {
			t.Fatal(err)
		}
		if v.Status != "indexed" {
			t.Fatalf("document %d is %s (%s), want indexed", i, v.Status, v.Error)
		}
		var got []string
		for _, l := range v.NearDuplicates {
			got = append(got, l.DocID)
			if l.Page != 1 || l.OfPage != 1 || l.Distance > neardup.MaxImageDistance {
				t.Errorf("document %d: link %+v, want page 1 of page 1 within %d bits", i, l, neardup.MaxImageDistance)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("near-duplicates of document %d (-want +got):\n%s", i, diff)
		}
		t.Logf("document %d: near_duplicates %+v", i, v.NearDuplicates)
	}
}
