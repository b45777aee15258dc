package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/internal/testenv"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
	"github.com/sohoa/sohoa/web"
)

const (
	clerkKey    = "khoa-can-bo-thu-nghiem"
	readerKey   = "khoa-nguoi-xem-thu-nghiem"
	uploaderKey = "khoa-nguoi-tai-len-thu-nghiem"
	dossier     = "000.00.15.H29-251201-0001"
)

// fakeIndex answers every search with its hits and records upserts.
type fakeIndex struct {
	mu      sync.Mutex
	hits    []index.Hit
	upserts []index.Doc
}

func (f *fakeIndex) Search(ctx context.Context, q index.Query) (index.Results, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	hits := append([]index.Hit(nil), f.hits...)
	return index.Results{Hits: hits, EstimatedTotalHits: int64(len(hits))}, nil
}

func (f *fakeIndex) Upsert(ctx context.Context, docs ...index.Doc) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.upserts = append(f.upserts, docs...)
	return nil
}

// fakeQueue records the tasks the API queues.
type fakeQueue struct {
	mu    sync.Mutex
	tasks []string
}

func (q *fakeQueue) Enqueue(ctx context.Context, typ string, p task.Payload) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.tasks = append(q.tasks, typ+":"+p.DocID)
	return nil
}

// page is a rendered test page: its PNG, its words with their boxes and its text.
type page struct {
	png   []byte
	w, h  int
	words []record.Word
	text  string
	lines map[string]record.Box // each line's box, by its text
}

// renderPage draws Vietnamese lines with the Go font and records the box of every word
// from the font's metrics, so the boxes match the drawn words the way OCR boxes would.
func renderPage(t *testing.T) page {
	t.Helper()
	// DejaVu Sans has every Vietnamese letter; the Go font, the fallback, lacks some.
	ttf, err := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
	if err != nil {
		ttf = goregular.TTF
	}
	f, err := opentype.Parse(ttf)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 28, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	const w, h = 1000, 1300
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	lines := []struct {
		x, y int
		text string
	}{
		{80, 100, "ỦY BAN NHÂN DÂN"},
		{80, 140, "TỈNH HÀ GIANG"},
		{80, 190, "Số: 15/QĐ-UBND"},
		{470, 190, "Hà Giang, ngày 05 tháng 3 năm 2024"},
		{380, 300, "QUYẾT ĐỊNH"},
		{150, 345, "Về việc phê duyệt kế hoạch số hóa hồ sơ"},
		{80, 450, "Điều 1. Phê duyệt kế hoạch số hóa hồ sơ hộ tịch."},
		{80, 495, "Điều 2. Quyết định có hiệu lực từ ngày ký."},
		{620, 650, "CHỦ TỊCH"},
		{600, 820, "Nguyễn Văn An"},
	}
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	m := face.Metrics()
	p := page{w: w, h: h, lines: map[string]record.Box{}}
	var text []string
	for i, l := range lines {
		x := fixed.I(l.x)
		var lineBox record.Box
		for j, word := range strings.Fields(l.text) {
			if j > 0 {
				x += d.MeasureString(" ")
			}
			adv := d.MeasureString(word)
			d.Dot = fixed.Point26_6{X: x, Y: fixed.I(l.y)}
			d.DrawString(word)
			box := record.Box{x.Floor(), l.y - m.Ascent.Ceil(), (x + adv).Ceil(), l.y + m.Descent.Ceil()}
			p.words = append(p.words, record.Word{Text: word, Confidence: 96 - float64(5*j), Box: box, Line: i})
			lineBox = lineBox.Union(box)
			x += adv
		}
		p.lines[l.text] = lineBox
		text = append(text, l.text)
	}
	p.text = strings.Join(text, "\n")
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	p.png = buf.Bytes()
	return p
}

