package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sohoa/sohoa/store"
)

// adminKey signs the dead-letter subtest in.
const adminKey = "khoa-quan-tri-thu-nghiem"

// seedDeadLetter makes a document.indexed event that an endpoint never acknowledged, as the
// dispatcher leaves it after its last attempt, and returns the event's ID.
func seedDeadLetter(t *testing.T, ctx context.Context, db *store.SQL) string {
	t.Helper()
	const dossier, endpoint = "000.00.15.H29-251203-0040", "https://cong.example/hook"
	if _, err := db.CreateBatch(ctx, store.Batch{ID: "bdead", DossierID: dossier}); err != nil {
		t.Fatal(err)
	}
	d, _, err := db.AddDocument(ctx, store.Document{DossierID: dossier, BatchID: "bdead", FileName: "quet.png", Blob: store.RefOf([]byte("dead")), Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetStatus(ctx, d.ID, store.StatusIndexed, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FanOut(ctx, []store.Subscription{{Endpoint: endpoint, Types: []string{store.EventDocumentIndexed}}}, 1000); err != nil {
		t.Fatal(err)
	}
	evs, err := db.Events(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Type == store.EventDocumentIndexed && e.Subject == d.ID {
			if err := db.DeliveryFailed(ctx, e.ID, endpoint, "HTTP 503", time.Time{}); err != nil {
				t.Fatal(err)
			}
			return e.ID
		}
	}
	t.Fatal("no document.indexed event")
	return ""
}

// retryDeadLetter opens the dead letters as an admin, reads the seeded one in Vietnamese and
// sends it again: the store then has it pending, no longer dead.
func retryDeadLetter(t *testing.T, bctx context.Context, base string, db *store.SQL, id string, login func(), checkJS func(string)) {
	t.Helper()
	login()
	row := `tr[data-event-id="` + id + `"]`
	var text, status string
	if err := chromedp.Run(bctx,
		chromedp.Navigate(base+"/su-kien-loi"),
		chromedp.WaitVisible(row, chromedp.ByQuery),
		chromedp.Text(row, &text, chromedp.ByQuery),
		chromedp.Click(row+` .retry-button`, chromedp.ByQuery),
		across(`document.querySelector('`+row+` [role=status]').textContent === 'Đã xếp lại để gửi.'`),
		chromedp.Text(row+` [role=status]`, &status, chromedp.ByQuery),
	); err != nil {
		t.Fatalf("retrying the dead letter: %v (page: %s)", err, pageState(bctx))
	}
	for _, want := range []string{"Văn bản đã lập chỉ mục", "https://cong.example/hook", "HTTP 503"} {
		if !strings.Contains(text, want) {
			t.Errorf("dead-letter row %q lacks %q", text, want)
		}
	}
	dead, err := db.DeadDeliveries(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dead {
		if d.ID == id {
			t.Errorf("the event is still a dead letter after 'Gửi lại' (status %q)", status)
		}
	}
	checkJS("dead letters")
}
