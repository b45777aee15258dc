package main

import (
	"context"
	"fmt"
	"os"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/indexdoc"
	"github.com/sohoa/sohoa/store"
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
	docs, err := db.DocumentsWithStatus(ctx, store.StatusIndexed)
	if err != nil {
		return err
	}
	const batch = 100
	for start := 0; start < len(docs); start += batch {
		var out []index.Doc
		for _, d := range docs[start:min(start+batch, len(docs))] {
			doc, err := indexdoc.Load(ctx, db, d.ID)
			if err != nil {
				return err
			}
			out = append(out, doc)
		}
		if err := ix.Upsert(ctx, out...); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "\rreindexed %d/%d", start+len(out), len(docs))
	}
	fmt.Fprintf(os.Stderr, "\rreindexed %d document(s) into %s\n", len(docs), ix.UID())
	return nil
}
