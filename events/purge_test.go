package events

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

// Delivered events leave the outbox once older than Keep (a month by default); a negative
// Keep keeps them; batch.done stays, being the mark that the batch was announced.
func TestPurge(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	rc := &receiver{t: t, secret: "k", got: map[string]int{}, types: map[string]string{}}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	hooks, err := ParseWebhooks(srv.URL + "/ secret=k")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	finish(t, s, "b1", 3)
	d := &Dispatcher{Outbox: s, Hooks: hooks}
	if n, err := d.Once(ctx); err != nil || n != 4 {
		t.Fatalf("delivered %d, %v; want 3 document.indexed and batch.done", n, err)
	}
	later := time.Now().Add(DefaultKeep - time.Hour)
	d.Now = func() time.Time { return later }
	if n, err := d.Purge(ctx); err != nil || n != 0 {
		t.Fatalf("purged %d (%v) before a month had passed", n, err)
	}
	later = later.Add(2 * time.Hour)
	d.Keep = -1
	if n, err := d.Purge(ctx); err != nil || n != 0 {
		t.Fatalf("purged %d (%v) with Keep < 0", n, err)
	}
	d.Keep = 0 // the default again
	if n, err := d.Purge(ctx); err != nil || n != 3 {
		t.Fatalf("purged %d, %v; want the 3 document.indexed events", n, err)
	}
	evs, err := s.Events(ctx, 0, 10)
	if err != nil || len(evs) != 1 || evs[0].Type != "batch.done" {
		t.Fatalf("left %+v, %v; want batch.done only", evs, err)
	}
}
