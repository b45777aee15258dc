package main

import (
	"context"
	"errors"
)

func runFixtures(ctx context.Context, cfg Config, args []string) error {
	return errors.New("fixtures: not implemented yet")
}
