package main

import (
	"context"
	"errors"
)

func runServe(ctx context.Context, cfg Config, args []string) error {
	return errors.New("serve: not implemented yet")
}
