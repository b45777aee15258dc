package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// migrationLockKey is the advisory lock every sohoa process takes to migrate a PostgreSQL
// database, so serve and workers on many hosts can start together.
const migrationLockKey = 0x736f686f61 // "sohoa"

// OpenPostgres opens (and migrates) the PostgreSQL database at url, e.g.
// postgres://sohoa@db.internal:5432/sohoa?sslmode=require.
func OpenPostgres(ctx context.Context, url string) (*SQL, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	pool.SetMaxOpenConns(8)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("opening database: %w", err)
	}
	s := &SQL{db: &db{pool: pool, dialect: postgresDialect}, now: time.Now}
	if err := s.migrate(ctx, "migrations_pg", s.applyPostgresMigration); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// applyPostgresMigration applies one migration in its own transaction, which first takes the
// transaction-scoped advisory lock: a second process waits there, then finds the version
// already recorded. The version table is created under the lock too, because concurrent
// CREATE TABLE IF NOT EXISTS can still fail on PostgreSQL's catalogue.
func (s *SQL) applyPostgresMigration(ctx context.Context, version int, name string) error {
	body, err := migrationsFS.ReadFile(name)
	if err != nil {
		return err
	}
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer t.Rollback()
	if _, err := t.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var have int
	err = t.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&have)
	if err != nil {
		return err
	}
	if have >= version {
		return nil
	}
	if _, err := t.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := t.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, version); err != nil {
		return err
	}
	return t.Commit()
}
