package events

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sohoa/sohoa/store"
)

// receiver is a webhook endpoint as a portal would write it: it checks the signature and
// counts each event ID once, however often it is delivered.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	got    map[string]int // event ID → deliveries
	types  map[string]string
	bodies []string
	fail   int // answer 503 to this many requests first
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := Verify(rc.secret, r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature), body, time.Now(), 5*time.Minute); err != nil {
		rc.t.Errorf("delivery with a bad signature: %v", err)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev store.Event
	if err := json.Unmarshal(body, &ev); err != nil || ev.ID != r.Header.Get(HeaderID) || ev.Type != r.Header.Get(HeaderType) {
		rc.t.Errorf("body %s does not match the headers (%v)", body, err)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.fail > 0 {
		rc.fail--
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	rc.got[ev.ID]++
	rc.types[ev.ID] = ev.Type
	rc.bodies = append(rc.bodies, string(body))
	w.WriteHeader(http.StatusNoContent)
}

func newStore(t *testing.T) *store.SQL {
	t.Helper()
	s, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "ev.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// finish makes n documents in a closed batch and indexes them: n document.indexed events and
// one batch.done.
func finish(t *testing.T, s *store.SQL, batch string, n int) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.CreateBatch(ctx, store.Batch{ID: batch, DossierID: "HS-251201-0009"}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range n {
		d, _, err := s.AddDocument(ctx, store.Document{DossierID: "HS-251201-0009", BatchID: batch, FileName: "cmnd 079123456789.png",
			Blob: store.RefOf(fmt.Appendf(nil, "%s/%d", batch, i)), Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	if err := s.CloseBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if err := s.SetStatus(ctx, id, store.StatusIndexed, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// A receiver that is down (connection refused), then busy (503), then up gets every event it
// subscribed to, each ID counted once, every request signed; the events it did not subscribe
// to never reach it.
func TestDeliveryAfterReceiverDown(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // the receiver is down
	rc := &receiver{t: t, secret: "s3cret", got: map[string]int{}, types: map[string]string{}, fail: 2}
	hooks, err := ParseWebhooks("http://" + addr + "/hook?token=abc events=document.indexed,batch.done secret=s3cret")
	if err != nil {
		t.Fatal(err)
	}
	d := &Dispatcher{Outbox: s, Hooks: hooks, Backoff: func(int) time.Duration { return 0 }, MaxAttempts: 100,
		Client: &http.Client{Timeout: 2 * time.Second}}
	ctx := context.Background()
	finish(t, s, "b1", 3)
	for range 3 {
		if n, err := d.Once(ctx); err != nil || n != 0 {
			t.Fatalf("round with the receiver down: %d delivered, %v", n, err)
		}
	}
	finish(t, s, "b2", 2) // more events while it is down
	var srv *http.Server
	for { // the receiver comes back on the same address
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	srv = &http.Server{Handler: rc}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	total := 0
	for round := 0; round < 20; round++ {
		n, err := d.Once(ctx)
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	if total != 7 || len(rc.got) != 7 {
		t.Fatalf("delivered %d, receiver has %d distinct events; want 7 (5 document.indexed, 2 batch.done)", total, len(rc.got))
	}
	for id, n := range rc.got {
		if n != 1 {
			t.Errorf("event %s (%s) acknowledged %d times", id, rc.types[id], n)
		}
	}
	for _, b := range rc.bodies {
		if strings.Contains(b, "079123456789") {
			t.Errorf("payload carries a personal value: %s", b)
		}
	}
	if n, _ := d.Once(ctx); n != 0 {
		t.Fatalf("a round after everything was delivered sent %d", n)
	}
}

// An endpoint that never acknowledges turns its events into dead letters after MaxAttempts,
// and a retried dead letter is delivered once the endpoint works.
func TestDeadLetter(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	rc := &receiver{t: t, secret: "k", got: map[string]int{}, types: map[string]string{}, fail: 1 << 30}
	srv := &http.Server{Handler: rc}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	d := &Dispatcher{Outbox: s, Hooks: []Webhook{{URL: "http://" + ln.Addr().String() + "/", Events: []string{store.EventBatchDone}, Secret: "k"}},
		Backoff: func(int) time.Duration { return 0 }, MaxAttempts: 3}
	finish(t, s, "b1", 1)
	for range 5 {
		if _, err := d.Once(ctx); err != nil {
			t.Fatal(err)
		}
	}
	dead, err := s.DeadDeliveries(ctx, 10)
	if err != nil || len(dead) != 1 || dead[0].Type != store.EventBatchDone || dead[0].Attempts != 3 || !strings.Contains(dead[0].LastError, "503") {
		t.Fatalf("dead letters %+v, %v; want the batch.done after 3 attempts with the 503", dead, err)
	}
	rc.mu.Lock()
	rc.fail = 0
	rc.mu.Unlock()
	if n, _ := d.Once(ctx); n != 0 {
		t.Fatalf("a dead letter was sent again without a retry (%d)", n)
	}
	if err := s.RetryDead(ctx, dead[0].ID, dead[0].Endpoint); err != nil {
		t.Fatal(err)
	}
	if n, err := d.Once(ctx); n != 1 || err != nil {
		t.Fatalf("retried dead letter: %d delivered, %v", n, err)
	}
}

func TestParseWebhooks(t *testing.T) {
	t.Parallel()
	hooks, err := ParseWebhooks("https://a.example/h events=batch.done secret=x;\n http://b.example/h?t=1 secret=y")
	if err != nil || len(hooks) != 2 || len(hooks[0].Events) != 1 || len(hooks[1].Events) != len(store.EventTypes) {
		t.Fatalf("%+v %v", hooks, err)
	}
	if strings.Contains(hooks[1].Key(), "t=1") {
		t.Errorf("endpoint key %q shows the query", hooks[1].Key())
	}
	for _, bad := range []string{"https://a.example/h", "ftp://a/ secret=x", "https://a/ events=document.deleted secret=x", "https://a/ secrets=x"} {
		if _, err := ParseWebhooks(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"ev_1"}`)
	sig := Sign("k", now, body)
	ts := fmt.Sprint(now.Unix())
	if err := Verify("k", ts, sig, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"other secret": Verify("k2", ts, sig, body, now, 5*time.Minute),
		"other body":   Verify("k", ts, sig, []byte(`{"id":"ev_2"}`), now, 5*time.Minute),
		"old":          Verify("k", ts, sig, body, now.Add(time.Hour), 5*time.Minute),
		"moved stamp":  Verify("k", fmt.Sprint(now.Unix()+1), sig, body, now, 5*time.Minute),
	} {
		if err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

// A redirect is not followed (the signed event would go where nobody configured): it is a
// failed attempt.
func TestRedirectNotFollowed(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	elsewhere := &receiver{t: t, secret: "k", got: map[string]int{}, types: map[string]string{}}
	other := &http.Server{Handler: elsewhere}
	ln2, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go other.Serve(ln2)
	t.Cleanup(func() { other.Close() })
	redirect := &http.Server{Handler: http.RedirectHandler("http://"+ln2.Addr().String()+"/", http.StatusTemporaryRedirect)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go redirect.Serve(ln)
	t.Cleanup(func() { redirect.Close() })
	d := &Dispatcher{Outbox: s, Hooks: []Webhook{{URL: "http://" + ln.Addr().String() + "/", Events: store.EventTypes, Secret: "k"}},
		Backoff: func(int) time.Duration { return 0 }, MaxAttempts: 1}
	finish(t, s, "b1", 1)
	if n, err := d.Once(context.Background()); n != 0 || err != nil {
		t.Fatalf("%d delivered through a redirect (%v)", n, err)
	}
	if len(elsewhere.got) != 0 {
		t.Fatalf("the redirect's target received %d events", len(elsewhere.got))
	}
	if dead, _ := s.DeadDeliveries(context.Background(), 10); len(dead) != 1 || !strings.Contains(dead[0].LastError, "307") {
		t.Fatalf("dead letters %+v, want the first event with the 307", dead)
	}
}
