package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sohoa/sohoa/fixtures"
)

func runFixtures(ctx context.Context, cfg Config, args []string) error {
	fs := flag.NewFlagSet("fixtures", flag.ContinueOnError)
	out := fs.String("out", "", "output directory (required); truth.jsonl is written beside the scans")
	count := fs.Int("count", 34, "documents to generate")
	seed := fs.Int64("seed", 1, "random seed: the same seed gives the same documents")
	degrade := fs.Bool("degrade", true, "apply the seeded degradations (skew, rotation, noise, seals …)")
	formats := fs.String("formats", "png,jpeg,tiff,pdf", "output formats, comma-separated")
	types := fs.String("types", "", "taxonomy codes, comma-separated (default: every generated type)")
	dpi := fs.Int("dpi", 0, "resolution (default: 150–400 when degrading, else 300)")
	renderer := fs.String("renderer", "native", "layout: native (the generator's own) or html (HTML + CSS printed by headless Chromium, one page per document)")
	vbpl := fs.String("vbpl", "", "also render real legal texts from this vbpl_dev.jsonl.gz into DIR/vbpl (its own truth.jsonl)")
	vbplCount := fs.Int("vbpl-count", 40, "with --vbpl: documents to render")
	samples := fs.Bool("samples", false, "write the committed demo samples (fixtures/samples) instead")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: sohoa fixtures --out DIR [flags]\n\nGenerates labelled synthetic scans of Vietnamese records for tests, eval and bench.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	if *samples {
		return fixtures.WriteSamples(*out)
	}
	opt := fixtures.Options{Seed: *seed, Count: *count, Degrade: *degrade, Formats: splitList(*formats), Types: splitList(*types), DPI: *dpi, Renderer: *renderer}
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
