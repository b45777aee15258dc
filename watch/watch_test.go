package watch

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
	"golang.org/x/text/unicode/norm"
)

type noIndex struct{}

func (noIndex) Search(context.Context, index.Query) (index.Results, error) {
	return index.Results{}, nil
}
func (noIndex) Upsert(context.Context, ...index.Doc) error { return nil }

// queue stands in for the workers: the test decides when queued documents finish.
type queue struct {
	mu  sync.Mutex
	ids []string
}

func (q *queue) Enqueue(_ context.Context, _ string, p task.Payload) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, p.DocID)
	return nil
}

// server is the real API on a real store, counting every file part uploaded by content.
type server struct {
	url   string
	db    *store.SQL
	queue *queue
	mu    sync.Mutex
	sent  map[string]int  // sha256 → file parts received
	whole map[string]bool // file name → sent with split=false
}

func newServer(t *testing.T) *server {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "db.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := store.NewDirBlobs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := &server{db: db, queue: &queue{}, sent: map[string]int{}, whole: map[string]bool{}}
	h := api.New(api.Config{Store: db, Blobs: blobs, Index: noIndex{}, Queue: s.queue, Keys: map[string]string{"up": "uploader"},
		Log: slog.New(slog.DiscardHandler)}).Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && r.URL.Path == "/v1/batches" {
			body, _ := io.ReadAll(r.Body)
			s.count(t, r.Header.Get("Content-Type"), body)
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

func (s *server) count(t *testing.T, contentType string, body []byte) {
	_, boundary, _ := strings.Cut(contentType, "boundary=")
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	whole := false
	for {
		p, err := mr.NextPart()
		if err != nil {
			return
		}
		if p.FormName() == "split" {
			v, _ := io.ReadAll(p)
			whole = string(v) == "false"
		}
		if p.FormName() == "file" {
			data, _ := io.ReadAll(p)
			sum := sha256.Sum256(data)
			s.mu.Lock()
			s.sent[hex.EncodeToString(sum[:])]++
			s.whole[p.FileName()] = whole
			s.mu.Unlock()
		}
	}
}

// work finishes every queued document: indexed, or failed when its name says "unreadable".
func (s *server) work(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	s.queue.mu.Lock()
	ids := s.queue.ids
	s.queue.ids = nil
	s.queue.mu.Unlock()
	for _, id := range ids {
		d, err := s.db.Document(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		status, msg := store.StatusIndexed, ""
		if strings.Contains(d.FileName, "unreadable") {
			status, msg = store.StatusFailed, "no text could be read on any page"
		}
		if err := s.db.SetStatus(ctx, id, status, msg); err != nil {
			t.Fatal(err)
		}
	}
}

func pngBytes(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	img.SetGray(1, 1, color.Gray{Y: 255 - shade})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func exists(t *testing.T, path string) bool {
	t.Helper()
	_, err := os.Stat(path)
	return err == nil
}

func newWatcher(s *server, dir string, progress io.Writer) *Watcher {
	return &Watcher{Dirs: []string{dir}, API: client.New(s.url, "up", nil), Progress: progress}
}

const dossier1 = "000.00.15.H29-251201-0001"

func TestHotFolder(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dir := t.TempDir()
	ctx := context.Background()
	write(t, filepath.Join(dir, dossier1, "a.png"), pngBytes(t, 10))
	write(t, filepath.Join(dir, dossier1, "hong.pdf"), []byte("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF"))
	write(t, filepath.Join(dir, dossier1, "unreadable.png"), pngBytes(t, 20))
	write(t, filepath.Join(dir, "may quet 1", DossierFile), []byte("000.00.15.H29-251201-0002\n"))
	write(t, filepath.Join(dir, "may quet 1", "b.png"), pngBytes(t, 30))
	write(t, filepath.Join(dir, "c.png"), pngBytes(t, 40))
	write(t, filepath.Join(dir, "c.png.json"), []byte(`{"dossier_id": "000.00.15.H29-251201-0003"}`))
	write(t, filepath.Join(dir, "loose.png"), pngBytes(t, 50))
	growing := filepath.Join(dir, dossier1, "d.png")
	full := pngBytes(t, 60)
	write(t, growing, full[:len(full)/2])

	var progress bytes.Buffer
	w := newWatcher(s, dir, &progress)
	if err := w.Scan(ctx); err != nil { // first sight: nothing is taken yet
		t.Fatal(err)
	}
	if len(s.sent) != 0 || exists(t, filepath.Join(dir, FailedDir)) {
		t.Fatalf("files taken at first sight: %v", s.sent)
	}
	write(t, growing, full) // the scanner is still writing d.png
	if err := w.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if len(s.sent) != 5 {
		t.Fatalf("%d files uploaded at the second poll, want 5 (a, hong, unreadable, b, c; not d, still growing)", len(s.sent))
	}
	if !exists(t, growing) {
		t.Fatal("the growing file was moved")
	}
	// The corrupt PDF is refused on arrival; the file without a dossier never leaves.
	note, err := os.ReadFile(filepath.Join(dir, FailedDir, dossier1, "hong.pdf"+errorExt))
	if err != nil || !strings.Contains(string(note), codeRejected) || !strings.Contains(string(note), "PDF") || !strings.Contains(string(note), "Cách xử lý") {
		t.Errorf("hong.pdf note %q (%v), want the rejection with its reason and what to do", note, err)
	}
	note, err = os.ReadFile(filepath.Join(dir, FailedDir, "loose.png"+errorExt))
	if err != nil || !strings.Contains(string(note), codeNoDossier) || !strings.Contains(string(note), "dossier.txt") {
		t.Errorf("loose.png note %q (%v), want missing_dossier and how to name one", note, err)
	}
	if exists(t, filepath.Join(dir, DoneDir, dossier1, "a.png")) {
		t.Error("a.png moved to done/ before it was indexed")
	}

	s.work(t)
	for range 2 {
		if err := w.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	s.work(t) // d.png, uploaded at the third poll
	if err := w.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dossier1, "a.png"), filepath.Join(dossier1, "d.png"), filepath.Join("may quet 1", "b.png"), "c.png", "c.png.json"} {
		if !exists(t, filepath.Join(dir, DoneDir, p)) {
			t.Errorf("%s not in done/", p)
		}
	}
	note, err = os.ReadFile(filepath.Join(dir, FailedDir, dossier1, "unreadable.png"+errorExt))
	if err != nil || !strings.Contains(string(note), codeFailed) || !strings.Contains(string(note), "no text could be read") {
		t.Errorf("unreadable.png note %q (%v), want processing_failed with the pipeline's reason", note, err)
	}
	for sum, n := range s.sent {
		if n != 1 {
			t.Errorf("content %s uploaded %d times", sum[:12], n)
		}
	}
	docs, _ := s.db.DossierDocuments(ctx, "000.00.15.H29-251201-0003")
	if len(docs) != 1 {
		t.Errorf("the sidecar's dossier has %d documents, want c.png", len(docs))
	}
	if !strings.Contains(progress.String(), "uploaded to "+dossier1) || !strings.Contains(progress.String(), "done") {
		t.Errorf("progress lines:\n%s", progress.String())
	}
	// The same scan dropped again after it finished is not sent again.
	write(t, filepath.Join(dir, dossier1, "a again.png"), pngBytes(t, 10))
	for range 2 {
		if err := w.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if !exists(t, filepath.Join(dir, DoneDir, dossier1, "a again.png")) || len(s.sent) != 6 {
		t.Errorf("a copy dropped again: in done/ %v, %d contents uploaded (want it moved without an upload)",
			exists(t, filepath.Join(dir, DoneDir, dossier1, "a again.png")), len(s.sent))
	}
}

// A watcher stopped after uploading, before its files were processed and moved, and started
// again (a new process: nothing in memory) sends nothing again; one whose state file was lost
// too sends the bytes again, and the API makes no second document of them.
func TestHotFolderRestart(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dir := t.TempDir()
	ctx := context.Background()
	write(t, filepath.Join(dir, dossier1, "a.png"), pngBytes(t, 10))
	write(t, filepath.Join(dir, dossier1, "b.png"), pngBytes(t, 20))
	first := newWatcher(s, dir, nil)
	for range 2 {
		if err := first.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.sent) != 2 {
		t.Fatalf("%d uploaded before the stop, want 2", len(s.sent))
	}
	again := newWatcher(s, dir, nil) // the restart
	s.work(t)
	for range 3 {
		if err := again.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for sum, n := range s.sent {
		if n != 1 {
			t.Errorf("content %s uploaded %d times across the restart", sum[:12], n)
		}
	}
	for _, f := range []string{"a.png", "b.png"} {
		if !exists(t, filepath.Join(dir, DoneDir, dossier1, f)) {
			t.Errorf("%s not in done/ after the restart", f)
		}
	}

	// Lost state: the bytes go again, the API answers they are already in the dossier.
	write(t, filepath.Join(dir, dossier1, "c.png"), pngBytes(t, 30))
	for range 2 {
		if err := again.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if !exists(t, filepath.Join(dir, dossier1, "c.png")) {
		t.Fatal("c.png moved before it was processed")
	}
	os.Remove(filepath.Join(dir, StateFile))
	lost := newWatcher(s, dir, nil)
	for range 3 {
		if err := lost.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	docs, _ := s.db.DossierDocuments(ctx, dossier1)
	if len(docs) != 3 {
		t.Errorf("dossier has %d documents after the state was lost, want 3", len(docs))
	}
	if !exists(t, filepath.Join(dir, DoneDir, dossier1, "c.png")) {
		t.Error("c.png, already in the dossier, was not moved to done/")
	}
}

func TestDossierOf(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "x", DossierFile), []byte("not a code"))
	write(t, filepath.Join(dir, "y.png.json"), []byte(`{"dossier_id": "000.00.15.H29-251201-0004"}`))
	write(t, filepath.Join(dir, dossier1, "sub", "deeper", "z.png"), nil)
	for _, c := range []struct {
		path, want string
		fails      bool
	}{
		{filepath.Join(dir, dossier1, "sub", "deeper", "z.png"), dossier1, false},
		{filepath.Join(dir, "y.png"), "000.00.15.H29-251201-0004", false},
		{filepath.Join(dir, "x", "a.png"), "", true},
		{filepath.Join(dir, "a.png"), "", true},
	} {
		got, why := dossierOf(dir, c.path)
		if got != c.want || (why != "") != c.fails {
			t.Errorf("dossierOf(%s) = %q, %q", c.path, got, why)
		}
	}
}

// A batch the server no longer knows (its store was replaced) fails its waiting files with
// the reason instead of following them for ever; dropped again, a failed file is sent again.
func TestHotFolderBatchGone(t *testing.T) {
	t.Parallel()
	old, replaced := newServer(t), newServer(t)
	dir := t.TempDir()
	ctx := context.Background()
	write(t, filepath.Join(dir, dossier1, "a.png"), pngBytes(t, 10))
	w := newWatcher(old, dir, nil)
	for range 2 {
		if err := w.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	w.API = client.New(replaced.url, "up", nil)
	if err := w.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	note, err := os.ReadFile(filepath.Join(dir, FailedDir, dossier1, "a.png"+errorExt))
	if err != nil || !strings.Contains(string(note), codeRefused) || !strings.Contains(string(note), "404") {
		t.Fatalf("note %q (%v), want upload_refused with the 404", note, err)
	}
	os.Rename(filepath.Join(dir, FailedDir, dossier1, "a.png"), filepath.Join(dir, dossier1, "a.png"))
	for range 2 {
		if err := w.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(replaced.sent) != 1 {
		t.Fatalf("a failed file dropped again was sent %d times, want once", len(replaced.sent))
	}
	replaced.work(t)
	if err := w.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if !exists(t, filepath.Join(dir, DoneDir, dossier1, "a.png")) {
		t.Fatal("the file sent again did not reach done/")
	}
}

// A name written decomposed (NFD, as a Mac writes onto a share) is stored composed (NFC).
func TestHotFolderNFCNames(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dir := t.TempDir()
	ctx := context.Background()
	nfd := norm.NFD.String("quyết định.png")
	write(t, filepath.Join(dir, dossier1, nfd), pngBytes(t, 10))
	w := newWatcher(s, dir, nil)
	for range 2 {
		if err := w.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	docs, err := s.db.DossierDocuments(ctx, dossier1)
	if err != nil || len(docs) != 1 || docs[0].FileName != "quyết định.png" || !norm.NFC.IsNormalString(docs[0].FileName) {
		t.Fatalf("stored %+v (%v), want the NFC name", docs, err)
	}
}

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, data := range files {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A zip archive goes up alone; it reaches done/ when every file inside is indexed, and
// failed/ naming the file inside that failed.
func TestHotFolderArchives(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	dir := t.TempDir()
	ctx := context.Background()
	write(t, filepath.Join(dir, dossier1, "good.zip"), zipOf(t, map[string][]byte{"p1.png": pngBytes(t, 10), "p2.png": pngBytes(t, 20)}))
	write(t, filepath.Join(dir, dossier1, "mixed.zip"), zipOf(t, map[string][]byte{"p3.png": pngBytes(t, 30), "unreadable.png": pngBytes(t, 40)}))
	write(t, filepath.Join(dir, dossier1, "single.png"), pngBytes(t, 50))
	w := newWatcher(s, dir, nil)
	for range 2 {
		if err := w.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.sent) != 3 {
		t.Fatalf("%d contents sent, want the two archives and the page", len(s.sent))
	}
	s.work(t)
	if err := w.Scan(ctx); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"good.zip", "single.png"} {
		if !exists(t, filepath.Join(dir, DoneDir, dossier1, f)) {
			t.Errorf("%s not in done/", f)
		}
	}
	note, err := os.ReadFile(filepath.Join(dir, FailedDir, dossier1, "mixed.zip"+errorExt))
	if err != nil || !strings.Contains(string(note), "mixed.zip/unreadable.png: no text could be read") || !strings.Contains(string(note), codeFailed) {
		t.Errorf("mixed.zip note %q (%v), want the inner file named with its reason", note, err)
	}
	if docs, _ := s.db.DossierDocuments(ctx, dossier1); len(docs) != 5 {
		t.Errorf("dossier has %d documents, want 5 (2 + 2 inside the archives, 1 page)", len(docs))
	}
	for range 2 { // nothing is sent again
		if err := w.Scan(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.sent) != 3 {
		t.Errorf("%d contents sent after the archives finished, want 3", len(s.sent))
	}
}

// Finished files are forgotten after keepFinished; the others are kept however old.
func TestStateForgetsOldFinished(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st := &state{Version: 1, path: filepath.Join(dir, StateFile), Files: map[string]*entry{
		"old":     {Rel: "a", Moved: true, MovedAt: time.Now().Add(-keepFinished - time.Hour)},
		"recent":  {Rel: "b", Moved: true, MovedAt: time.Now().Add(-time.Hour)},
		"waiting": {Rel: "c"},
	}}
	if err := st.save(); err != nil {
		t.Fatal(err)
	}
	w := &Watcher{}
	w.init()
	got, err := w.state(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.Files["old"]; ok || len(got.Files) != 2 {
		t.Fatalf("state after saving: %v, want recent and waiting", got.Files)
	}
}

// Files are sent to be kept one document (split=false) by the watcher's option, by a no-split.txt in
// their folder or one above it, or by their sidecar; the others are left to the server's
// split, and a sidecar's "split": true overrides its folder.
func TestHotFolderKeepWhole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const d2 = "000.00.15.H29-251201-0002"
	for _, tc := range []struct {
		name      string
		keepWhole bool
		files     map[string][]byte
		whole     map[string]bool // by file name: kept whole
	}{
		{"by default the server splits", false, map[string][]byte{
			filepath.Join(dossier1, "a.png"): pngBytes(t, 10),
		}, map[string]bool{"a.png": false}},
		{"the watcher's option", true, map[string][]byte{
			filepath.Join(dossier1, "a.png"): pngBytes(t, 10),
			filepath.Join(d2, "b.png"):       pngBytes(t, 20),
		}, map[string]bool{"a.png": true, "b.png": true}},
		{"a folder's no-split.txt, for it and below", false, map[string][]byte{
			filepath.Join("tram 1", NoSplitFile):            nil,
			filepath.Join("tram 1", dossier1, "a.png"):      pngBytes(t, 10),
			filepath.Join("tram 1", dossier1, "c.png"):      pngBytes(t, 30),
			filepath.Join("tram 1", dossier1, "c.png.json"): []byte(`{"dossier_id": "` + dossier1 + `", "split": true}`),
			filepath.Join(d2, "b.png"):                      pngBytes(t, 20),
		}, map[string]bool{"a.png": true, "b.png": false, "c.png": false}},
		{"a sidecar, for one file", false, map[string][]byte{
			filepath.Join(dossier1, "a.png"):      pngBytes(t, 10),
			filepath.Join(dossier1, "a.png.json"): []byte(`{"dossier_id": "` + dossier1 + `", "split": false}`),
			filepath.Join(dossier1, "b.png"):      pngBytes(t, 20),
		}, map[string]bool{"a.png": true, "b.png": false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			dir := t.TempDir()
			for name, data := range tc.files {
				write(t, filepath.Join(dir, name), data)
			}
			w := newWatcher(s, dir, nil)
			w.KeepWhole = tc.keepWhole
			for range 2 {
				if err := w.Scan(ctx); err != nil {
					t.Fatal(err)
				}
			}
			// The API records the option for files of several pages only; what the
			// watcher controls is the option sent with each file.
			got := s.whole
			if diff := cmp.Diff(tc.whole, got); diff != "" {
				t.Errorf("kept whole by file (-want +got):\n%s", diff)
			}
			if exists(t, filepath.Join(dir, FailedDir)) {
				t.Error("a file failed; the no-split marker must not be uploaded")
			}
		})
	}
}
