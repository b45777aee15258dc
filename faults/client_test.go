package faults

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/pdf"
	"github.com/sohoa/sohoa/store"
)

// httpClient bounds every request of the tests, so that a server that hangs fails the test
// instead of holding it until go test's timeout.
var httpClient = &http.Client{Timeout: 2 * time.Minute}

// file is one file of an upload.
type file struct {
	name string
	data []byte
}

var (
	pagesOnce sync.Once
	pageImgs  []*image.Gray
	pagesErr  error
)

// generatedPages are small generated pages (150 dpi, clean) shared by the tests: cheap to
// read, and each different, so every document built from them has bytes of its own.
func generatedPages(t *testing.T) []*image.Gray {
	t.Helper()
	pagesOnce.Do(func() {
		dir, err := os.MkdirTemp("", "sohoa-faults-pages-")
		if err != nil {
			pagesErr = err
			return
		}
		defer os.RemoveAll(dir)
		truths, err := fixtures.Generate(context.Background(), dir, fixtures.Options{Seed: 1616, Count: 12, DPI: 150})
		if err != nil {
			pagesErr = err
			return
		}
		for _, tr := range truths {
			f, err := os.Open(filepath.Join(dir, tr.File))
			if err != nil {
				pagesErr = err
				return
			}
			img, err := png.Decode(f)
			f.Close()
			if err != nil {
				pagesErr = fmt.Errorf("decoding %s: %w", tr.File, err)
				return
			}
			g := image.NewGray(img.Bounds())
			draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
			pageImgs = append(pageImgs, g)
		}
	})
	if pagesErr != nil {
		t.Fatal(pagesErr)
	}
	return pageImgs
}

// scanPDF returns a scanned PDF of one document, n pages long: generated page number from
// (modulo their number), then continuation pages made of the pages after it.
func scanPDF(t *testing.T, name string, from, n int) file {
	t.Helper()
	imgs := generatedPages(t)
	pages := []*image.Gray{imgs[from%len(imgs)]}
	for i := 1; i < n; i++ {
		pages = append(pages, continuation(imgs[(from+i)%len(imgs)]))
	}
	return file{name: name, data: pdfOf(t, pages)}
}

// continuation makes a following page of a document out of a generated page: its lower part
// (body, signature) moved to the top of a blank sheet, so that no header or title opens the
// page and the pipeline's splitter keeps it with the page before.
func continuation(src *image.Gray) *image.Gray {
	b := src.Bounds()
	g := image.NewGray(b)
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	cut, top := b.Min.Y+b.Dy()*45/100, b.Min.Y+b.Dy()/12
	draw.Draw(g, image.Rect(b.Min.X, top, b.Max.X, top+b.Max.Y-cut), src, image.Pt(b.Min.X, cut), draw.Src)
	return g
}

