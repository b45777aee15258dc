package store

import (
	"errors"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
)

// IsFull reports whether err comes from storage that has run out of space: a blob write
// (ENOSPC), SQLite (SQLITE_FULL) or PostgreSQL (class 53, insufficient resources: disk_full,
// out_of_memory). The API answers these with 507 so a client or clerk knows that nothing was
// stored and that retrying later, once space is freed, is the remedy, not a bug report.
func IsFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) && lite.Code()&0xff == sqliteFull {
		return true
	}
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "53100" || pg.Code == "53200")
}

// sqliteFull is SQLITE_FULL, the primary result code for "database or disk is full".
const sqliteFull = 13
