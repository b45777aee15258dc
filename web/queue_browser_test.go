package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// queueDossier holds the documents of the queue walk, apart from the other subtests'.
const queueDossier = "000.00.15.H29-251203-0003"

// queueIDs are the queue walk's documents, in the order the queue must list them.
type queueIDs struct{ first, second, third string }

// seedQueue stores three documents needing review, as the pipeline would: the first fails a
// check (its number does not validate) and is unsure of its subject; the second misses its
// place and is unsure of its signer; the third is only unsure of its subject.
func seedQueue(t *testing.T, ctx context.Context, db *store.SQL, blobs store.Blobs, pg page) queueIDs {
	t.Helper()
	if _, err := db.CreateBatch(ctx, store.Batch{ID: "bqueue", DossierID: queueDossier, CreatedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	low := func(field string) store.ReviewReason {
		return store.ReviewReason{Code: "field_low_confidence", Field: field, Message: "Độ tin cậy thấp (55%)"}
	}
	docs := []struct {
		edit    func(record.Fields)
		reasons []store.ReviewReason
	}{
		{func(f record.Fields) {
			f["number"] = record.Field{Value: "15/QĐ-UBN", Confidence: 0.6, Page: 1, BBox: pg.lines["Số: 15/QĐ-UBND"], Valid: false}
			sub := f["subject"]
			sub.Confidence = 0.55
			f["subject"] = sub
		}, []store.ReviewReason{{Code: "field_invalid", Field: "number", Message: "Giá trị không hợp lệ"}, low("subject")}},
		{func(f record.Fields) {
			delete(f, "place")
			sig := f["signer"]
			sig.Confidence = 0.7
			f["signer"] = sig
		}, []store.ReviewReason{{Code: "field_missing", Field: "place", Message: "Thiếu trường bắt buộc"}, low("signer")}},
		{func(f record.Fields) {
			sub := f["subject"]
			sub.Confidence = 0.8
			f["subject"] = sub
		}, []store.ReviewReason{low("subject")}},
	}
	var ids []string
	for i, d := range docs {
		// Each document is its own scan: one pixel differs, so the blob and the ID do.
		img, err := png.Decode(bytes.NewReader(pg.png))
		if err != nil {
			t.Fatal(err)
		}
		rgba := image.NewRGBA(img.Bounds())
		draw.Draw(rgba, rgba.Bounds(), img, image.Point{}, draw.Src)
		rgba.Set(i, 0, color.RGBA{R: uint8(10 * (i + 1)), A: 255})
		var buf bytes.Buffer
		if err := png.Encode(&buf, rgba); err != nil {
			t.Fatal(err)
		}
		ref, err := blobs.Put(ctx, buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		doc, _, err := db.AddDocument(ctx, store.Document{DossierID: queueDossier, BatchID: "bqueue", FileName: "qd-" + string(rune('a'+i)) + ".png", Blob: ref, Size: int64(buf.Len())})
		if err != nil {
			t.Fatal(err)
		}
		fields := pageFields(pg)
		d.edit(fields)
		storeResult(t, ctx, db, doc.ID, ref, pg, fields, d.reasons)
		ids = append(ids, doc.ID)
	}
	return queueIDs{ids[0], ids[1], ids[2]}
}

// walkQueue works the queue as a clerk with the keyboard only: open the queue, open its
// first document, correct a flagged field and confirm the other, approve and land on the
// next, send that one back and land on the third, and find the queue done after it.
func walkQueue(t *testing.T, bctx context.Context, base string, db *store.SQL, ids queueIDs, login func(), checkJS func(string)) {
	t.Helper()
	ctx := context.Background()
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(bctx, actions...); err != nil {
			t.Fatalf("%s: %v (page: %s)", what, err, pageState(bctx))
		}
	}
	key := func(k string, mods ...input.Modifier) chromedp.Action {
		if len(mods) == 0 {
			return chromedp.KeyEvent(k)
		}
		return chromedp.KeyEvent(k, chromedp.KeyModifiers(mods...))
	}
	docLoaded := func(id string) chromedp.Action {
		return across(`location.pathname === '/van-ban/` + id + `' && document.getElementById('main').dataset.loaded === 'true'`)
	}
	rowIDs := `Array.from(document.querySelectorAll('#queue-items tbody tr[data-id]')).map(r => r.dataset.id)`

	login()
	var order []string
	var needCount, typeOption string
	run("opening the queue",
		chromedp.Navigate(base+"/hang-doi?dossier_id="+url.QueryEscape(queueDossier)),
		chromedp.WaitVisible(`#queue-items tbody tr[data-id]`, chromedp.ByQuery),
		chromedp.Evaluate(rowIDs, &order),
		chromedp.Text(`#state-counts [data-state="needs_review"] dd`, &needCount, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#doc_type option[value="quyet_dinh"]').textContent`, &typeOption),
	)
	var shot []byte
	run("taking a screenshot of the queue", chromedp.CaptureScreenshot(&shot))
	if err := os.WriteFile(filepath.Join(os.TempDir(), "web-queue.png"), shot, 0o644); err != nil {
		t.Errorf("writing screenshot: %v", err)
	}
	if want := []string{ids.first, ids.second, ids.third}; strings.Join(order, ",") != strings.Join(want, ",") {
		t.Fatalf("queue order %v, want %v (failed check first, then the least confident)", order, want)
	}
	if needCount != "3" || typeOption != "Quyết định (3)" {
		t.Errorf("counts: needs review %q, type option %q; want 3 and %q", needCount, typeOption, "Quyết định (3)")
	}

	// A filter applies as it is chosen, and the address follows.
	var none, loc string
	run("choosing a type without documents",
		chromedp.Evaluate(`(() => { const s = document.getElementById('doc_type'); s.value = 'cong_van'; s.dispatchEvent(new Event('change')); })()`, nil),
		chromedp.Poll(`document.querySelectorAll('#queue-items tbody tr[data-id]').length === 0`, nil, pollTimeout),
		chromedp.Text(`#queue-items tbody td`, &none, chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.Evaluate(`(() => { const s = document.getElementById('doc_type'); s.value = ''; s.dispatchEvent(new Event('change')); })()`, nil),
		chromedp.Poll(`document.querySelectorAll('#queue-items tbody tr[data-id]').length === 3`, nil, pollTimeout),
	)
	if !strings.Contains(none, "Không có văn bản") || !strings.Contains(loc, "doc_type=cong_van") {
		t.Errorf("filtered to cong_van: %q at %s; want the empty message and the filter in the address", none, loc)
	}

	// Open the first document from the keyboard; the page starts on its first flagged field.
	var dateShown string
	run("opening the first document",
		chromedp.Focus(`#start-review`, chromedp.ByID),
		key(kb.Enter),
		docLoaded(ids.first),
		chromedp.Poll(`document.activeElement && document.activeElement.id === 'field-number'`, nil, pollTimeout),
		chromedp.Value(`#field-issued_date`, &dateShown, chromedp.ByID),
	)
	if dateShown != "05/03/2024" {
		t.Errorf("issued date shown as %q, want dd/mm/yyyy 05/03/2024", dateShown)
	}

	// Correct the number, Enter through the fields to the subject and confirm it with Enter.
	const corrected = "15/QĐ-UBND"
	run("correcting and confirming the flagged fields",
		chromedp.Evaluate(`document.getElementById('field-number').select()`, nil),
		key(corrected),
		key(kb.Enter), // number corrected → issued_date
		key(kb.Enter), // → place
		key(kb.Enter), // → issuer
		key(kb.Enter), // → subject
		chromedp.Poll(`document.activeElement.id === 'field-subject'`, nil, pollTimeout),
		key(kb.Enter), // subject confirmed → next field
		chromedp.Poll(`document.getElementById('main').dataset.pending === '0'`, nil, pollTimeout),
		key(kb.ArrowUp, input.ModifierAlt), // back to the subject
		chromedp.Poll(`document.activeElement.id === 'field-subject'`, nil, pollTimeout),
	)
	var crop map[string]float64
	run("reading the magnified crop",
		chromedp.Poll(`(() => { const c = document.querySelector('tr[data-field="subject"] canvas.field-crop'); return c && !c.hidden && c.width > 0; })()`, nil, pollTimeout),
		chromedp.Evaluate(`(() => { const c = document.querySelector('tr[data-field="subject"] canvas.field-crop'); const b = document.querySelector('#overlay .field-box').getBoundingClientRect(); return {cw: c.width, ch: c.height, bw: b.width, bh: b.height}; })()`, &crop),
	)
	// The crop shows the field's box with a margin, magnified: wider than the box as drawn on
	// the page and of a similar shape.
	if crop["cw"] <= crop["bw"] || crop["ch"] <= 0 {
		t.Errorf("crop %v×%v for a box drawn %v×%v, want it magnified", crop["cw"], crop["ch"], crop["bw"], crop["bh"])
	}

	// Help, zoom, then approve and land on the next document.
	var helpShown, helpHidden bool
	var zoomed, fit string
	run("help and zoom",
		key(kb.Escape), // leave the field so that single keys are shortcuts
		key("?"),
		chromedp.WaitVisible(`#help-overlay`, chromedp.ByID),
		chromedp.Evaluate(`!document.getElementById('help-overlay').hidden`, &helpShown),
		key(kb.Escape),
		chromedp.WaitNotVisible(`#help-overlay`, chromedp.ByID),
		chromedp.Evaluate(`document.getElementById('help-overlay').hidden`, &helpHidden),
		key("+"),
		chromedp.Text(`#zoom-level`, &zoomed, chromedp.ByID),
		key("0"),
		chromedp.Text(`#zoom-level`, &fit, chromedp.ByID),
	)
	if !helpShown || !helpHidden || zoomed != "150%" || fit != "100%" {
		t.Errorf("help shown %v then hidden %v; zoom %q then %q; want true, true, 150%%, 100%%", helpShown, helpHidden, zoomed, fit)
	}
	run("approving and opening the next",
		key(kb.Enter, input.ModifierCtrl),
		docLoaded(ids.second),
	)
	checkJS("review page, first document")

	// Send the second back (it stays to review) and land on the third; after the third
	// the queue is done.
	run("sending back and moving on",
		chromedp.Poll(`document.activeElement && document.activeElement.id === 'field-place'`, nil, pollTimeout),
		key(kb.Escape),
		key("b"),
		docLoaded(ids.third),
		key(kb.Escape),
		key("n"),
		across(`location.pathname === '/hang-doi' && document.getElementById('queue-done') !== null`),
	)
	checkJS("queue walk")

	// The store, the API and the audit log show what the clerk did.
	first, err := db.Document(ctx, ids.first)
	if err != nil {
		t.Fatal(err)
	}
	second, err := db.Document(ctx, ids.second)
	if err != nil {
		t.Fatal(err)
	}
	if first.ReviewState != store.ReviewApproved || second.ReviewState != store.ReviewNeeded {
		t.Errorf("review states %q, %q; want approved, needs_review", first.ReviewState, second.ReviewState)
	}
	req, _ := http.NewRequest("GET", base+"/v1/documents/"+ids.first, nil)
	req.Header.Set("Authorization", "Bearer "+clerkKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if !strings.Contains(buf.String(), `"value":"`+corrected+`"`) || !strings.Contains(buf.String(), `"review_state":"approved"`) {
		t.Errorf("the API serves %s, want the corrected number and the approval", buf.String())
	}
	log, err := db.AuditLog(ctx, ids.first, 100)
	if err != nil {
		t.Fatal(err)
	}
	var fixed, confirmed, approved bool
	for _, e := range log {
		fixed = fixed || e.Action == "correct_field" && e.Field == "number" && e.OldValue == "15/QĐ-UBN" && e.NewValue == corrected && e.Actor.Role == "clerk"
		confirmed = confirmed || e.Action == "confirm_field" && e.Field == "subject" && e.Actor.Role == "clerk"
		approved = approved || e.Action == "review" && e.NewValue == store.ReviewApproved && e.Actor.Role == "clerk"
	}
	if !fixed || !confirmed || !approved {
		t.Errorf("audit of the first document lacks the correction (%v), the subject's confirmation (%v) or the approval (%v): %+v", fixed, confirmed, approved, log)
	}
	sent, err := db.AuditLog(ctx, ids.second, 100)
	if err != nil {
		t.Fatal(err)
	}
	var sentBack bool
	for _, e := range sent {
		sentBack = sentBack || e.Action == "review" && e.NewValue == store.ReviewNeeded
	}
	if !sentBack {
		t.Errorf("audit of the second document lacks the send-back: %+v", sent)
	}
}

// across waits until expr is true on the page, through navigations: an evaluation in a page
// that is going away fails, and is tried again on the next one.
func across(expr string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		deadline := time.Now().Add(pollLimit)
		var last error
		for time.Now().Before(deadline) {
			var ok bool
			if last = chromedp.Evaluate(expr, &ok).Do(ctx); last == nil && ok {
				return nil
			}
			time.Sleep(50 * time.Millisecond)
		}
		return fmt.Errorf("waiting for %s: %v", expr, last)
	})
}
