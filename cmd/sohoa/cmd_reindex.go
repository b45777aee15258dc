package main

import (
	"context"
	"fmt"
	"os"

	"github.com/sohoa/sohoa/indexdoc"
)

func runReindex(ctx context.Context, cfg Config, args []string) error {
	fs := newFlags("reindex", "usage: sohoa reindex\n\nRebuilds the search index from the store (the store is the system of record).")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, _, err := openStores(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	ix := newIndex(cfg)
	if err := ix.EnsureSettings(ctx); err != nil {
		return err
	}
	total := 0
	err = indexdoc.Rebuild(ctx, db, ix, func(done, n int) {
		total = n
		fmt.Fprintf(os.Stderr, "\rreindexed %d/%d", done, n)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "\rreindexed %d document(s) into %s\n", total, ix.UID())
	return nil
}
