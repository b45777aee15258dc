package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/client"
)

// TestCollect checks folders are walked for scans only, in path order, and that a file named
// on its own is kept whatever its extension.
func TestCollect(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{"b/2.TIF", "b/notes.txt", "a/1.pdf", "a/x/3.jpeg", "c.docx"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Collect([]string{filepath.Join(dir, "b"), filepath.Join(dir, "a"), filepath.Join(dir, "c.docx")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a/1.pdf", "a/x/3.jpeg", "b/2.TIF", "c.docx"}
	for i := range want {
		want[i] = filepath.Join(dir, want[i])
	}
	if !slices.Equal(got, want) {
		t.Errorf("Collect = %v, want %v", got, want)
	}
	if _, err := Collect([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("Collect of a missing path succeeded")
	}
}

// TestFollow follows two batches through a fake API until both are done, and checks the last
// progress line counts the documents of both.
func TestFollow(t *testing.T) {
	t.Parallel()
	var polls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer k" {
			http.Error(w, "{}", http.StatusUnauthorized)
			return
		}
		n := polls.Add(1)
		p := api.BatchProgress{Total: 2, Counts: map[string]int{"indexed": 1}}
		if n > 2 { // each batch done from the second round on
			p = api.BatchProgress{Total: 2, Counts: map[string]int{"indexed": 1, "failed": 1}, Done: true}
		}
		json.NewEncoder(w).Encode(p)
	}))
	defer srv.Close()
	var out bytes.Buffer
	if err := Follow(context.Background(), client.New(srv.URL, "k", nil), []string{"b1", "b2"}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\r")
	if last := lines[len(lines)-1]; !strings.Contains(last, "2/4 indexed, 2 failed") {
		t.Errorf("last progress line %q, want 2/4 indexed, 2 failed", last)
	}
	if err := Follow(context.Background(), client.New(srv.URL, "wrong", nil), []string{"b1"}, &out); !client.IsRefused(err) {
		t.Errorf("Follow with a refused key = %v, want the API's refusal", err)
	}
}
