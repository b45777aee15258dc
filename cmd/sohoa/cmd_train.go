package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/model"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/train"
)

// runTrain fits the model (package model) from the documents clerks approved in the store and
// from generated sets, and compares it with the model in use on held-out sets.
func runTrain(ctx context.Context, cfg Config, args []string) error {
	fs := newFlags("train", "usage: sohoa train [--sets DIR=PAGES,…] [--clerk-sets DIR=PAGES,…] [--store=false] [--types=false] [--eval DIR=PAGES,…] [--out FILE]\n\nFits the document-type model, the field-confidence calibration and the review threshold from\nclerks' corrections in the store and from generated sets, reproducibly (fixed seed, no OCR).")
	sets := fs.String("sets", "", "generated sets to learn from with their truth, DIR=PAGES,… (PAGES: the page cache `sohoa eval --set DIR --pages PAGES` filled)")
	clerkSets := fs.String("clerk-sets", "", "generated sets DIR=PAGES,… to put into the store (SOHOA_DATABASE) as processed and have a simulated clerk correct from the truth and approve, before learning from the store")
	fromStore := fs.Bool("store", true, "learn from the documents clerks approved in the store (SOHOA_DATABASE) and their corrections")
	evalSets := fs.String("eval", "", "held-out sets DIR=PAGES,… to compare the model in use (before) and the trained one (after) on")
	out := fs.String("out", "", "write the trained model to this file (model/default.json to make it the embedded default; SOHOA_MODEL to load it at start-up)")
	seed := fs.Int64("seed", train.DefaultOptions.Seed, "seed of the cross-fitting folds")
	target := fs.Float64("target", train.DefaultOptions.Target, "share of training documents the chosen threshold may leave wrong but unsent (cross-fitted)")
	reliability := fs.Bool("reliability", false, "also print the reliability tables of every result")
	types := fs.Bool("types", true, "fit the document-type model (false: the classifier stays the rules alone, as in the embedded default)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	extract.SetRawConfidence(true) // training sees the evidence scores, see package train
	tax, err := record.LoadTaxonomy()
	if err != nil {
		return err
	}
	p := train.NewPredictor(tax)
	before := model.Active()
	var docs []train.Doc
	var sources []string
	examples := 0
	if *sets != "" {
		d, err := loadSets(*sets)
		if err != nil {
			return err
		}
		docs, sources = append(docs, d...), append(sources, "sets "+*sets)
	}
	if *clerkSets != "" || *fromStore {
		db, err := store.Open(ctx, cfg.DatabaseURL) // corrections live in the SQL store: no blob store to open
		if err != nil {
			return err
		}
		defer db.Close()
		if *clerkSets != "" {
			d, err := loadSets(*clerkSets)
			if err != nil {
				return err
			}
			n, err := train.SimulateClerks(ctx, db, p, d, before)
			if err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "simulated clerks reviewed %d documents of %s: %d corrections and reclassifications\n", len(d), *clerkSets, n)
			sources = append(sources, "simulated clerks on "+*clerkSets)
		}
		d, n, err := train.LoadStore(ctx, db)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "the store holds %d approved documents and %d training examples\n", len(d), n)
		docs, examples = append(docs, d...), n
		sources = append(sources, "store")
	}
	opt := train.DefaultOptions
	opt.Seed, opt.Target, opt.NoTypes = *seed, *target, !*types
	name := "sohoa train: " + strings.Join(sources, "; ")
	m, sum, err := train.Fit(p, docs, before, name, opt)
	if err != nil {
		return err
	}
	m.Trained = model.Provenance{Seed: *seed, Sources: sources, Documents: sum.Documents, Examples: examples}
	for _, n := range sum.Fields {
		m.Trained.Fields += n
	}
	fmt.Printf("trained on %d documents, %d fields %v; threshold %.2f (cross-fitted confident-wrong target %.2f%%)\n",
		sum.Documents, m.Trained.Fields, sum.Fields, m.FieldThreshold, 100*opt.Target)
	fmt.Println("\ncross-fitted review policy on the training documents:")
	for _, pt := range sum.CrossFitted {
		if int(pt.Threshold*100)%5 == 0 || pt.Threshold >= 0.9 || pt.Threshold == m.FieldThreshold {
			fmt.Printf("  %.2f  sent %6.2f%%  confident-wrong %5.2f%%\n", pt.Threshold, 100*pt.Sent, 100*pt.ConfidentWrong)
		}
	}
	if *out != "" {
		if err := m.Save(*out); err != nil {
			return err
		}
		fmt.Printf("\nwrote %s\n", *out)
	}
	if *evalSets == "" {
		return nil
	}
	var results []train.Result
	var all []train.Doc
	specs := strings.Split(*evalSets, ",")
	for _, spec := range specs {
		d, err := loadSets(spec)
		if err != nil {
			return err
		}
		dir, _, _ := strings.Cut(spec, "=")
		all = append(all, d...)
		results = append(results, train.Evaluate(p, d, before, "before", dir), train.Evaluate(p, d, m, "after", dir))
	}
	if len(specs) > 1 {
		results = append(results, train.Evaluate(p, all, before, "before", "all"), train.Evaluate(p, all, m, "after", "all"))
	}
	fmt.Printf("\nbefore: %s\nafter: %s\n", before.Name, m.Name)
	fmt.Println()
	train.WriteComparison(os.Stdout, results)
	if *reliability {
		for _, r := range results {
			train.WriteReliability(os.Stdout, r)
		}
	}
	return nil
}

// loadSets reads DIR=PAGES,… generated sets with their page caches.
func loadSets(spec string) ([]train.Doc, error) {
	var docs []train.Doc
	for _, s := range strings.Split(spec, ",") {
		dir, pages, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("%q is not DIR=PAGES: %w", s, errUsage)
		}
		d, err := train.LoadSet(dir, pages)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d...)
	}
	return docs, nil
}

// useModel makes the model file of SOHOA_MODEL, when set, the one the process uses instead of
// the embedded default; it runs once at start-up, before any document is classified.
func useModel(cfg Config) error {
	if cfg.ModelPath == "" {
		return nil
	}
	m, err := model.Load(cfg.ModelPath)
	if err != nil {
		return fmt.Errorf("SOHOA_MODEL: %w", err)
	}
	model.Use(m)
	return nil
}
