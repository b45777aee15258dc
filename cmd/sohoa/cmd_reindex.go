package main

import (
	"context"
	"errors"
)

func runReindex(ctx context.Context, cfg Config, args []string) error {
	return errors.New("reindex: not implemented yet")
}
