package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// send makes a request with exactly the given headers (no Authorization unless listed).
func (f *fixture) send(t *testing.T, method, path string, headers map[string]string, body string) (*http.Response, ErrorBody) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e ErrorBody
	json.Unmarshal(raw, &e)
	if e.Error == "" && resp.StatusCode >= 400 {
		e.Error = string(raw)
	}
	return resp, e
}

// sessions returns an api.Server on the fixture's store, for signing in and out: sessions
// live in the store, so they authenticate against the fixture's server too.
func (f *fixture) sessions() *Server {
	return New(Config{Store: f.store, Keys: map[string]string{"cl": "clerk", "rd": "reader"},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// seedReviewable stores a document a clerk can send back to review.
func seedReviewable(t *testing.T, db *store.SQL) string {
	t.Helper()
	ctx := context.Background()
	if _, err := db.CreateBatch(ctx, store.Batch{ID: "b", DossierID: "X-251201-0001"}); err != nil {
		t.Fatal(err)
	}
	d, _, err := db.AddDocument(ctx, store.Document{DossierID: "X-251201-0001", BatchID: "b", FileName: "qd.png", Blob: store.RefOf([]byte("x"))})
	if err != nil {
		t.Fatal(err)
	}
	db.SaveClassification(ctx, d.ID, record.Classification{Type: "quyet_dinh", Confidence: 0.9})
	db.SaveExtraction(ctx, d.ID, record.Fields{"number": {Value: "15/QĐ-UBND", Valid: true}}, store.ReviewAuto)
	db.SetStatus(ctx, d.ID, store.StatusIndexed, "")
	return d.ID
}

func auditCount(t *testing.T, db *store.SQL) int {
	t.Helper()
	log, err := db.AuditLog(context.Background(), "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	return len(log)
}

func TestBearerOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	live, liveSecret, err := f.store.CreateKey(ctx, "reader", "tích hợp", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, expiredSecret, err := f.store.CreateKey(ctx, "reader", "", time.Nanosecond)
	if err != nil {
		t.Fatal(err)
	}
	revoked, revokedSecret, err := f.store.CreateKey(ctx, "reader", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.RevokeKey(ctx, revoked.ID); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Millisecond) // past the 1 ns key's expiry on any clock

	cases := []struct {
		name, auth string
		want       int
	}{
		{"bearer", "Bearer rd", 200},
		{"lower-case scheme", "bearer rd", 200},
		{"upper-case scheme", "BEARER rd", 200},
		{"bare key", "rd", 401},
		{"bare key with a space", " rd", 401},
		{"other scheme", "Basic cmQ6", 401},
		{"scheme only", "Bearer", 401},
		{"scheme and spaces", "Bearer   ", 401},
		{"two tokens", "Bearer rd cl", 401},
		{"unknown key", "Bearer nope", 401},
		{"database key", "Bearer " + liveSecret, 200},
		{"database key without scheme", liveSecret, 401},
		{"expired database key", "Bearer " + expiredSecret, 401},
		{"revoked database key", "Bearer " + revokedSecret, 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, e := f.send(t, "GET", "/v1/search?q=x", map[string]string{"Authorization": c.auth}, "")
			if resp.StatusCode != c.want {
				t.Fatalf("Authorization %q = %d %+v, want %d", c.auth, resp.StatusCode, e, c.want)
			}
			if c.want == 401 && (e.Code != "unauthorized" || resp.Header.Get("WWW-Authenticate") == "") {
				t.Errorf("401 answer: code %q, WWW-Authenticate %q", e.Code, resp.Header.Get("WWW-Authenticate"))
			}
		})
	}

	// A database key acts in the audit log under its id, never its secret.
	docID := seedReviewable(t, f.store)
	if resp, e := f.send(t, "GET", "/v1/documents/"+docID, map[string]string{"Authorization": "Bearer " + liveSecret}, ""); resp.StatusCode != 200 {
		t.Fatalf("reading with a database key = %d %+v", resp.StatusCode, e)
	}
	log, _ := f.store.AuditLog(ctx, docID, 10)
	for _, e := range log {
		if e.Actor.Name != "key:"+live.ID {
			t.Errorf("audit actor %q, want key:%s", e.Actor.Name, live.ID)
		}
	}
}

func TestRolePermissions(t *testing.T) {
	t.Parallel()
	for role, want := range map[string]bool{"admin": true, "clerk": false, "reader": false, "uploader": false, "": false} {
		if got := allowed(role, permAdmin); got != want {
			t.Errorf("allowed(%q, permAdmin) = %v, want %v", role, got, want)
		}
	}
}

func TestSessionCookieAndCSRF(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	docID := seedReviewable(t, f.store)
	s := f.sessions()

	if token, ok, err := s.SignIn(ctx, "wrong"); err != nil || ok || token != "" {
		t.Fatalf("SignIn with a wrong key = %q, %v, %v; want no session", token, ok, err)
	}
	token, ok, err := s.SignIn(ctx, "cl")
	if err != nil || !ok || token == "" || token == "cl" {
		t.Fatalf("SignIn = %q, %v, %v", token, ok, err)
	}
	csrf, ok := s.CSRF(ctx, token)
	if !ok || csrf == "" {
		t.Fatal("no CSRF token for a live session")
	}
	origin := f.srv.URL
	cookie := sessionCookie + "=" + token
	review := "/v1/documents/" + docID + "/review"
	const body = `{"state":"needs_review"}`

	good := func() map[string]string {
		return map[string]string{"Cookie": cookie, csrfHeader: csrf, "Origin": origin,
			"Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}
	}
	without := func(k string) map[string]string { h := good(); delete(h, k); return h }
	with := func(k, v string) map[string]string { h := good(); h[k] = v; return h }

	if resp, e := f.send(t, "GET", "/v1/documents/"+docID, map[string]string{"Cookie": cookie}, ""); resp.StatusCode != 200 {
		t.Fatalf("GET with the session cookie = %d %+v", resp.StatusCode, e)
	}
	if resp, _ := f.send(t, "GET", "/v1/documents/"+docID, map[string]string{"Cookie": sessionCookie + "=cl"}, ""); resp.StatusCode != 401 {
		t.Errorf("the raw API key as cookie = %d, want 401", resp.StatusCode)
	}
	if resp, _ := f.send(t, "GET", "/v1/documents/"+docID, map[string]string{"Cookie": cookie, "Authorization": "cl"}, ""); resp.StatusCode != 401 {
		t.Errorf("a bare key beside a valid cookie = %d, want 401 (no fallback)", resp.StatusCode)
	}

	refused := []struct {
		name    string
		headers map[string]string
	}{
		{"no CSRF header", without(csrfHeader)},
		{"wrong CSRF header", with(csrfHeader, csrf+"x")},
		{"text/plain", with("Content-Type", "text/plain")},
		{"urlencoded form", with("Content-Type", "application/x-www-form-urlencoded")},
		{"multipart outside uploads", with("Content-Type", "multipart/form-data; boundary=x")},
		{"no Content-Type", without("Content-Type")},
		{"other port", with("Origin", "http://127.0.0.1:1")},
		{"other site", with("Origin", "https://evil.example")},
		{"opaque origin", with("Origin", "null")},
		{"same-site, other origin", with("Sec-Fetch-Site", "same-site")},
		{"cross-site", with("Sec-Fetch-Site", "cross-site")},
	}
	before := auditCount(t, f.store)
	for _, c := range refused {
		t.Run(c.name, func(t *testing.T) {
			resp, e := f.send(t, "POST", review, c.headers, body)
			if resp.StatusCode != 403 || e.Code != "csrf_failed" {
				t.Errorf("= %d %+v, want 403 csrf_failed", resp.StatusCode, e)
			}
		})
	}
	if after := auditCount(t, f.store); after != before {
		t.Errorf("refused requests wrote %d audit entries", after-before)
	}
	if d, _ := f.store.Document(ctx, docID); d.ReviewState != store.ReviewAuto {
		t.Errorf("refused requests changed the review state to %q", d.ReviewState)
	}

	// Bearer requests carry no ambient credential: no CSRF token needed.
	if resp, e := f.send(t, "POST", review, map[string]string{"Authorization": "Bearer cl", "Content-Type": "text/plain"}, body); e.Code == "csrf_failed" {
		t.Errorf("bearer request refused as CSRF: %d %+v", resp.StatusCode, e)
	}

	// Without Origin and Sec-Fetch-Site (an older browser) the token and type still suffice.
	if resp, e := f.send(t, "POST", review, without("Origin"), body); resp.StatusCode != 200 {
		t.Fatalf("same-origin change without Origin = %d %+v", resp.StatusCode, e)
	}
	if resp, e := f.send(t, "POST", review, good(), body); resp.StatusCode != 200 {
		t.Fatalf("same-origin change = %d %+v", resp.StatusCode, e)
	}
	log, _ := f.store.AuditLog(ctx, docID, 10)
	if len(log) == 0 || log[0].Actor != (store.Actor{Name: keyName("cl"), Role: "clerk"}) {
		t.Errorf("audit log after a session change = %+v, want the signed-in key as actor", log)
	}

	// Uploads may be multipart.
	mp, ct := multipartBody(t, "000.00.15.H29-251201-0001", map[string][]byte{"a.png": tinyPNG(t)})
	raw, _ := io.ReadAll(mp)
	if resp, e := f.send(t, "POST", "/v1/batches", with("Content-Type", ct), string(raw)); resp.StatusCode != http.StatusAccepted {
		t.Errorf("multipart upload with the session = %d %+v", resp.StatusCode, e)
	}
	if resp, e := f.send(t, "POST", "/v1/batches", with("Origin", "http://127.0.0.1:1"), string(raw)); resp.StatusCode != 403 {
		t.Errorf("multipart upload from another origin = %d %+v", resp.StatusCode, e)
	}

	if err := s.SignOut(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.CSRF(ctx, token); ok {
		t.Error("CSRF token still given for a signed-out session")
	}
	if resp, _ := f.send(t, "GET", "/v1/documents/"+docID, map[string]string{"Cookie": cookie}, ""); resp.StatusCode != 401 {
		t.Errorf("GET after sign-out = %d, want 401", resp.StatusCode)
	}
	if resp, _ := f.send(t, "POST", review, good(), body); resp.StatusCode != 401 {
		t.Errorf("POST after sign-out = %d, want 401", resp.StatusCode)
	}
}

func TestSignInWithDatabaseKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	k, secret, err := f.store.CreateKey(ctx, "admin", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	s := f.sessions()
	token, ok, err := s.SignIn(ctx, secret)
	if err != nil || !ok {
		t.Fatalf("SignIn with a database key = %v, %v", ok, err)
	}
	sess, err := f.store.Session(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.Actor{Name: "key:" + k.ID, Role: "admin"}); sess.Actor != want {
		t.Errorf("session actor %+v, want %+v", sess.Actor, want)
	}
	if err := f.store.RevokeKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.SignIn(ctx, secret); ok {
		t.Error("signed in with a revoked key")
	}
}
