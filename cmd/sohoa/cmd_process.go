package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/record"
)

func runProcess(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("process", flag.ContinueOnError)
	dossier := fs.String("dossier", "", "dossier code (mã hồ sơ) to link the results to")
	asJSON := fs.Bool("json", false, "print one JSON object per file (JSON Lines), in input order")
	noSplit := fs.Bool("no-split", false, "keep every file one document (by default a file whose pages hold several documents is split into them, listed under parts)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: sohoa process [--dossier ID] [--json] FILE...\n\nRuns every stage in this process, without Redis, Meilisearch or a database.\nExit status 1 if any file failed.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
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
	results := processFiles(ctx, stages, fs.Args(), cfg.OCRWorkers, cfg.MaxFileBytes)
	failed := false
	for _, r := range results {
		r.DossierID = *dossier
		failed = failed || r.Error != ""
		if *asJSON {
			printJSON(os.Stdout, r)
		} else {
			printHuman(os.Stdout, r)
		}
	}
	if failed {
		return errSomeFailed
	}
	return nil
}

// processFiles runs the pipeline on files, several at once, and returns the results in input
// order. A file that fails gives a Result with Error; the others go on.
func processFiles(ctx context.Context, st *pipeline.Stages, files []string, workers int, maxBytes int64) []pipeline.Result {
	results := make([]pipeline.Result, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, workers))
	for i, f := range files {
		g.Go(func() error {
			results[i] = processFile(gctx, st, f, maxBytes)
			return nil
		})
	}
	g.Wait()
	return results
}

func processFile(ctx context.Context, st *pipeline.Stages, path string, maxBytes int64) pipeline.Result {
	fail := func(msg string) pipeline.Result { return pipeline.Result{File: path, Error: msg} }
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return fail("cannot read the file: " + strings.TrimPrefix(err.Error(), "stat "+path+": "))
	case fi.IsDir():
		return fail("is a directory, not a file")
	case maxBytes > 0 && fi.Size() > maxBytes:
		return fail(fmt.Sprintf("file of %d MB exceeds the limit of %d MB (SOHOA_MAX_FILE_MB)", fi.Size()>>20, maxBytes>>20))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fail("cannot read the file: " + err.Error())
	}
	res, _ := st.Process(ctx, path, data)
	res.File = path
	return res
}

func printJSON(w io.Writer, r pipeline.Result) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(r)
}

func printHuman(w io.Writer, r pipeline.Result) {
	if r.Error != "" {
		fmt.Fprintf(w, "%s: FAILED: %s\n", r.File, r.Error)
		return
	}
	review := ""
	if r.NeedsReview {
		review = " (needs review)"
	}
	if len(r.Parts) > 0 {
		fmt.Fprintf(w, "%s: %d documents in %d page(s)\n", r.File, len(r.Parts), len(r.Pages))
		for i, p := range r.Parts {
			review := ""
			if p.NeedsReview {
				review = " (needs review)"
			}
			fmt.Fprintf(w, " %d. pages %d-%d (%s): %s %.2f%s\n", i+1, p.FirstPage, p.LastPage, p.Reason, p.DocType, p.DocTypeConfidence, review)
			printFields(w, p.Fields)
		}
		return
	}
	fmt.Fprintf(w, "%s: %s %.2f, %d page(s)%s\n", r.File, r.DocType, r.DocTypeConfidence, len(r.Pages), review)
	printFields(w, r.Fields)
}

func printFields(w io.Writer, fields record.Fields) {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f := fields[n]
		mark := ""
		if !f.Valid {
			mark = "  ✗ invalid"
		}
		fmt.Fprintf(w, "  %-22s %s  (%.2f)%s\n", n, f.Value, f.Confidence, mark)
	}
}