// seed stores one recognised, classified and extracted document, as the pipeline would.
func seed(t *testing.T, ctx context.Context, db *store.SQL, blobs store.Blobs, pg page) (string, record.Fields) {
	t.Helper()
	ref, err := blobs.Put(ctx, pg.png)
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.CreateBatch(ctx, store.Batch{ID: "bseed", DossierID: dossier, CreatedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	doc, _, err := db.AddDocument(ctx, store.Document{DossierID: dossier, BatchID: b.ID, FileName: "quyet-dinh-15.png", Blob: ref, Size: int64(len(pg.png))})
	if err != nil {
		t.Fatal(err)
	}
	fields := pageFields(pg)
	sub := fields["subject"]
	sub.Confidence = 0.55
	fields["subject"] = sub
	fields["signer_title"] = record.Field{Value: "CHỦ TỊCH", Confidence: 0.4, Page: 1, BBox: pg.lines["CHỦ TỊCH"], Valid: false, Read: "GHỦ TỊCH"}
	storeResult(t, ctx, db, doc.ID, ref, pg, fields, nil)
	return doc.ID, fields
}

// pageFields are the fields of the test page, as extraction would find them: every value
// right and valid, with the box of its line.
func pageFields(pg page) record.Fields {
	return record.Fields{
		"number":       {Value: "15/QĐ-UBND", Confidence: 0.95, Page: 1, BBox: pg.lines["Số: 15/QĐ-UBND"], Valid: true},
		"issued_date":  {Value: "2024-03-05", Confidence: 0.9, Page: 1, BBox: pg.lines["Hà Giang, ngày 05 tháng 3 năm 2024"], Valid: true},
		"place":        {Value: "Hà Giang", Confidence: 0.9, Page: 1, BBox: pg.lines["Hà Giang, ngày 05 tháng 3 năm 2024"], Valid: true},
		"issuer":       {Value: "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG", Confidence: 0.92, Page: 1, BBox: pg.lines["ỦY BAN NHÂN DÂN"].Union(pg.lines["TỈNH HÀ GIANG"]), Valid: true},
		"subject":      {Value: "Về việc phê duyệt kế hoạch số hóa hồ sơ", Confidence: 0.9, Page: 1, BBox: pg.lines["Về việc phê duyệt kế hoạch số hóa hồ sơ"], Valid: true},
		"signer":       {Value: "Nguyễn Văn An", Confidence: 0.88, Page: 1, BBox: pg.lines["Nguyễn Văn An"], Valid: true},
		"signer_title": {Value: "CHỦ TỊCH", Confidence: 0.9, Page: 1, BBox: pg.lines["CHỦ TỊCH"], Valid: true},
	}
}

// storeResult stores what the pipeline makes of a one-page quyết định: the prepared page, its
// words, the type, the fields with their review state and reasons, and the document indexed.
func storeResult(t *testing.T, ctx context.Context, db *store.SQL, docID string, ref store.Ref, pg page, fields record.Fields, reasons []store.ReviewReason) {
	t.Helper()
	steps := []func() error{
		func() error { return db.SetPageCount(ctx, docID, 1) },
		func() error {
			return db.SavePreparedPage(ctx, store.PageRecord{DocID: docID, Page: record.Page{Number: 1, Width: pg.w, Height: pg.h}, DPI: 300, Image: ref})
		},
		func() error { _, err := db.SaveRecognition(ctx, docID, 1, pg.text, pg.words, 91); return err },
		func() error {
			return db.SaveClassification(ctx, docID, record.Classification{Type: "quyet_dinh", Confidence: 0.87})
		},
		func() error { return db.SaveExtraction(ctx, docID, fields, store.ReviewNeeded) },
		func() error { return db.SaveReviewReasons(ctx, docID, reasons) },
		func() error { return db.SetStatus(ctx, docID, store.StatusIndexed, "") },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("storing the pipeline's result for %s, step %d: %v", docID, i, err)
		}
	}
}

// jsErrors collects uncaught exceptions, console.error calls and browser-logged errors
// (Content-Security-Policy refusals among them) of the pages.
type jsErrors struct {
	mu   sync.Mutex
	msgs []string
}

func (e *jsErrors) listen(ev any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg := ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
		e.msgs = append(e.msgs, fmt.Sprintf("exception at %s:%d: %s", ev.ExceptionDetails.URL, ev.ExceptionDetails.LineNumber, msg))
	case *cdplog.EventEntryAdded:
		// Failed requests are logged too (the wrong-key test makes some on purpose); what
		// counts here is the rest, such as a Content-Security-Policy refusal.
		if ev.Entry.Level == cdplog.LevelError && ev.Entry.Source != cdplog.SourceNetwork {
			e.msgs = append(e.msgs, fmt.Sprintf("%s: %s (%s)", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeAssert {
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			e.msgs = append(e.msgs, "console.error: "+strings.Join(args, " "))
		}
	}
}

func (e *jsErrors) check(t *testing.T, where string) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, m := range e.msgs {
		t.Errorf("%s: JavaScript error: %s", where, m)
	}
	e.msgs = nil
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1.5 }

// pollLimit bounds each wait for the page, so a failing step names itself instead of using up
// the whole test's time. It is a bound on a hang, not a measure: generous for make test, where
// every package runs at once under the race detector.
const pollLimit = time.Minute

var pollTimeout = chromedp.WithPollingTimeout(pollLimit)

// pageState describes where the page is and what it says, for a failed step's message.
func pageState(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var s string
	err := chromedp.Run(ctx, chromedp.Evaluate(`[location.href, document.activeElement && document.activeElement.id,
		...Array.from(document.querySelectorAll('#messages, #save-status, .alert')).map(e => e.textContent.trim())].filter(Boolean).join(' | ')`, &s))
	if err != nil {
		return "unknown: " + err.Error()
	}
	return s
}

// TestBrowser drives the UI in headless Chromium against the real API and store: login,
// search, upload with live progress, dossier, and the review of a document down to the
// stored correction and its audit entry.
func TestBrowser(t *testing.T) {
	t.Parallel()
	bin := testenv.Chromium(t)
	ctx := context.Background()

	dir := t.TempDir()
	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "sohoa.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	blobs, err := store.NewDirBlobs(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	pg := renderPage(t)
	docID, fields := seed(t, ctx, db, blobs, pg)

	ix := &fakeIndex{hits: []index.Hit{{
		Doc: index.Doc{ID: docID, DossierID: dossier, FileName: "quyet-dinh-15.png", DocType: "quyet_dinh",
			ReviewState: store.ReviewNeeded, Number: "15/QĐ-UBND", Issuer: "ỦY BAN NHÂN DÂN TỈNH HÀ GIANG",
			IssuedDate: "2024-03-05", Subject: fields["subject"].Value, PageCount: 1},
		// The snippet carries markup-looking OCR text that must show as text.
		Snippet: `…kế hoạch <mark>số hóa</mark> hồ sơ <script>alert(1)</script> <b>đậm</b> & <img src=x onerror=alert(2)>…`,
	}}}
	queue := &fakeQueue{}
	srv := api.New(api.Config{
		Store: db, Blobs: blobs, Index: ix, Queue: queue,
		Keys: map[string]string{clerkKey: "clerk", readerKey: "reader", uploaderKey: "uploader", adminKey: "admin"},
		Log:  slog.New(slog.DiscardHandler),
	})
	srv.UI = web.New(srv)
	seen := &requestLog{}
	ts := httptest.NewServer(seen.wrap(srv.Handler()))
	t.Cleanup(ts.Close)

	// A fresh profile; removed after the browser has exited (t.TempDir's own cleanup can race
	// with Chromium's helper processes still closing their files).
	profile, err := os.MkdirTemp("", "sohoa-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "vi-VN"), // as a clerk's browser: date inputs and file pickers in Vietnamese
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1400, 1000),
	)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithErrorf(func(string, ...any) {}))
	t.Cleanup(func() {
		chromedp.Cancel(bctx) // closes the browser and waits for it
		cancelBrowser()
	})
	bctx, cancelTimeout := context.WithTimeout(bctx, 6*time.Minute)
	t.Cleanup(cancelTimeout)
	errs := &jsErrors{}
	chromedp.ListenTarget(bctx, errs.listen)

	run := func(t *testing.T, what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(bctx, actions...); err != nil {
			t.Fatalf("%s: %v (page: %s)", what, err, pageState(bctx))
		}
	}
	// sessionCookie returns the browser's sohoa session cookie for the server, if any.
	sessionCookie := func(t *testing.T) *network.Cookie {
		t.Helper()
		var cookies []*network.Cookie
		run(t, "reading cookies", chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			cookies, err = network.GetCookies().WithURLs([]string{ts.URL}).Do(ctx)
			return err
		}))
		for _, c := range cookies {
			if c.Name == "sohoa_session" {
				return c
			}
		}
		return nil
	}
	submitKey := func(t *testing.T, key string) {
		t.Helper()
		run(t, "submitting the key",
			network.ClearBrowserCookies(),
			chromedp.Navigate(ts.URL+"/tim-kiem"),
			chromedp.WaitVisible(`#key`, chromedp.ByID),
			chromedp.SendKeys(`#key`, key, chromedp.ByID),
			chromedp.Submit(`#key`, chromedp.ByID),
		)
	}
	login := func(t *testing.T, key string) {
		t.Helper()
		var loc string
		submitKey(t, key)
		run(t, "logging in",
			chromedp.WaitVisible(`#search-form`, chromedp.ByID),
			chromedp.Location(&loc),
		)
		if !strings.HasSuffix(loc, "/tim-kiem") {
			t.Fatalf("after login at %s, want /tim-kiem", loc)
		}
		if c := sessionCookie(t); c == nil || c.Value == key || !c.HTTPOnly {
			t.Fatalf("session cookie %+v: want an HttpOnly session token, not the key", c)
		}
	}

	t.Run("wrong key", func(t *testing.T) {
		submitKey(t, "khoa-sai")
		var msg, loc string
		run(t, "reading the error",
			chromedp.WaitVisible(`.card .alert`, chromedp.ByQuery),
			chromedp.Text(`.card .alert`, &msg, chromedp.ByQuery),
			chromedp.Location(&loc))
		if !strings.Contains(msg, "Khóa API không đúng") {
			t.Errorf("error shown = %q, want the Vietnamese wrong-key message", msg)
		}
		if !strings.Contains(loc, "/dang-nhap") {
			t.Errorf("after a wrong key at %s, want the sign-in page", loc)
		}
		if c := sessionCookie(t); c != nil {
			t.Errorf("a wrong key set the cookie %s=%s", c.Name, c.Value)
		}
		if got := seen.status("POST", "/dang-nhap"); got != http.StatusUnauthorized {
			t.Errorf("sign-in with a wrong key answered %d, want 401", got)
		}
		errs.check(t, "sign-in page with a wrong key")
	})

	t.Run("search", func(t *testing.T) {
		login(t, clerkKey)
		var marks, injected int
		var mark, snippet, title, href string
		run(t, "searching",
			chromedp.WaitVisible(`#results li.hit`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll('#results mark').length`, &marks),
			chromedp.Evaluate(`document.querySelectorAll('#results script, #results b, #results img').length`, &injected),
			chromedp.Text(`#results mark`, &mark, chromedp.ByQuery),
			chromedp.Text(`#results .snippet`, &snippet, chromedp.ByQuery),
			chromedp.Text(`#results h3 a`, &title, chromedp.ByQuery),
			chromedp.AttributeValue(`#results h3 a`, "href", &href, nil, chromedp.ByQuery),
		)
		if marks != 1 || mark != "số hóa" {
			t.Errorf("highlights: %d <mark>, text %q; want 1, %q", marks, mark, "số hóa")
		}
		if injected != 0 || !strings.Contains(snippet, "<script>alert(1)</script>") {
			t.Errorf("snippet markup was parsed (%d elements) or lost: %q", injected, snippet)
		}
		if title != "Quyết định 15/QĐ-UBND" || href != "/van-ban/"+docID {
			t.Errorf("result title %q → %q, want %q → %q", title, href, "Quyết định 15/QĐ-UBND", "/van-ban/"+docID)
		}
		errs.check(t, "search page")
	})

	t.Run("dossier", func(t *testing.T) {
		var rows int
		var loc string
		run(t, "opening the dossier",
			chromedp.Navigate(ts.URL+"/tim-kiem"),
			chromedp.WaitVisible(`#ma`, chromedp.ByID),
			chromedp.SendKeys(`#ma`, strings.ToLower(dossier), chromedp.ByID),
			chromedp.Submit(`#ma`, chromedp.ByID),
			chromedp.WaitVisible(`#documents tbody tr`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll('#documents tbody tr').length`, &rows),
			chromedp.Location(&loc),
		)
		if rows != 1 || !strings.HasSuffix(loc, "/ho-so/"+dossier) {
			t.Errorf("dossier page %s lists %d documents, want /ho-so/%s with 1", loc, rows, dossier)
		}
		errs.check(t, "dossier page")
	})

	t.Run("cross-origin form post", func(t *testing.T) {
		// A page on another port of the same host is the same site, so the browser sends the
		// SameSite cookie with its form posts: only sohoa's own checks can stop them.
		attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var form string
			switch r.URL.Path {
			case "/review":
				// enctype text/plain sends name=value unescaped: the body reads as JSON.
				form = `<form method="POST" enctype="text/plain" action="` + ts.URL + `/v1/documents/` + docID + `/review">` +
					`<input type="hidden" name='{"state":"approved","override_reason":"x","pad":"' value='"}'></form>`
			case "/upload":
				form = `<form method="POST" enctype="multipart/form-data" action="` + ts.URL + `/v1/batches">` +
					`<input type="hidden" name="dossier_id" value="` + dossier + `"></form>`
			default:
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<!doctype html><html><body>`+form+`<script>document.forms[0].submit()</script></body></html>`)
		}))
		t.Cleanup(attacker.Close)

		before, err := db.AuditLog(ctx, "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		queue.mu.Lock()
		tasksBefore := len(queue.tasks)
		queue.mu.Unlock()
		for _, c := range []struct{ page, path string }{
			{"/review", "/v1/documents/" + docID + "/review"},
			{"/upload", "/v1/batches"},
		} {
			run(t, "opening the attacker's page "+c.page, chromedp.Navigate(attacker.URL+c.page))
			var got seenRequest
			for i := 0; i < 100; i++ {
				if r, ok := seen.last("POST", c.path); ok {
					got = r
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if !got.cookie {
				t.Fatalf("the forged POST %s did not arrive with the session cookie (%+v): the test proves nothing", c.path, got)
			}
			if got.status != http.StatusForbidden {
				t.Errorf("forged POST %s from %s answered %d, want 403", c.path, got.origin, got.status)
			}
		}
		after, err := db.AuditLog(ctx, "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Errorf("the forged posts wrote %d audit entries: %+v", len(after)-len(before), after[:len(after)-len(before)])
		}
		doc, err := db.Document(ctx, docID)
		if err != nil {
			t.Fatal(err)
		}
		if doc.ReviewState != store.ReviewNeeded {
			t.Errorf("the forged review changed the state to %q", doc.ReviewState)
		}
		queue.mu.Lock()
		defer queue.mu.Unlock()
		if len(queue.tasks) != tasksBefore {
			t.Errorf("the forged upload queued %v", queue.tasks[tasksBefore:])
		}
	})

	t.Run("upload", func(t *testing.T) {
		good := filepath.Join(t.TempDir(), "trang-2.png")
		bad := filepath.Join(t.TempDir(), "hong.pdf")
		img := image.NewGray(image.Rect(0, 0, 40, 30))
		var buf bytes.Buffer
		png.Encode(&buf, img)
		if err := os.WriteFile(good, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bad, []byte("%PDF-1.4 this is not a pdf"), 0o644); err != nil {
			t.Fatal(err)
		}
		run(t, "uploading",
			chromedp.Navigate(ts.URL+"/tai-len"),
			chromedp.WaitVisible(`#upload-form`, chromedp.ByID),
			chromedp.SendKeys(`#dossier_id`, "000.00.15.h29-251202-0002", chromedp.ByID),
			chromedp.SetUploadFiles(`#files`, []string{good, bad}, chromedp.ByID),
			chromedp.WaitVisible(`#chosen li:nth-child(2)`, chromedp.ByQuery),
			chromedp.Click(`#upload-button`, chromedp.ByID),
			chromedp.WaitVisible(`#items tbody tr:nth-child(2)`, chromedp.ByQuery),
			chromedp.Poll(`document.getElementById('count-total').textContent === '2'`, nil, pollTimeout),
		)
		var failed, pending, reason, left string
		run(t, "reading the progress",
			chromedp.Text(`#count-failed`, &failed, chromedp.ByID),
			chromedp.Text(`#count-pending`, &pending, chromedp.ByID),
			chromedp.Text(`#items tr[data-status="failed"] td:nth-child(3)`, &reason, chromedp.ByQuery),
			chromedp.Poll(`document.getElementById('time-left').textContent !== ''`, nil, pollTimeout),
			chromedp.Text(`#time-left`, &left, chromedp.ByID),
		)
		if failed != "1" || pending != "1" || reason == "" {
			t.Errorf("after upload: failed %s, pending %s, reason %q; want 1, 1 and a reason", failed, pending, reason)
		}
		// Nothing has finished yet, so there is no pace to tell the time left from.
		if !strings.Contains(left, "thời gian còn lại") {
			t.Errorf("time left while nothing has finished: %q, want it being estimated", left)
		}
		queue.mu.Lock()
		tasks := append([]string(nil), queue.tasks...)
		queue.mu.Unlock()
		if len(tasks) != 1 || !strings.HasPrefix(tasks[0], task.TypePrepare+":") {
			t.Fatalf("queued tasks = %v, want one prepare task", tasks)
		}
		// The worker finishes the good file; the page's polling must notice.
		queued := strings.TrimPrefix(tasks[0], task.TypePrepare+":")
		if err := db.SetStatus(ctx, queued, store.StatusIndexed, ""); err != nil {
			t.Fatal(err)
		}
		var indexed string
		var progress float64
		run(t, "waiting for the batch to finish",
			chromedp.WaitVisible(`#batch-done`, chromedp.ByID),
			chromedp.Text(`#count-indexed`, &indexed, chromedp.ByID),
			chromedp.Evaluate(`document.getElementById('progress').value`, &progress),
		)
		if indexed != "1" || progress != 1 {
			t.Errorf("finished batch shows %s indexed, progress %v; want 1 and 1", indexed, progress)
		}
		errs.check(t, "upload page")
	})

	t.Run("review", func(t *testing.T) {
		var words, natural int
		var firstWord, imgRect map[string]float64
		run(t, "opening the review page",
			chromedp.Navigate(ts.URL+"/van-ban/"+docID),
			chromedp.WaitVisible(`#overlay .word-box`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll('#overlay .word-box').length`, &words),
			chromedp.Evaluate(`document.getElementById('page-image').naturalWidth`, &natural),
			chromedp.Evaluate(`(() => { const r = document.querySelector('#overlay .word-box').getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; })()`, &firstWord),
			chromedp.Evaluate(`(() => { const r = document.getElementById('page-image').getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; })()`, &imgRect),
		)
		if words != len(pg.words) || natural != pg.w {
			t.Fatalf("review page shows %d word boxes on an image %d px wide; want %d on %d", words, natural, len(pg.words), pg.w)
		}
		scale := imgRect["w"] / float64(pg.w)
		b := pg.words[0].Box
		if !near(firstWord["x"]-imgRect["x"], float64(b[0])*scale) || !near(firstWord["y"]-imgRect["y"], float64(b[1])*scale) ||
			!near(firstWord["w"], float64(b[2]-b[0])*scale) {
			t.Errorf("first word box at %v (image at %v), want %v scaled by %.3f", firstWord, imgRect, b, scale)
		}

		var fieldBox map[string]float64
		var read string
		run(t, "focusing a field",
			// A value the machine corrected shows what it read.
			chromedp.Text(`#read-signer_title`, &read, chromedp.ByID),
			chromedp.Focus(`#field-number`, chromedp.ByID),
			chromedp.WaitVisible(`#overlay .field-box`, chromedp.ByQuery),
			chromedp.Evaluate(`(() => { const r = document.querySelector('#overlay .field-box').getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; })()`, &fieldBox),
		)
		if !strings.Contains(read, "“GHỦ TỊCH”") {
			t.Errorf("signer_title's read note = %q, want the text as read", read)
		}
		nb := fields["number"].BBox
		if !near(fieldBox["x"]-imgRect["x"], float64(nb[0])*scale) || !near(fieldBox["w"], float64(nb[2]-nb[0])*scale) {
			t.Errorf("number's highlight at %v, want box %v scaled by %.3f", fieldBox, nb, scale)
		}

		const newSubject = "Về việc phê duyệt kế hoạch số hóa hồ sơ năm 2024"
		const overrideReason = "Chức danh người ký ghi đúng như bản giấy"
		var saved, state string
		run(t, "correcting and approving",
			// Select the old value so typing replaces it, as a clerk would.
			chromedp.Evaluate(`document.getElementById('field-subject').select()`, nil),
			chromedp.SendKeys(`#field-subject`, newSubject, chromedp.ByID),
			chromedp.Click(`#save-button`, chromedp.ByID),
			chromedp.Poll(`document.getElementById('save-status').textContent.includes('Đã lưu 1 trường')`, nil, pollTimeout),
			chromedp.Text(`#save-status`, &saved, chromedp.ByID),
			// The seeded document's signer title does not validate, so it is flagged: the page
			// refuses to approve until the clerk confirms it.
			chromedp.Click(`#approve-button`, chromedp.ByID),
			chromedp.Poll(`document.getElementById('save-status').textContent.includes('Chức vụ người ký')`, nil, pollTimeout),
			chromedp.Click(`#confirm-signer_title`, chromedp.ByID),
			chromedp.Poll(`document.getElementById('confirm-signer_title').checked`, nil, pollTimeout),
			// Confirmed, it still does not validate: the API refuses and asks for a reason, the
			// second approval carries it.
			chromedp.Click(`#approve-button`, chromedp.ByID),
			chromedp.Poll(`!document.getElementById('override').hidden`, nil, pollTimeout),
			chromedp.Poll(`document.getElementById('save-status').textContent.includes('ghi lý do')`, nil, pollTimeout),
			chromedp.SendKeys(`#override-reason`, overrideReason, chromedp.ByID),
			chromedp.Click(`#approve-button`, chromedp.ByID),
			chromedp.Poll(`document.getElementById('review-state').textContent === 'Đã duyệt'`, nil, pollTimeout),
			chromedp.Text(`#review-state`, &state, chromedp.ByID),
			chromedp.Poll(`Array.from(document.querySelectorAll('#audit tbody td')).some(td => td.textContent === 'Sửa trường')`, nil, pollTimeout),
			chromedp.Focus(`#field-subject`, chromedp.ByID),
			chromedp.WaitVisible(`#overlay .field-box`, chromedp.ByQuery),
		)
		t.Logf("save status %q, review state %q", saved, state)

		var shot []byte
		run(t, "taking a screenshot",
			// Move the mouse off the table so the focused field, not a hovered one, is outlined.
			chromedp.MouseEvent(input.MouseMoved, 5, 5),
			chromedp.EmulateViewport(1400, 1400),
			chromedp.WaitVisible(`#overlay .field-box`, chromedp.ByQuery),
			chromedp.CaptureScreenshot(&shot))
		if err := os.WriteFile(filepath.Join(os.TempDir(), "web-review.png"), shot, 0o644); err != nil {
			t.Errorf("writing screenshot: %v", err)
		}

		stored, err := db.Fields(ctx, docID)
		if err != nil {
			t.Fatal(err)
		}
		if f := stored["subject"]; f.Value != newSubject || f.Source != "clerk" {
			t.Errorf("stored subject = %q from %s, want %q from clerk", f.Value, f.Source, newSubject)
		}
		if f := stored["number"]; f.Value != fields["number"].Value || f.Source != "extract" {
			t.Errorf("unchanged number was rewritten: %+v", f)
		}
		doc, err := db.Document(ctx, docID)
		if err != nil {
			t.Fatal(err)
		}
		if doc.ReviewState != store.ReviewApproved {
			t.Errorf("review state = %q, want approved", doc.ReviewState)
		}
		log, err := db.AuditLog(ctx, docID, 100)
		if err != nil {
			t.Fatal(err)
		}
		var corrected, approved, overridden bool
		for _, e := range log {
			switch {
			case e.Action == "correct_field":
				corrected = e.Field == "subject" && e.OldValue == fields["subject"].Value && e.NewValue == newSubject && e.Actor.Role == "clerk"
				if !corrected {
					t.Errorf("unexpected correction in the audit log: %+v", e)
				}
			case e.Action == "review" && e.NewValue == store.ReviewApproved:
				approved = true
			case e.Action == "approve_override":
				overridden = e.NewValue == overrideReason
			}
		}
		if !corrected || !approved || !overridden {
			t.Errorf("audit log lacks the correction (%v), the approval (%v) or its override reason (%v): %+v", corrected, approved, overridden, log)
		}
		errs.check(t, "review page")
	})

	t.Run("sign out", func(t *testing.T) {
		login(t, clerkKey)
		old := sessionCookie(t)
		var loc string
		run(t, "signing out",
			chromedp.Click(`#logout-button`, chromedp.ByID),
			chromedp.WaitVisible(`#key`, chromedp.ByID),
			chromedp.Navigate(ts.URL+"/tai-len"),
			chromedp.WaitVisible(`#key`, chromedp.ByID),
			chromedp.Location(&loc),
		)
		if !strings.Contains(loc, "/dang-nhap") {
			t.Errorf("upload page after sign-out at %s, want the sign-in page", loc)
		}
		if c := sessionCookie(t); c != nil {
			t.Errorf("cookie kept after sign-out: %+v", c)
		}
		// The old token is revoked on the server, not only forgotten by the browser.
		req, _ := http.NewRequest("GET", ts.URL+"/v1/documents/"+docID, nil)
		req.AddCookie(&http.Cookie{Name: old.Name, Value: old.Value})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the signed-out session's cookie still reads documents: %d", resp.StatusCode)
		}
		errs.check(t, "sign out")
	})

	t.Run("reader sees no audit log and no review controls", func(t *testing.T) {
		login(t, readerKey)
		var audit, original, controls, editable bool
		run(t, "opening the review page as a reader",
			chromedp.Navigate(ts.URL+"/van-ban/"+docID),
			chromedp.WaitVisible(`#overlay .word-box`, chromedp.ByQuery),
			chromedp.Poll(`document.getElementById('main').dataset.loaded === 'true'`, nil, pollTimeout),
			chromedp.Evaluate(`document.getElementById('audit-section') !== null`, &audit),
			chromedp.Evaluate(`Array.from(document.querySelectorAll('#doc-meta a')).some(a => a.textContent === 'Tải bản gốc')`, &original),
			chromedp.Evaluate(`['approve-button', 'approve-next-button', 'send-back-button', 'save-button'].some(id => document.getElementById(id)) || document.querySelector('input.confirm') !== null`, &controls),
			chromedp.Evaluate(`Array.from(document.querySelectorAll('#fields input, #fields textarea')).some(i => !i.readOnly) || !document.getElementById('doc-type').disabled`, &editable),
		)
		if audit {
			t.Error("the audit panel is on a reader's page")
		}
		if original {
			t.Error("the original's download link is shown to a reader, who may not download it")
		}
		if controls || editable {
			t.Errorf("a reader sees review controls (%v) or editable fields (%v)", controls, editable)
		}
		errs.check(t, "review page as a reader")
	})

	t.Run("folder upload keeps only scans", func(t *testing.T) {
		dir := t.TempDir()
		scan := filepath.Join(dir, "trang-1.png")
		img := image.NewGray(image.Rect(0, 0, 20, 20))
		var buf bytes.Buffer
		png.Encode(&buf, img)
		if err := os.WriteFile(scan, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		junk := filepath.Join(dir, "Thumbs.db")
		if err := os.WriteFile(junk, []byte("junk"), 0o644); err != nil {
			t.Fatal(err)
		}
		login(t, clerkKey)
		var chosen, note string
		run(t, "choosing a folder's files",
			chromedp.Navigate(ts.URL+"/tai-len"),
			chromedp.WaitVisible(`#upload-form`, chromedp.ByID),
			chromedp.SetUploadFiles(`#folder`, []string{dir}, chromedp.ByID), // a folder input takes the folder
			chromedp.Poll(`document.querySelector('#chosen li') !== null`, nil, pollTimeout),
			chromedp.Text(`#chosen`, &chosen, chromedp.ByID),
			chromedp.Text(`#messages`, &note, chromedp.ByID),
		)
		if !strings.Contains(chosen, "trang-1.png") || strings.Contains(chosen, "Thumbs.db") || !strings.Contains(note, "Thumbs.db") {
			t.Errorf("chosen %q, note %q: want the scan chosen and Thumbs.db named as left out", chosen, note)
		}
		errs.check(t, "folder upload")
	})

	t.Run("narrow screens", func(t *testing.T) {
		// A phone's 390 px: every page fits its width, without sideways scrolling.
		login(t, clerkKey)
		defer chromedp.Run(bctx, chromedp.EmulateViewport(1400, 1000))
		for _, path := range []string{"/dang-nhap", "/hang-doi?review_state=all", "/tim-kiem", "/tai-len", "/ho-so/" + dossier, "/van-ban/" + docID} {
			var width, view int
			run(t, "opening "+path+" at 390 px",
				chromedp.EmulateViewport(390, 844),
				chromedp.Navigate(ts.URL+path),
				chromedp.WaitReady(`body`, chromedp.ByQuery),
				chromedp.Sleep(300*time.Millisecond), // the page's script fills it in
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &width),
				chromedp.Evaluate(`window.innerWidth`, &view),
			)
			if width > view {
				var wide string
				chromedp.Run(bctx, chromedp.Evaluate(`Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap, .page-frame')).slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className).join(' ')`, &wide))
				t.Errorf("%s is %d px wide in a %d px window: sideways scrolling (too wide: %s)", path, width, view, wide)
			}
		}
		errs.check(t, "narrow screens")
	})

	t.Run("uploader lands on upload", func(t *testing.T) {
		submitKey(t, uploaderKey) // from the search page, which an uploader cannot use
		var loc string
		var searchLink bool
		run(t, "signing in as an uploader",
			chromedp.WaitVisible(`#upload-form`, chromedp.ByID),
			chromedp.Location(&loc),
			chromedp.Evaluate(`document.querySelector('nav a[href="/tim-kiem"], nav a[href="/hang-doi"]') !== null`, &searchLink),
		)
		if !strings.HasSuffix(loc, "/tai-len") || searchLink {
			t.Errorf("uploader at %s with search links %v, want /tai-len without them", loc, searchLink)
		}
		errs.check(t, "uploader's start page")
	})

	t.Run("move a boundary", func(t *testing.T) {
		first, second := seedSplit(t, ctx, db, blobs, pg)
		moveBoundary(t, bctx, ts.URL, db, first, second, queue, func() { login(t, clerkKey) }, func(what string) { errs.check(t, what) })
	})

	t.Run("near-duplicate", func(t *testing.T) {
		first, second := seedNearDuplicates(t, ctx, db, blobs, pg)
		openNearDuplicate(t, bctx, ts.URL, first, second, func() { login(t, clerkKey) }, func(what string) { errs.check(t, what) })
	})

	t.Run("dead letters", func(t *testing.T) {
		id := seedDeadLetter(t, ctx, db)
		retryDeadLetter(t, bctx, ts.URL, db, id, func() { login(t, adminKey) }, func(what string) { errs.check(t, what) })
	})

	t.Run("queue by keyboard", func(t *testing.T) {
		ids := seedQueue(t, ctx, db, blobs, pg)
		walkQueue(t, bctx, ts.URL, db, ids, func() { login(t, clerkKey) }, func(what string) { errs.check(t, what) })
		// A reader sees the same queue without the control that starts a review.
		login(t, readerKey)
		var rows int
		var start bool
		run(t, "opening the queue as a reader",
			chromedp.Navigate(ts.URL+"/hang-doi?review_state=all&dossier_id="+queueDossier),
			chromedp.WaitVisible(`#queue-items tbody tr[data-id]`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll('#queue-items tbody tr[data-id]').length`, &rows),
			chromedp.Evaluate(`document.getElementById('start-review') !== null`, &start),
		)
		if rows != 3 || start {
			t.Errorf("reader's queue: %d rows, start control %v; want 3 rows and no control", rows, start)
		}
		errs.check(t, "queue as a reader")
	})
}

// seenRequest is one request the sohoa server answered.
type seenRequest struct {
	method, path, origin string
	cookie               bool // sent with the session cookie
	status               int
}

// requestLog records what reaches the sohoa server, to show a forged request arrived (with
// the cookie) and how it was answered.
type requestLog struct {
	mu   sync.Mutex
	reqs []seenRequest
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		_, err := r.Cookie("sohoa_session")
		l.mu.Lock()
		defer l.mu.Unlock()
		l.reqs = append(l.reqs, seenRequest{method: r.Method, path: r.URL.Path, origin: r.Header.Get("Origin"), cookie: err == nil, status: sw.status})
	})
}

func (l *requestLog) last(method, path string) (seenRequest, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.reqs) - 1; i >= 0; i-- {
		if r := l.reqs[i]; r.method == method && r.path == path {
			return r, true
		}
	}
	return seenRequest{}, false
}

func (l *requestLog) status(method, path string) int {
	r, _ := l.last(method, path)
	return r.status
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
