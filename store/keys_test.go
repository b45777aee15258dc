package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// clock is a settable clock for the store's now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func openWithClock(t *testing.T) (*SQL, *clock) {
	t.Helper()
	s := openTest(t)
	c := &clock{t: time.Date(2026, 11, 3, 8, 0, 0, 0, time.UTC)}
	s.now = c.now
	return s, c
}

func TestKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := openWithClock(t)

	if ok, err := s.HasActiveKeys(ctx); err != nil || ok {
		t.Fatalf("empty store HasActiveKeys = %v, %v; want false", ok, err)
	}
	forever, secret, err := s.CreateKey(ctx, "clerk", "Bộ phận một cửa", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, keyPrefix) || len(secret) < len(keyPrefix)+43 {
		t.Errorf("secret %q is not a prefixed 256-bit token", secret)
	}
	day, daySecret, err := s.CreateKey(ctx, "reader", "", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if forever.ID == day.ID || secret == daySecret {
		t.Fatal("two keys share an id or a secret")
	}

	// The secret is stored only hashed.
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_keys WHERE hash = ? OR id = ? OR label = ?`, secret, secret, secret).Scan(&n); err != nil || n != 0 {
		t.Errorf("the raw secret is in the table (%d rows, %v)", n, err)
	}

	got, err := s.KeyByToken(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(forever, got); diff != "" {
		t.Errorf("KeyByToken (-created +read):\n%s", diff)
	}
	if _, err := s.KeyByToken(ctx, secret+"x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("wrong secret: %v, want ErrNotFound", err)
	}

	// Expiry: valid just before, refused at and after.
	c.t = c.t.Add(24*time.Hour - time.Second)
	if _, err := s.KeyByToken(ctx, daySecret); err != nil {
		t.Errorf("key a second before expiry: %v", err)
	}
	c.t = c.t.Add(time.Second)
	if _, err := s.KeyByToken(ctx, daySecret); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired key: %v, want ErrNotFound", err)
	}

	if err := s.RevokeKey(ctx, forever.ID); err != nil {
		t.Fatal(err)
	}
	revokedAt := c.t
	if _, err := s.KeyByToken(ctx, secret); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked key: %v, want ErrNotFound", err)
	}
	if ok, err := s.HasActiveKeys(ctx); err != nil || ok {
		t.Errorf("HasActiveKeys with one expired and one revoked = %v, %v; want false", ok, err)
	}
	c.t = c.t.Add(time.Hour)
	if err := s.RevokeKey(ctx, forever.ID); err != nil {
		t.Errorf("revoking twice: %v", err)
	}
	if err := s.RevokeKey(ctx, "k-none"); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoking an unknown key: %v, want ErrNotFound", err)
	}

	keys, err := s.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	forever.RevokedAt = revokedAt
	if diff := cmp.Diff([]APIKey{forever, day}, keys); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}

	if _, _, err := s.CreateKey(ctx, "admin", "", 0); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.HasActiveKeys(ctx); err != nil || !ok {
		t.Errorf("HasActiveKeys with a live key = %v, %v; want true", ok, err)
	}
}

func TestSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := openWithClock(t)
	actor := Actor{Name: "key:k01", Role: "clerk"}

	token, sess, err := s.CreateSession(ctx, actor, 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := s.CreateSession(ctx, actor, 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if token == other || sess.CSRF == "" || sess.CSRF == token {
		t.Fatal("sessions share a token, or the CSRF token is empty or the session token")
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE hash = ?`, token).Scan(&n); err != nil || n != 0 {
		t.Errorf("the raw session token is stored (%d rows, %v)", n, err)
	}

	got, err := s.Session(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sess, got); diff != "" {
		t.Errorf("Session (-created +read):\n%s", diff)
	}
	if _, err := s.Session(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown session: %v, want ErrNotFound", err)
	}

	if err := s.RevokeSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, token); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked session: %v, want ErrNotFound", err)
	}
	if err := s.RevokeSession(ctx, token); err != nil {
		t.Errorf("signing out twice: %v", err)
	}
	if _, err := s.Session(ctx, other); err != nil {
		t.Errorf("revoking one session ended another: %v", err)
	}

	c.t = c.t.Add(12 * time.Hour)
	if _, err := s.Session(ctx, other); !errors.Is(err, ErrNotFound) {
		t.Errorf("expired session: %v, want ErrNotFound", err)
	}
	// A day later a new sign-in sweeps the ended sessions away.
	c.t = c.t.Add(25 * time.Hour)
	if _, _, err := s.CreateSession(ctx, actor, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d sessions left after the sweep (%v), want 1", n, err)
	}
}
