package main

import (
	"context"
	"errors"
)

func runWorker(ctx context.Context, cfg Config, args []string) error {
	return errors.New("worker: not implemented yet")
}
