package harness

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/split"
)

// Split measures how well the boundaries of whole-dossier scans are found (`sohoa eval
// --split-scans N`): N generated scans of 3–12 degraded documents each, in TIFF and PDF, with
// blank and barcode separator sheets now and then, each prepared and recognised as the worker
// does it and split as the worker splits it (pipeline.Stages.Process: barcodes read on the
// near-empty pages only).
// It prints the boundaries' precision, recall and F1 and every scan with a mistake to out,
// and a line per scan to progress.
func Split(ctx context.Context, stages *pipeline.Stages, n int, seed int64, out, progress io.Writer) error {
	dir, err := os.MkdirTemp("", "sohoa-eval-split-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var sc split.Score
	docs, pages, cont, seps := 0, 0, 0, 0
	start := time.Now()
	for i := range n {
		format := []string{"tiff", "pdf"}[i%2]
		truth, err := fixtures.GenerateScan(ctx, dir, fmt.Sprintf("scan%03d", i+1), fixtures.ScanOptions{Seed: seed*1000 + int64(i), Format: format, Degrade: true})
		if err != nil {
			return err
		}
		path := filepath.Join(dir, truth.File)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		res, err := stages.Process(ctx, truth.File, data)
		if err != nil {
			return fmt.Errorf("processing %s: %w", truth.File, err)
		}
		// The in-process runner splits as the worker does (barcodes read on the near-empty
		// prepared pages).
		got := []split.Part{{First: 1, Last: truth.Pages}}
		if len(res.Parts) > 0 {
			got = got[:0]
			for _, p := range res.Parts {
				got = append(got, split.Part{First: p.FirstPage, Last: p.LastPage, Reason: p.Reason})
			}
		}
		want := make([]split.Part, len(truth.Parts))
		inParts := 0
		for j, p := range truth.Parts {
			want[j] = split.Part{First: p.First, Last: p.Last}
			inParts += p.Last - p.First + 1
		}
		var one split.Score
		one.Add(want, got)
		sc.Add(want, got)
		docs, pages, cont, seps = docs+len(want), pages+truth.Pages, cont+inParts-len(want), seps+truth.Pages-inParts
		if one.Correct != one.Found || one.Correct != one.True {
			fmt.Fprintf(out, "%s: true starts %v, found %v\n", truth.File, starts(want), starts(got))
		}
		fmt.Fprintf(progress, "scan %d/%d: %d documents, %d pages, %d of %d boundaries found right (so far P %.3f R %.3f)\n",
			i+1, n, len(want), truth.Pages, one.Correct, one.True, sc.Precision(), sc.Recall())
	}
	fmt.Fprintf(out, "SPLIT  %d scans, %d documents, %d pages (%d continuation pages, %d separator sheets), %.0f s\nboundaries  P %.3f  R %.3f  F1 %.3f  (%d found, %d true, %d right)\n",
		n, docs, pages, cont, seps, time.Since(start).Seconds(), sc.Precision(), sc.Recall(), sc.F1(), sc.Found, sc.True, sc.Correct)
	return nil
}

func starts(parts []split.Part) []int {
	out := make([]int, len(parts))
	for i, p := range parts {
		out[i] = p.First
	}
	return out
}
