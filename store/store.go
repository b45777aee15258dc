// Package store is sohoa's system of record: batches, documents, pages with their words,
// extracted fields, review state and the audit log in SQL, and originals and page images in a
// content-addressed blob store. The search index is derived from it.
//
// It is the only package that imports a database driver; it must not import the queue,
// search or HTTP packages.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql migrations_pg/*.sql
var migrationsFS embed.FS

// Document states, in the order a document goes through them.
const (
	StatusReceived   = "received"   // stored, not yet queued
	StatusQueued     = "queued"     // waiting for or in the pipeline
	StatusProcessing = "processing" // pages being prepared or recognised
	StatusIndexed    = "indexed"    // every stage done
	StatusFailed     = "failed"     // bad input: Error says why
)

// Review states.
const (
	ReviewNone     = ""             // not yet extracted
	ReviewNeeded   = "needs_review" // a clerk must look at it
	ReviewAuto     = "auto"         // extraction confident; no review needed
	ReviewApproved = "approved"     // a clerk approved it
)

// SQL is the store on a SQL database. SQLite is the default; its file may be shared by the
// serve and worker processes of one machine (WAL mode, busy timeout). PostgreSQL serves many
// hosts. Both run the same statements (see dialect.go) from their own migrations.
type SQL struct {
	db  *db
	now func() time.Time
}

// Open opens the database named by dsn: a postgres:// or postgresql:// URL opens PostgreSQL,
// anything else is the path of a SQLite file.
func Open(ctx context.Context, dsn string) (*SQL, error) {
	if IsPostgres(dsn) {
		return OpenPostgres(ctx, dsn)
	}
	return OpenSQLite(ctx, dsn)
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// OpenSQLite opens (and creates or migrates) the SQLite database at path.
func OpenSQLite(ctx context.Context, path string) (*SQL, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("creating database directory: %w", err)
	}
	q := url.Values{}
	// WAL lets readers and one writer work at once; FULL sync makes a commit durable before
	// the API acknowledges an upload; immediate transactions avoid upgrade deadlocks between
	// the serve and worker processes. The busy timeout comes first: pragmas run in order, and
	// switching a new file to WAL takes a lock that the other process may hold while it does
	// the same.
	for _, p := range []string{"busy_timeout(15000)", "journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	pool, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	pool.SetMaxOpenConns(4)
	s := &SQL{db: &db{pool: pool, dialect: sqliteDialect}, now: time.Now}
	// Set-up (the first connection's pragmas, WAL included, and the migrations) runs under a
	// file lock beside the database, so processes opening it together take turns.
	unlock, err := lockFile(ctx, path+".lock")
	if err != nil {
		pool.Close()
		return nil, err
	}
	defer unlock()
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("opening database: %w", err)
	}
	if err := s.migrate(ctx, "migrations", s.applyMigration); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// migrate applies the migrations the database has not had yet, in order, each in its own
// transaction with PRAGMA user_version recording how far it got. OpenSQLite holds the file
// lock around it, so a serve and a worker starting together do not interleave: the second
// waits, then finds the version already raised.
func (s *SQL) migrate(ctx context.Context, dir string, apply func(ctx context.Context, version int, name string) error) error {
	files, err := fs.Glob(migrationsFS, dir+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	for i, name := range files {
		version := i + 1
		if err := apply(ctx, version, name); err != nil {
			return fmt.Errorf("database migration %s: %w", path.Base(name), err)
		}
	}
	return nil
}

func (s *SQL) applyMigration(ctx context.Context, version int, name string) error {
	body, err := migrationsFS.ReadFile(name)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return err
	}
	if have >= version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
		return err
	}
	return tx.Commit()
}

// Close closes the database; it is safe to call twice.
func (s *SQL) Close() error {
	if s.db == nil {
		return nil
	}
	err := s.db.Close()
	s.db = nil
	return err
}

// Ping checks the database answers.
func (s *SQL) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// stampLayout is RFC 3339 with a fixed-width fraction, so that stamps sort as strings (with
// RFC3339Nano "…:00.5Z" sorts before "…:00Z") and time ranges can be compared in SQL.
const stampLayout = "2006-01-02T15:04:05.000000000Z07:00"

func (s *SQL) stamp() string { return s.now().UTC().Format(stampLayout) }

// Stamp formats t as the store writes times, for range filters.
func Stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

// DocumentID derives a document's ID from its dossier and content, so that uploading the same
// bytes into the same dossier again names the same document.
func DocumentID(dossierID string, blob Ref) string {
	sum := sha256.Sum256([]byte(dossierID + "\x00" + string(blob)))
	return "d" + hex.EncodeToString(sum[:10])
}

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return err
}
