package store

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestIsFull(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"ENOSPC from a blob write", fmt.Errorf("writing blob: %w", &fs.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}), true},
		{"quota", fmt.Errorf("storing: %w", syscall.EDQUOT), true},
		{"PostgreSQL disk_full", fmt.Errorf("insert: %w", &pgconn.PgError{Code: "53100"}), true},
		{"PostgreSQL unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"not found", ErrNotFound, false},
		{"other I/O error", syscall.EIO, false},
		{"nil", nil, false},
		{"plain text mentioning space", errors.New("no space left on device"), false},
	} {
		if got := IsFull(tc.err); got != tc.want {
			t.Errorf("%s: IsFull = %v, want %v", tc.name, got, tc.want)
		}
	}
}
