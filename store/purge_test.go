package store

import (
	"context"
	"slices"
	"testing"
	"time"
)

// Only old events every endpoint acknowledged go: not a recent one, not one with a pending
// or dead delivery, not one never fanned out, and never batch.done.
func TestPurgeDelivered(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := context.Background()
	clock := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	old := addDocs(t, s, "bp1", "HS-251201-0011", 4) // indexed on 1 October
	for _, id := range old {
		if err := s.SetStatus(ctx, id, StatusIndexed, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CloseBatch(ctx, "bp1"); err != nil { // batch.done
		t.Fatal(err)
	}
	subs := []Subscription{{Endpoint: "a", Types: EventTypes}, {Endpoint: "b", Types: []string{EventDocumentIndexed}}}
	if _, err := s.FanOut(ctx, subs, 100); err != nil {
		t.Fatal(err)
	}
	ev := map[string]string{} // document → its indexed event
	for _, e := range eventsOf(t, s) {
		if e.Type == EventDocumentIndexed {
			ev[e.Subject] = e.ID
		}
	}
	deliver := func(id string, endpoints ...string) {
		for _, ep := range endpoints {
			if err := s.DeliveryDone(ctx, id, ep); err != nil {
				t.Fatal(err)
			}
		}
	}
	deliver(ev[old[0]], "a", "b") // delivered everywhere: goes
	deliver(ev[old[1]], "a")      // pending at b: stays
	deliver(ev[old[2]], "a")      // dead at b: stays
	if err := s.DeliveryFailed(ctx, ev[old[2]], "b", "HTTP 500", time.Time{}); err != nil {
		t.Fatal(err)
	}
	deliver(ev[old[3]], "a", "b") // delivered everywhere: goes
	for _, e := range eventsOf(t, s) {
		if e.Type == EventBatchDone {
			deliver(e.ID, "a") // batch.done, delivered: stays
		}
	}
	clock = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	recent := addDocs(t, s, "bp2", "HS-251201-0012", 1)
	if err := s.SetStatus(ctx, recent[0], StatusIndexed, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FanOut(ctx, subs, 100); err != nil {
		t.Fatal(err)
	}
	for _, e := range eventsOf(t, s) {
		if e.Subject == recent[0] && e.Type == EventDocumentIndexed {
			deliver(e.ID, "a", "b") // delivered, but recent: stays
		}
	}
	unfanned := addDocs(t, s, "bp3", "HS-251201-0013", 1) // indexed, never fanned out
	if err := s.SetStatus(ctx, unfanned[0], StatusIndexed, ""); err != nil {
		t.Fatal(err)
	}
	before := len(eventsOf(t, s))
	for run, want := range []int{2, 0} { // a second purge finds nothing more
		n, err := s.PurgeDelivered(ctx, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || n != want {
			t.Fatalf("purge %d: %d events, %v; want %d", run+1, n, err, want)
		}
	}
	var left []string
	for _, e := range eventsOf(t, s) {
		left = append(left, e.ID)
	}
	if len(left) != before-2 || slices.Contains(left, ev[old[0]]) || slices.Contains(left, ev[old[3]]) {
		t.Fatalf("left %d of %d events: %v; want all but the two delivered everywhere", len(left), before, left)
	}
	dead, err := s.DeadDeliveries(ctx, 10)
	if err != nil || len(dead) != 1 || dead[0].ID != ev[old[2]] {
		t.Fatalf("dead letters after the purge: %+v, %v", dead, err)
	}
	// Nothing dangles: every delivery row still has its event (PostgreSQL's foreign key would
	// have refused the purge otherwise; SQLite's may be off).
	var orphans int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox_deliveries d WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = d.event_id)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Fatalf("%d delivery rows without their event (%v)", orphans, err)
	}
}
