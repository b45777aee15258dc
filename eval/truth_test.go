package eval

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadTruth(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Điều 1. Quyết định này có hiệu lực kể từ ngày ký.\n", 2000) // ~100 KB on one JSON line
	want := []Truth{
		{
			File: "a.pdf", DossierID: "000.00.15.H29-251201-0001", DocType: "quyet_dinh",
			Fields:       map[string]string{"number": "15/QĐ-UBND"},
			Pages:        []PageTruth{{Text: long, SkewDegrees: 2.5, Rotation: 90, DPI: 300}},
			Degradations: []string{"skew", "rotate"},
		},
		{File: "b.png", DocType: "khac", Pages: []PageTruth{{Text: "x", DPI: 150}}},
	}
	var lines []string
	for _, tr := range want {
		b, err := json.Marshal(tr)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "truth.jsonl")
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(good, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(lines[1]+"\n{\"file\": 3}\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("reads every record", func(t *testing.T) {
		t.Parallel()
		got, err := ReadTruth(good)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ReadTruth (-want +got):\n%s", diff)
		}
	})
	t.Run("names the bad record", func(t *testing.T) {
		t.Parallel()
		_, err := ReadTruth(bad)
		if err == nil || !strings.Contains(err.Error(), "record 2") {
			t.Errorf("ReadTruth(bad) = %v, want an error naming record 2", err)
		}
	})
	t.Run("missing file", func(t *testing.T) {
		t.Parallel()
		if _, err := ReadTruth(filepath.Join(dir, "nope.jsonl")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("ReadTruth(missing) = %v, want a not-exist error", err)
		}
	})
}