// pdfOf writes pages as a scanned PDF at 150 dpi.
func pdfOf(t *testing.T, imgs []*image.Gray) []byte {
	t.Helper()
	var pages []pdf.Page
	for _, img := range imgs {
		pages = append(pages, pdf.Page{Image: img, DPI: 150})
	}
	var buf bytes.Buffer
	if err := pdf.Write(&buf, "", pages); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// multipartBody is an upload request's body: dossier_id, then the files.
func multipartBody(dossier string, files []file) (body []byte, contentType string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("dossier_id", dossier)
	for _, f := range files {
		w, _ := mw.CreateFormFile("file", f.name)
		w.Write(f.data)
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// upload posts files into dossier and returns the status and the answer's body.
func (e *env) upload(dossier string, files []file) (int, []byte, error) {
	body, ct := multipartBody(dossier, files)
	req, _ := http.NewRequest(http.MethodPost, "http://"+e.httpAddr+"/v1/batches", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+uploaderKey)
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// mustUpload uploads and wants 202; it returns the batch ID and the items.
func (e *env) mustUpload(dossier string, files []file) api.UploadResult {
	e.t.Helper()
	code, body, err := e.upload(dossier, files)
	if err != nil || code != http.StatusAccepted {
		e.t.Fatalf("upload: %d %s %v", code, body, err)
	}
	var res api.UploadResult
	if err := json.Unmarshal(body, &res); err != nil {
		e.t.Fatal(err)
	}
	return res
}

// get reads path with key into v (when the answer is 200) and returns the status and body.
func (e *env) get(key, path string, v any) (int, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, "http://"+e.httpAddr+path, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := httpClient.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK && v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			e.t.Fatalf("GET %s: %v", path, err)
		}
	}
	return resp.StatusCode, body
}

// waitDone follows batches through the API until every one is done.
func (e *env) waitDone(within time.Duration, batches ...string) {
	e.t.Helper()
	poll(e.t, within, "batches "+strings.Join(batches, ", ")+" done", func() (bool, string) {
		var state []string
		all := true
		for _, id := range batches {
			var p api.BatchProgress
			if code, body := e.get(uploaderKey, "/v1/batches/"+id, &p); code != http.StatusOK {
				all = false
				state = append(state, fmt.Sprintf("%s: %d %s", id, code, body))
				continue
			}
			all = all && p.Done
			state = append(state, fmt.Sprintf("%s: %v", id, p.Counts))
		}
		qc, _ := e.queueCounts()
		return all, strings.Join(state, "; ") + "; queues: " + qc.String()
	})
}

// storeURL is SOHOA_DATABASE as the processes see it.
func (e *env) storeURL() string {
	if e.database != "" {
		return e.database
	}
	return filepath.Join(e.data, "sohoa.db")
}

// openStore opens the test's store beside the processes.
func (e *env) openStore() *store.SQL {
	e.t.Helper()
	db, err := store.Open(context.Background(), e.storeURL())
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	return db
}

// settle follows batches through the API until they are done (within d), checks the end
// state of dossier with checkSettled and logs what it found.
func (e *env) settle(d time.Duration, dossier string, want int, batches ...string) {
	e.t.Helper()
	e.waitDone(d, batches...)
	c := e.checkSettled(dossier, want)
	e.t.Logf("after: %d documents, %d pages, %d in the index", c.docs, c.pages, c.indexed)
}

// counts is what checkSettled found, for the test's log.
type counts struct{ docs, pages, indexed int }

// checkSettled checks the end state of dossier against the store, the queues and the index:
// want documents, none twice (by content), every one indexed with each of its pages stored
// once and recognised, no task left in any queue, and the search index holding exactly the
// store's indexed documents.
func (e *env) checkSettled(dossier string, want int) counts {
	e.t.Helper()
	ctx := context.Background()
	db := e.openStore()
	docs, err := db.DossierDocuments(ctx, dossier)
	if err != nil {
		e.t.Fatal(err)
	}
	var c counts
	c.docs = len(docs)
	if len(docs) != want {
		e.t.Errorf("dossier %s has %d documents, want %d", dossier, len(docs), want)
	}
	blobs := map[store.Ref]string{}
	for _, d := range docs {
		if other, dup := blobs[d.Blob]; dup {
			e.t.Errorf("documents %s and %s have the same bytes", other, d.ID)
		}
		blobs[d.Blob] = d.ID
		if d.Status != store.StatusIndexed {
			e.t.Errorf("document %s is %s (%q), want indexed", d.ID, d.Status, d.Error)
			continue
		}
		pages, err := db.Pages(ctx, d.ID)
		if err != nil {
			e.t.Fatal(err)
		}
		c.pages += len(pages)
		seen := map[int]bool{}
		for _, p := range pages {
			if seen[p.Number] {
				e.t.Errorf("document %s: page %d stored twice", d.ID, p.Number)
			}
			seen[p.Number] = true
			if !p.Recognised || strings.TrimSpace(p.Text) == "" {
				e.t.Errorf("document %s: page %d not recognised (text %d bytes)", d.ID, p.Number, len(p.Text))
			}
		}
		if len(pages) != d.PageCount || len(seen) != d.PageCount {
			e.t.Errorf("document %s: %d pages stored, page count %d", d.ID, len(pages), d.PageCount)
		}
	}
	if qc, err := e.queueCounts(); err != nil || qc != (queueCounts{}) {
		e.t.Errorf("queues not empty at the end: %v %v", qc, err)
	}
	// The index is compared with every indexed document of the store, not only this dossier's.
	all, err := db.DocumentsWithStatus(ctx, store.StatusIndexed)
	if err != nil {
		e.t.Fatal(err)
	}
	var stored []string
	for _, d := range all {
		stored = append(stored, d.ID)
	}
	indexed := e.indexedIDs()
	sort.Strings(stored)
	c.indexed = len(indexed)
	if !slices.Equal(stored, indexed) {
		e.t.Errorf("index and store differ:\nstore %v\nindex %v", stored, indexed)
	}
	return c
}

// indexedIDs lists the IDs of the documents in the Meilisearch index, sorted.
func (e *env) indexedIDs() []string {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.meiliURL+"/indexes/"+fmt.Sprintf("%s_v%d", indexName, index.SchemaVersion)+"/documents?fields=id&limit=10000", nil)
	req.Header.Set("Authorization", "Bearer "+e.meiliKey)
	resp, err := httpClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		Results []struct {
			ID string `json:"id"`
		} `json:"results"`
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		e.t.Fatalf("listing the index: %d %s", resp.StatusCode, body)
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		e.t.Fatal(err)
	}
	var ids []string
	for _, r := range page.Results {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return ids
}

// countRows counts the rows of table in the test's SQLite store (a table the store has no
// listing for, such as batches).
func (e *env) countRows(table string) int {
	e.t.Helper()
	n, err := e.rows(table)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// rows is countRows for goroutines other than the test's, which must not call t.Fatal.
func (e *env) rows(table string) (int, error) {
	driver, dsn := "sqlite", "file:"+e.storeURL()+"?mode=ro&_pragma=busy_timeout(5000)"
	if e.database != "" {
		driver, dsn = "pgx", e.database
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		return 0, fmt.Errorf("counting %s: %w", table, err)
	}
	return n, nil
}

// blobFiles lists the files under the blob directory, temporary ones included.
func (e *env) blobFiles() []string {
	e.t.Helper()
	var out []string
	filepath.WalkDir(filepath.Join(e.data, "blobs"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, filepath.Base(p))
		}
		return nil
	})
	sort.Strings(out)
	return out
}
