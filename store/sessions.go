package store

import (
	"context"
	"fmt"
	"time"
)

// Session is a signed-in UI session. The browser holds only the session token; the row
// holds its hash, who signed in, and the CSRF token the pages must echo on every change.
type Session struct {
	Actor     Actor
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// CreateSession starts a session for actor lasting ttl and returns its token, the only copy
// of which goes to the browser. It also drops sessions that ended long ago, so the table
// stays as small as the number of people signed in.
func (s *SQL) CreateSession(ctx context.Context, actor Actor, ttl time.Duration) (string, Session, error) {
	token, err := randomToken(32)
	if err != nil {
		return "", Session{}, err
	}
	csrf, err := randomToken(32)
	if err != nil {
		return "", Session{}, err
	}
	now := s.now().UTC()
	sess := Session{Actor: actor, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < ?`, fixedStamp(now.Add(-24*time.Hour))); err != nil {
		return "", Session{}, fmt.Errorf("dropping old sessions: %w", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO sessions (hash, actor, role, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		HashToken(token), actor.Name, actor.Role, csrf, fixedStamp(sess.CreatedAt), fixedStamp(sess.ExpiresAt))
	if err != nil {
		return "", Session{}, fmt.Errorf("storing session: %w", err)
	}
	sess.CreatedAt, sess.ExpiresAt = parseFixedStamp(fixedStamp(sess.CreatedAt)), parseFixedStamp(fixedStamp(sess.ExpiresAt))
	return token, sess, nil
}

// Session returns the live session whose token is token; an unknown, expired or revoked
// one is ErrNotFound.
func (s *SQL) Session(ctx context.Context, token string) (Session, error) {
	var sess Session
	var created, expires string
	err := s.db.QueryRowContext(ctx, `SELECT actor, role, csrf, created_at, expires_at FROM sessions
		WHERE hash = ? AND revoked_at = '' AND expires_at > ?`, HashToken(token), fixedStamp(s.now())).
		Scan(&sess.Actor.Name, &sess.Actor.Role, &sess.CSRF, &created, &expires)
	if err != nil {
		return Session{}, notFound(err, "session")
	}
	sess.CreatedAt, sess.ExpiresAt = parseFixedStamp(created), parseFixedStamp(expires)
	return sess, nil
}

// RevokeSession ends the session whose token is token. Ending an unknown or already ended
// session is not an error: signing out twice leaves the clerk signed out.
func (s *SQL) RevokeSession(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE sessions SET revoked_at = ? WHERE hash = ? AND revoked_at = ''`,
		fixedStamp(s.now()), HashToken(token))
	if err != nil {
		return fmt.Errorf("revoking session: %w", err)
	}
	return nil
}
