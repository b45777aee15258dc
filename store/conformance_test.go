package store

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store/storetest"
)

// testLastPageOnce is the store behaviour the pipeline's exactly-once classification rests
// on: two OCR tasks, each with its own connection pool as on two hosts, save the last two
// pages of a document at the same moment, and exactly one of them is told no page is left.
// SQLite serialises writers, so it passes there with or without the row lock; it is written
// against the backend, not SQLite, so that a READ COMMITTED backend runs it too.
func testLastPageOnce(t *testing.T, a, b *SQL) {
	ctx := context.Background()
	const docs = 40
	if _, err := a.CreateBatch(ctx, Batch{ID: "race", DossierID: "R-251201-0001"}); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, docs)
	for i := range ids {
		ref := RefOf(fmt.Appendf(nil, "race %d", i))
		d, _, err := a.AddDocument(ctx, Document{DossierID: "R-251201-0001", BatchID: "race", FileName: "r.png", Blob: ref, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = d.ID
		for n := 1; n <= 2; n++ {
			if err := a.SavePreparedPage(ctx, PageRecord{DocID: d.ID, Page: record.Page{Number: n, Width: 10, Height: 10}, DPI: 300, Image: ref}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, id := range ids {
		start := make(chan struct{})
		var zeros [2]int
		var wg sync.WaitGroup
		for i, s := range []*SQL{a, b} {
			wg.Go(func() {
				<-start
				rem, err := s.SaveRecognition(ctx, id, i+1, "chữ", nil, 90)
				if err != nil {
					t.Error(err)
				}
				if rem == 0 {
					zeros[i]++
				}
			})
		}
		close(start)
		wg.Wait()
		if got := zeros[0] + zeros[1]; got != 1 {
			t.Fatalf("document %s: %d of the two last-page saves saw no page left; want exactly 1", id, got)
		}
	}
}

func TestSQLiteLastPageOnce(t *testing.T) {
	t.Parallel()
	pools := twoPools(t, OpenSQLite, filepath.Join(t.TempDir(), "race.db"))
	testLastPageOnce(t, pools[0], pools[1])
}

// twoPools opens the database at dsn twice, as two processes would.
func twoPools(t *testing.T, open func(context.Context, string) (*SQL, error), dsn string) [2]*SQL {
	t.Helper()
	var pools [2]*SQL
	for i := range pools {
		s, err := open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		pools[i] = s
	}
	return pools
}

func openPostgresTest(t *testing.T) *SQL {
	t.Helper()
	s, err := OpenPostgres(context.Background(), storetest.Schema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestPostgresSuite runs every store test that goes through openTest again, against
// PostgreSQL: this test binary, run with SOHOA_TEST_STORE=postgres.
func TestPostgresSuite(t *testing.T) {
	if os.Getenv("SOHOA_TEST_STORE") != "" {
		t.Skip("already the PostgreSQL run")
	}
	storetest.DatabaseURL(t)
	cmd := exec.Command(os.Args[0], "-test.v", "-test.count=1",
		"-test.skip=^(TestPostgresSuite|TestMigrationsTwinned|TestOpenSQLiteConcurrently|TestSQLiteLastPageOnce|TestPostgresLastPageOnce|TestSQLiteBatchDoneOnce|TestPostgresBatchDoneOnce|TestOpenPostgresConcurrently|TestDirBlobs)$")
	cmd.Env = append(os.Environ(), "SOHOA_TEST_STORE=postgres")
	out, err := cmd.CombinedOutput()
	passed := strings.Count(string(out), "--- PASS")
	if err != nil || passed == 0 || strings.Contains(string(out), "--- SKIP") {
		t.Fatalf("store tests against PostgreSQL: %v (%d passed)\n%s", err, passed, out)
	}
	t.Logf("%d store tests passed against PostgreSQL", passed)
}

func TestPostgresLastPageOnce(t *testing.T) {
	t.Parallel()
	pools := twoPools(t, OpenPostgres, storetest.Schema(t))
	testLastPageOnce(t, pools[0], pools[1])
}

// Eight processes' worth of pools migrate one empty database at once: the advisory lock makes
// them take turns, and each finds the schema complete.
func TestOpenPostgresConcurrently(t *testing.T) {
	t.Parallel()
	u := storetest.Schema(t)
	const n = 8
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			s, err := OpenPostgres(context.Background(), u)
			if err != nil {
				t.Error(err)
				return
			}
			defer s.Close()
			if _, err := s.CreateBatch(context.Background(), Batch{ID: RefOf(fmt.Appendf(nil, "%p", s)).String()[:12], DossierID: "X-251201-0001"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
}

// Every SQLite migration has its PostgreSQL twin of the same name: versions are positions in
// the sorted lists, so a missing twin would shift every later version on one backend.
func TestMigrationsTwinned(t *testing.T) {
	t.Parallel()
	names := func(dir string) []string {
		files, err := fs.Glob(migrationsFS, dir+"/*.sql")
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range files {
			files[i] = path.Base(f)
		}
		sort.Strings(files)
		return files
	}
	lite, pg := names("migrations"), names("migrations_pg")
	if len(lite) == 0 || !slices.Equal(lite, pg) {
		t.Fatalf("migrations/ has %v, migrations_pg/ has %v; add the PostgreSQL twin of each", lite, pg)
	}
}
