package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// dialect is what differs between the SQL backends for the statements the store writes once:
// how parameters are numbered and which Go values the driver takes for its columns.
type dialect int

const (
	sqliteDialect dialect = iota
	postgresDialect
)

// db wraps the pool so that every statement, written once with SQLite's "?" placeholders,
// goes to the backend in its own form. Rows and Row are database/sql's, so callers do not
// change.
type db struct {
	pool    *sql.DB
	dialect dialect
}

// tx is a transaction of db, rebinding the same way.
type tx struct {
	tx      *sql.Tx
	dialect dialect
}

func (d dialect) bind(query string, args []any) (string, []any) {
	if d != postgresDialect || len(args) == 0 {
		return query, args
	}
	var b strings.Builder
	n := 0
	inString := false
	for _, r := range query {
		switch {
		case r == '\'':
			inString = !inString
		case r == '?' && !inString:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	// The flag columns are integers on both backends (0/1, so the SQL comparing them is
	// shared); pgx does not encode a Go bool into an integer column, so it gets 0 or 1.
	out := make([]any, len(args))
	for i, a := range args {
		if v, ok := a.(bool); ok {
			a = 0
			if v {
				a = 1
			}
		}
		out[i] = a
	}
	return b.String(), out
}

func (d *db) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query, args = d.dialect.bind(query, args)
	return d.pool.ExecContext(ctx, query, args...)
}

func (d *db) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = d.dialect.bind(query, args)
	return d.pool.QueryContext(ctx, query, args...)
}

func (d *db) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = d.dialect.bind(query, args)
	return d.pool.QueryRowContext(ctx, query, args...)
}

func (d *db) BeginTx(ctx context.Context, opts *sql.TxOptions) (*tx, error) {
	t, err := d.pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &tx{tx: t, dialect: d.dialect}, nil
}

func (d *db) PingContext(ctx context.Context) error { return d.pool.PingContext(ctx) }
func (d *db) Close() error                          { return d.pool.Close() }

func (t *tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query, args = t.dialect.bind(query, args)
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = t.dialect.bind(query, args)
	return t.tx.QueryContext(ctx, query, args...)
}

func (t *tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = t.dialect.bind(query, args)
	return t.tx.QueryRowContext(ctx, query, args...)
}

func (t *tx) Commit() error   { return t.tx.Commit() }
func (t *tx) Rollback() error { return t.tx.Rollback() }
