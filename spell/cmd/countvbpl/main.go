// Command countvbpl counts the syllables and syllable pairs of the real legal texts kept for
// the language model (the half of shared/data/vbpl that the fixtures never render) and writes
// the compressed counts package spell embeds. Run it through `go generate ./spell` from the
// project root; it is the only part of spell that reads ../shared.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/spell"
)

func main() {
	src := flag.String("src", "../../shared/data/vbpl/vbpl_dev.jsonl.gz", "vbpl_dev.jsonl.gz")
	out := flag.String("out", "syllables.gz", "where to write the counts")
	minUni := flag.Int("min-syllable", 2, "drop syllables seen fewer times")
	minPair := flag.Int("min-pair", 2, "drop pairs seen fewer times")
	flag.Parse()
	if err := run(*src, *out, *minUni, *minPair); err != nil {
		fmt.Fprintln(os.Stderr, "countvbpl:", err)
		os.Exit(1)
	}
}

func run(src, out string, minUni, minPair int) error {
	recs, err := fixtures.ReadVBPL(src)
	if err != nil {
		return err
	}
	c := spell.NewCounts()
	n := 0
	for _, r := range recs {
		if r.BodyKind != "full_text" || !r.ForLanguageModel() {
			continue
		}
		c.Add(r.Body)
		n++
	}
	header := []string{
		fmt.Sprintf("syllable and pair counts of the body_text of %d full-text records of vbpl_dev.jsonl.gz (those fixtures.VBPLRecord.ForLanguageModel keeps for the model, never rendered)", n),
		"source: vbpl.vn via phanbasongtoan112-art/vbpl-layout-detection data/raw_html at dcebf5df7b76061971c8b4afdd900a372a816f33 (MIT); legal texts are not protected by copyright (Vietnamese IP Law art. 15)",
		fmt.Sprintf("rebuilt by: go generate ./spell (go run ./cmd/countvbpl -min-syllable %d -min-pair %d)", minUni, minPair),
	}
	var buf bytes.Buffer
	if err := c.Write(&buf, header, minUni, minPair); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	return nil
}
