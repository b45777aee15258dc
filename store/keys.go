package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// APIKey is an API key as the store keeps it: everything but the secret, which exists only
// in the hands of whoever `sohoa keys create` showed it to.
type APIKey struct {
	ID        string
	Role      string
	Label     string
	CreatedAt time.Time
	ExpiresAt time.Time // zero: never expires
	RevokedAt time.Time // zero: not revoked
}

// keyPrefix marks sohoa's secrets so that secret scanners and people recognise a leaked one.
const keyPrefix = "sohoa_"

// fixedStampLayout is fixed-width UTC, unlike RFC 3339 with trimmed fractions, so the expiry
// columns of api_keys and sessions compare correctly as strings inside SQL.
const fixedStampLayout = "2006-01-02T15:04:05.000000000Z"

func fixedStamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(fixedStampLayout)
}

func parseFixedStamp(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(fixedStampLayout, s)
	if err != nil {
		// Written only by fixedStamp; a row edited by hand counts as already past.
		return time.Unix(0, 0).UTC()
	}
	return t
}

// HashToken is how a secret (API key or session token) is stored and looked up: SHA-256 in
// hex. The secrets are 256-bit random strings, so a slow password hash would add nothing.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// randomToken returns n random bytes, URL-safe base64: cookie- and header-safe.
func randomToken(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("reading random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// CreateKey makes a new API key with the given role and label, valid for ttl (0: until
// revoked). It returns the key and its secret; only the secret's hash is stored.
func (s *SQL) CreateKey(ctx context.Context, role, label string, ttl time.Duration) (APIKey, string, error) {
	secret, err := randomToken(32)
	if err != nil {
		return APIKey{}, "", err
	}
	secret = keyPrefix + secret
	idBytes := make([]byte, 6)
	if _, err := rand.Read(idBytes); err != nil {
		return APIKey{}, "", fmt.Errorf("reading random bytes: %w", err)
	}
	now := s.now().UTC()
	k := APIKey{ID: "k" + hex.EncodeToString(idBytes), Role: role, Label: label, CreatedAt: now}
	if ttl > 0 {
		k.ExpiresAt = now.Add(ttl)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO api_keys (id, hash, role, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		k.ID, HashToken(secret), k.Role, k.Label, fixedStamp(k.CreatedAt), fixedStamp(k.ExpiresAt))
	if err != nil {
		return APIKey{}, "", fmt.Errorf("storing API key: %w", err)
	}
	// Round to what the database keeps, so the key returned equals the key read back.
	k.CreatedAt, k.ExpiresAt = parseFixedStamp(fixedStamp(k.CreatedAt)), parseFixedStamp(fixedStamp(k.ExpiresAt))
	return k, secret, nil
}

const keyColumns = `id, role, label, created_at, expires_at, revoked_at`

func scanKey(row interface{ Scan(...any) error }) (APIKey, error) {
	var k APIKey
	var created, expires, revoked string
	if err := row.Scan(&k.ID, &k.Role, &k.Label, &created, &expires, &revoked); err != nil {
		return APIKey{}, err
	}
	k.CreatedAt, k.ExpiresAt, k.RevokedAt = parseFixedStamp(created), parseFixedStamp(expires), parseFixedStamp(revoked)
	return k, nil
}

// KeyByToken returns the active key whose secret is token. An unknown, expired or revoked
// key is ErrNotFound: the caller refuses all three alike.
func (s *SQL) KeyByToken(ctx context.Context, token string) (APIKey, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+keyColumns+` FROM api_keys
		WHERE hash = ? AND revoked_at = '' AND (expires_at = '' OR expires_at > ?)`,
		HashToken(token), fixedStamp(s.now()))
	k, err := scanKey(row)
	if err != nil {
		return APIKey{}, notFound(err, "API key")
	}
	return k, nil
}

// Keys lists every key, oldest first, revoked and expired ones included.
func (s *SQL) Keys(ctx context.Context) ([]APIKey, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+keyColumns+` FROM api_keys ORDER BY created_at, rowid`)
	if err != nil {
		return nil, fmt.Errorf("listing API keys: %w", err)
	}
	defer rows.Close()
	out := []APIKey{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, fmt.Errorf("listing API keys: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeKey revokes the key with this id from now on. Revoking a revoked key keeps the
// first revocation time; an unknown id is ErrNotFound.
func (s *SQL) RevokeKey(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE api_keys SET revoked_at = CASE WHEN revoked_at = '' THEN ? ELSE revoked_at END WHERE id = ?`,
		fixedStamp(s.now()), id)
	if err != nil {
		return fmt.Errorf("revoking API key %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("API key %s: %w", id, ErrNotFound)
	}
	return nil
}

// HasActiveKeys reports whether any key is neither expired nor revoked, so that serve can
// refuse to start with no way in.
func (s *SQL) HasActiveKeys(ctx context.Context) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, `SELECT 1 FROM api_keys WHERE revoked_at = '' AND (expires_at = '' OR expires_at > ?) LIMIT 1`,
		fixedStamp(s.now())).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("counting API keys: %w", err)
	}
	return true, nil
}
