package main

import (
	"testing"

	"github.com/sohoa/sohoa/store/storetest"
)

// TestEndToEndPostgres is the end-to-end path with serve and worker sharing a PostgreSQL
// database, as hosts of a cluster do.
func TestEndToEndPostgres(t *testing.T) {
	endToEnd(t, map[string]string{"SOHOA_DATABASE": storetest.Schema(t)})
}
