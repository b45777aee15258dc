package main

import (
	"context"
	"os"

	"github.com/sohoa/sohoa/inproc"
	"github.com/sohoa/sohoa/record"
)

func runProcess(ctx context.Context, cfg Config, args []string) error {
	fs := newFlags("process", "usage: sohoa process [--dossier ID] [--json] FILE...\n\nRuns every stage in this process, without Redis, Meilisearch or a database.\nExit status 1 if any file failed.")
	dossier := fs.String("dossier", "", "dossier code (mã hồ sơ) to link the results to")
	asJSON := fs.Bool("json", false, "print one JSON object per file (JSON Lines), in input order")
	noSplit := fs.Bool("no-split", false, "keep every file one document (by default a file whose pages hold several documents is split into them, listed under parts)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError(fs)
	}
	if *dossier != "" {
		id, err := record.ParseDossierID(*dossier)
		if err != nil {
			return err
		}
		*dossier = id.String()
	}
	stages, pool, err := newStages(cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	stages.KeepWhole = *noSplit
	results := inproc.Files(ctx, stages, fs.Args(), cfg.OCRWorkers, cfg.MaxFileBytes)
	failed := false
	for _, r := range results {
		r.DossierID = *dossier
		failed = failed || r.Error != ""
		if *asJSON {
			inproc.WriteJSON(os.Stdout, r)
		} else {
			inproc.WriteText(os.Stdout, r)
		}
	}
	if failed {
		return errSomeFailed
	}
	return nil
}
