package main

import (
	"context"
	"errors"
)

func runProcess(ctx context.Context, cfg Config, args []string) error {
	return errors.New("process: not implemented yet")
}
