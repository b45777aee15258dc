package main

import (
	"context"
	"errors"
)

func runBench(ctx context.Context, cfg Config, args []string) error {
	return errors.New("bench: not implemented yet")
}
