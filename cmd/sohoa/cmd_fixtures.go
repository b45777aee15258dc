package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sohoa/sohoa/fixtures"
)

func runFixtures(ctx context.Context, cfg Config, args []string) error {
	var opt fixtures.Options
	fs := newFlags("fixtures", "usage: sohoa fixtures --out DIR [flags]\n\nGenerates labelled synthetic scans of Vietnamese records for tests, eval and bench.")
	out := fs.String("out", "", "output directory (required); truth.jsonl is written beside the scans")
	fs.IntVar(&opt.Count, "count", 34, "documents to generate")
	fs.Int64Var(&opt.Seed, "seed", 1, "random seed: the same seed gives the same documents")
	fs.BoolVar(&opt.Degrade, "degrade", true, "apply the seeded degradations (skew, rotation, noise, seals …)")
	formats := fs.String("formats", "png,jpeg,tiff,pdf", "output formats, comma-separated")
	types := fs.String("types", "", "taxonomy codes, comma-separated (default: every generated type)")
	fs.IntVar(&opt.DPI, "dpi", 0, "resolution (default: 150–400 when degrading, else 300)")
	fs.StringVar(&opt.Renderer, "renderer", "native", "layout: native (the generator's own) or html (HTML + CSS printed by headless Chromium, one page per document)")
	fs.BoolVar(&opt.TightHeader, "tight-header", false, "draw every Decree 30 header with its columns close, so the line finder joins the issuer's lines with the quốc hiệu or the number (without it, one html document in five is drawn so)")
	vbpl := fs.String("vbpl", "", "also render real legal texts from this vbpl_dev.jsonl.gz into DIR/vbpl (its own truth.jsonl)")
	vbplCount := fs.Int("vbpl-count", 40, "with --vbpl: documents to render")
	samples := fs.Bool("samples", false, "write the committed demo samples (fixtures/samples) instead")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return usageError(fs)
	}
	if *samples {
		return fixtures.WriteSamples(*out)
	}
	opt.Formats, opt.Types = splitList(*formats), splitList(*types)
	truths, err := fixtures.Generate(ctx, *out, opt)
	if err != nil {
		return err
	}
	pages := 0
	for _, t := range truths {
		pages += len(t.Pages)
	}
	fmt.Fprintf(os.Stderr, "wrote %d documents (%d pages) and truth.jsonl to %s\n", len(truths), pages, *out)
	if *vbpl != "" {
		vdir := filepath.Join(*out, "vbpl")
		vt, err := fixtures.RenderVBPL(ctx, *vbpl, vdir, *vbplCount, opt)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "rendered %d vbpl documents to %s\n", len(vt), vdir)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
