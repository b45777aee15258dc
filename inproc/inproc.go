// Package inproc runs the whole pipeline in this process over files on disk, without Redis,
// Meilisearch or a database: what `sohoa process`, `sohoa eval` and `sohoa bench` share. It
// reads the files, keeps the inputs' order in the results and prints them for a person or as
// JSON Lines (the `process --json` contract of DESIGN.md).
//
// It sits above the stages (it takes a *pipeline.Stages built by the caller) and opens no
// store, queue, search index or connection of its own: it reads files and calls the stages.
package inproc

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/record"
)

// Runner is how a caller that builds its stages late runs files in this process (`sohoa eval`
// and `sohoa bench`, which need no OCR for some of their modes): the stages' factory, how
// many files at once, and the size limit.
type Runner struct {
	Workers      int   // files at once, one per OCR client
	MaxFileBytes int64 // larger files fail; 0 for no limit
	// NewStages builds the stages and the OCR pool under them, which its caller closes.
	NewStages func() (*pipeline.Stages, *ocr.Pool, error)
}

// Files runs the pipeline on files, workers at once, and returns the results in input
// order. A file that fails gives a Result with Error; the others go on.
func Files(ctx context.Context, st *pipeline.Stages, files []string, workers int, maxBytes int64) []pipeline.Result {
	results := make([]pipeline.Result, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, workers))
	for i, f := range files {
		g.Go(func() error {
			results[i] = File(gctx, st, f, maxBytes)
			return nil
		})
	}
	g.Wait()
	return results
}

// File runs the pipeline on the file at path. A file that cannot be read, is a directory or
// is larger than maxBytes (when above 0) gives a Result with only File and Error set.
func File(ctx context.Context, st *pipeline.Stages, path string, maxBytes int64) pipeline.Result {
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

// WriteJSON writes r as one line of JSON, with <, > and & as they are (Vietnamese text and
// field values are read by people and scripts, not embedded in HTML).
func WriteJSON(w io.Writer, r pipeline.Result) {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(r)
}

// WriteText writes r for a person: the type and its confidence, then the fields, per part
// when the file was split into several documents.
func WriteText(w io.Writer, r pipeline.Result) {
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
			writeFields(w, p.Fields)
		}
		return
	}
	fmt.Fprintf(w, "%s: %s %.2f, %d page(s)%s\n", r.File, r.DocType, r.DocTypeConfidence, len(r.Pages), review)
	writeFields(w, r.Fields)
}

func writeFields(w io.Writer, fields record.Fields) {
	for _, n := range slices.Sorted(maps.Keys(fields)) {
		f := fields[n]
		mark := ""
		if !f.Valid {
			mark = "  ✗ invalid"
		}
		fmt.Fprintf(w, "  %-22s %s  (%.2f)%s\n", n, f.Value, f.Confidence, mark)
	}
}
