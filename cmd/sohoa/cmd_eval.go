package main

import (
	"context"
	"errors"
)

func runEval(ctx context.Context, cfg Config, args []string) error {
	return errors.New("eval: not implemented yet")
}
