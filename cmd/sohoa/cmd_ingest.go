package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	sohoaclient "github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/ingest"
	"github.com/sohoa/sohoa/record"
)

func runIngest(ctx context.Context, cfg Config, args []string) error {
	fset := newFlags("ingest", "usage: sohoa ingest --dossier ID [--wait [--summary]] FILE_OR_FOLDER...\n\nUploads scans (PDF, TIFF, JPEG, PNG, WebP, BMP, zip) into a dossier through the API.")
	server := fset.String("server", "http://"+cfg.HTTPAddr, "sohoa API base URL")
	key := fset.String("key", cfg.ClientKey, "API key with the uploader role (default $SOHOA_API_KEY)")
	dossier := fset.String("dossier", "", "dossier code (mã hồ sơ) the files belong to (required)")
	wait := fset.Bool("wait", false, "follow the batch until every document is indexed or failed")
	summary := fset.Bool("summary", false, "with --wait: print the dossier's documents and fields at the end")
	search := fset.String("search", "", "with --summary: also run this search and print the hits")
	chunk := fset.Int("chunk", 50, "files per upload request")
	noSplit := fset.Bool("no-split", false, "keep every file one document (by default a file whose pages hold several documents is split into them)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() == 0 || *dossier == "" {
		return usageError(fset)
	}
	if _, err := record.ParseDossierID(*dossier); err != nil {
		return err
	}
	if *key == "" {
		return errors.New("no API key: pass --key or set SOHOA_API_KEY")
	}
	files, err := ingest.Collect(fset.Args())
	if err != nil {
		return err
	}
	c := sohoaclient.New(*server, *key, &http.Client{Timeout: 10 * time.Minute})
	c.KeepWhole = *noSplit
	var batches []string
	rejected := 0
	for start := 0; start < len(files); start += *chunk {
		part := files[start:min(start+*chunk, len(files))]
		res, err := c.Upload(ctx, *dossier, part)
		if err != nil {
			return err
		}
		batches = append(batches, res.Batch.ID)
		for _, it := range res.Items {
			switch {
			case it.Status == "rejected" || it.Status == "failed":
				rejected++
				fmt.Fprintf(os.Stderr, "  %s: %s\n", it.FileName, it.Error)
			case it.Duplicate:
				fmt.Fprintf(os.Stderr, "  %s: already in the dossier as %s\n", it.FileName, it.DocumentID)
			}
		}
		fmt.Fprintf(os.Stderr, "uploaded %d/%d files (batch %s)\n", min(start+*chunk, len(files)), len(files), res.Batch.ID)
	}
	if *wait {
		if err := ingest.Follow(ctx, c, batches, os.Stderr); err != nil {
			return err
		}
		if *summary {
			if err := ingest.WriteSummary(ctx, c, os.Stdout, *dossier, *search); err != nil {
				return err
			}
		}
	}
	if rejected > 0 {
		return errSomeFailed
	}
	return nil
}
