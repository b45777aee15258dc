package store

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sohoa/sohoa/store/storetest"
)

func eventsOf(t *testing.T, s *SQL) []Event {
	t.Helper()
	evs, err := s.Events(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func eventTypes(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Type+" "+e.Subject)
	}
	return out
}

func addDocs(t *testing.T, s *SQL, batch, dossier string, n int) []string {
	t.Helper()
	ctx := context.Background()
	if _, err := s.CreateBatch(ctx, Batch{ID: batch, DossierID: dossier}); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, n)
	for i := range ids {
		d, _, err := s.AddDocument(ctx, Document{DossierID: dossier, BatchID: batch, FileName: "a.png", Blob: RefOf(fmt.Appendf(nil, "%s %d", batch, i)), Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = d.ID
	}
	return ids
}

// The outbox gets one row per state change, in the change's transaction, with IDs and field
// names only; batch.done comes once, after the batch is closed and its last document ends.
func TestOutboxEvents(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	ids := addDocs(t, s, "b1", "HS-251201-0001", 2)
	if err := s.SetStatus(ctx, ids[0], StatusProcessing, ""); err != nil {
		t.Fatal(err)
	}
	if evs := eventsOf(t, s); len(evs) != 0 {
		t.Fatalf("processing wrote events %v", eventTypes(evs))
	}
	for range 2 { // a retried index task sets indexed twice: one event
		if err := s.SetStatus(ctx, ids[0], StatusIndexed, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetStatus(ctx, ids[1], StatusFailed, "không đọc được tệp"); err != nil {
		t.Fatal(err)
	}
	// The upload request has not closed the batch yet: no batch.done.
	want := []string{EventDocumentIndexed + " " + ids[0], EventDocumentFailed + " " + ids[1]}
	if got := eventTypes(eventsOf(t, s)); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
	for range 2 {
		if err := s.CloseBatch(ctx, "b1"); err != nil {
			t.Fatal(err)
		}
	}
	want = append(want, EventBatchDone+" b1")
	evs := eventsOf(t, s)
	if got := eventTypes(evs); !slices.Equal(got, want) {
		t.Fatalf("after close: events %v, want %v", got, want)
	}
	var done EventData
	if err := json.Unmarshal(evs[2].Data, &done); err != nil || *done.Total != 2 || *done.Indexed != 1 || *done.Failed != 1 || done.DossierID != "HS-251201-0001" {
		t.Fatalf("batch.done data %s (%v)", evs[2].Data, err)
	}
	if strings.Contains(string(evs[1].Data), "không đọc") {
		t.Fatalf("document.failed carries the error text: %s", evs[1].Data)
	}

	clerk := Actor{Name: "clerk1", Role: "clerk"}
	const secret = "079123456789"
	if err := s.CorrectFields(ctx, ids[0], []FieldChange{{Name: "id_number", Value: secret, Valid: true}, {Name: "full_name", Value: "Nguyễn Văn A", Valid: true}}, clerk); err != nil {
		t.Fatal(err)
	}
	if err := s.Review(ctx, ids[0], Decision{State: ReviewApproved}, clerk); err != nil {
		t.Fatal(err)
	}
	if err := s.Review(ctx, ids[0], Decision{State: ReviewApproved}, clerk); err != nil { // approving again: no new event
		t.Fatal(err)
	}
	if err := s.CorrectField(ctx, ids[0], "full_name", "Nguyễn Văn B", true, clerk); err != nil {
		t.Fatal(err)
	}
	evs = eventsOf(t, s)[3:]
	want = []string{EventDocumentCorrected + " " + ids[0], EventDocumentApproved + " " + ids[0], EventDocumentCorrected + " " + ids[0]}
	if got := eventTypes(evs); !slices.Equal(got, want) {
		t.Fatalf("review events %v, want %v", got, want)
	}
	changed := func(e Event) []string {
		var d EventData
		if err := json.Unmarshal(e.Data, &d); err != nil {
			t.Fatal(err)
		}
		return d.Changed
	}
	if got := changed(evs[0]); !slices.Equal(got, []string{"full_name", "id_number"}) {
		t.Errorf("corrected names %v", got)
	}
	if got := changed(evs[2]); !slices.Equal(got, []string{"full_name", "review_state"}) {
		t.Errorf("correction of an approved document names %v, want full_name and review_state", got)
	}
	seen := map[string]bool{}
	for _, e := range eventsOf(t, s) {
		if strings.Contains(string(e.Data), secret) || strings.Contains(string(e.Data), "Nguyễn") {
			t.Errorf("event %s carries a personal value: %s", e.Type, e.Data)
		}
		if seen[e.ID] {
			t.Errorf("event ID %s used twice", e.ID)
		}
		seen[e.ID] = true
	}
}

// A batch closed before its documents finish is reported done by the last one to finish; one
// closed after is reported by CloseBatch.
func TestOutboxBatchClosedFirst(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	ids := addDocs(t, s, "b2", "HS-251201-0002", 1)
	if err := s.CloseBatch(ctx, "b2"); err != nil {
		t.Fatal(err)
	}
	if evs := eventsOf(t, s); len(evs) != 0 {
		t.Fatalf("closing an unfinished batch wrote %v", eventTypes(evs))
	}
	if err := s.SetStatus(ctx, ids[0], StatusIndexed, ""); err != nil {
		t.Fatal(err)
	}
	if got := eventTypes(eventsOf(t, s)); !slices.Equal(got, []string{EventDocumentIndexed + " " + ids[0], EventBatchDone + " b2"}) {
		t.Fatalf("events %v", got)
	}
}

// Deliveries: a claim holds an attempt for its lease, a failure schedules the retry, the last
// failure makes a dead letter an admin can put back in line, and a delivered event is not
// due again.
func TestOutboxDeliveries(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	clock := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	ids := addDocs(t, s, "b3", "HS-251201-0003", 2)
	for _, id := range ids {
		if err := s.SetStatus(ctx, id, StatusIndexed, ""); err != nil {
			t.Fatal(err)
		}
	}
	subs := []Subscription{{Endpoint: "a", Types: []string{EventDocumentIndexed}}, {Endpoint: "b", Types: []string{EventDocumentIndexed}},
		{Endpoint: "c", Types: []string{EventBatchDone}}}
	for range 2 { // fanning out twice makes the rows once
		if _, err := s.FanOut(ctx, subs, 100); err != nil {
			t.Fatal(err)
		}
	}
	due := func(endpoint string) []string {
		t.Helper()
		evs, err := s.DueEvents(ctx, endpoint, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range evs {
			out = append(out, e.ID)
		}
		return out
	}
	all := due("a")
	if len(all) != 2 {
		t.Fatalf("due %v, want the 2 indexed events", all)
	}
	if got := due("c"); len(got) != 0 {
		t.Fatalf("an endpoint subscribed to batch.done only has %v due", got)
	}
	// An endpoint subscribed later gets the events from then on.
	if n, err := s.FanOut(ctx, append(subs, Subscription{Endpoint: "late", Types: EventTypes}), 100); err != nil || n != 0 {
		t.Fatalf("fanning out again took %d events (%v)", n, err)
	}
	if got := due("late"); len(got) != 0 {
		t.Fatalf("an endpoint added later has the old events due: %v", got)
	}
	ev := all[0]
	if n, ok, err := s.ClaimDelivery(ctx, ev, "a", time.Minute); err != nil || !ok || n != 1 {
		t.Fatalf("first claim = %d %v %v", n, ok, err)
	}
	if _, ok, _ := s.ClaimDelivery(ctx, ev, "a", time.Minute); ok {
		t.Fatal("a claimed attempt was claimed again inside its lease")
	}
	if got := due("a"); !slices.Equal(got, all[1:]) {
		t.Fatalf("due during the lease %v", got)
	}
	if got := due("b"); !slices.Equal(got, all) {
		t.Fatalf("another endpoint's due %v, want both", got)
	}
	if err := s.DeliveryFailed(ctx, ev, "a", "HTTP 503", clock.Add(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(11 * time.Second)
	if n, ok, err := s.ClaimDelivery(ctx, ev, "a", time.Minute); err != nil || !ok || n != 2 {
		t.Fatalf("retry claim = %d %v %v", n, ok, err)
	}
	if err := s.DeliveryFailed(ctx, ev, "a", "connection refused", time.Time{}); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	if got := due("a"); !slices.Equal(got, all[1:]) {
		t.Fatalf("a dead letter is due again: %v", got)
	}
	dead, err := s.DeadDeliveries(ctx, 10)
	if err != nil || len(dead) != 1 || dead[0].ID != ev || dead[0].Attempts != 2 || dead[0].LastError != "connection refused" || dead[0].Endpoint != "a" {
		t.Fatalf("dead letters %+v, %v", dead, err)
	}
	if err := s.RetryDead(ctx, ev, "a"); err != nil {
		t.Fatal(err)
	}
	if err := s.RetryDead(ctx, ev, "a"); err == nil {
		t.Fatal("retrying a letter no longer dead succeeded")
	}
	if _, ok, _ := s.ClaimDelivery(ctx, ev, "a", time.Minute); !ok {
		t.Fatal("a retried dead letter could not be claimed")
	}
	if err := s.DeliveryDone(ctx, ev, "a"); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Hour)
	if got := due("a"); !slices.Equal(got, all[1:]) {
		t.Fatalf("a delivered event is due again: %v", got)
	}
	if dead, _ := s.DeadDeliveries(ctx, 10); len(dead) != 0 {
		t.Fatalf("dead letters after delivery %+v", dead)
	}
}

// testBatchDoneOnce: two pools (two workers' processes) finish a closed batch's last two
// documents at the same moment, and batch.done is written exactly once, never zero times.
func testBatchDoneOnce(t *testing.T, a, b *SQL) {
	ctx := context.Background()
	for i := range 20 {
		batch := fmt.Sprintf("once%d", i)
		ids := addDocs(t, a, batch, "HS-251201-0004", 2)
		if err := a.CloseBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		for j, s := range []*SQL{a, b} {
			wg.Go(func() {
				<-start
				if err := s.SetStatus(ctx, ids[j], StatusIndexed, ""); err != nil {
					t.Error(err)
				}
			})
		}
		close(start)
		wg.Wait()
	}
	evs := eventsOf(t, a)
	n := 0
	for _, e := range evs {
		if e.Type == EventBatchDone {
			n++
		}
	}
	if n != 20 {
		t.Fatalf("%d batch.done events for 20 batches", n)
	}
}

func TestSQLiteBatchDoneOnce(t *testing.T) {
	t.Parallel()
	pools := twoPools(t, OpenSQLite, filepath.Join(t.TempDir(), "once.db"))
	testBatchDoneOnce(t, pools[0], pools[1])
}

// Under READ COMMITTED, without the batch row's lock, each of the two transactions would
// count the other's document as unfinished and no batch.done would be written.
func TestPostgresBatchDoneOnce(t *testing.T) {
	t.Parallel()
	pools := twoPools(t, OpenPostgres, storetest.Schema(t))
	testBatchDoneOnce(t, pools[0], pools[1])
}
