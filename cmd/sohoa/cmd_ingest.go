package main

import (
	"context"
	"errors"
)

func runIngest(ctx context.Context, cfg Config, args []string) error {
	return errors.New("ingest: not implemented yet")
}
