package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sohoa/sohoa/api"
	sohoaclient "github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/internal/progress"
	"github.com/sohoa/sohoa/record"
)

// ingestExts are the file types ingest picks up when walking a folder.
var ingestExts = map[string]bool{".pdf": true, ".png": true, ".jpg": true, ".jpeg": true, ".tif": true, ".tiff": true,
	".webp": true, ".bmp": true, ".zip": true}

func runIngest(ctx context.Context, cfg Config, args []string) error {
	fset := flag.NewFlagSet("ingest", flag.ContinueOnError)
	server := fset.String("server", "http://"+cfg.HTTPAddr, "sohoa API base URL")
	key := fset.String("key", cfg.ClientKey, "API key with the uploader role (default $SOHOA_API_KEY)")
	dossier := fset.String("dossier", "", "dossier code (mã hồ sơ) the files belong to (required)")
	wait := fset.Bool("wait", false, "follow the batch until every document is indexed or failed")
	summary := fset.Bool("summary", false, "with --wait: print the dossier's documents and fields at the end")
	search := fset.String("search", "", "with --summary: also run this search and print the hits")
	chunk := fset.Int("chunk", 50, "files per upload request")
	noSplit := fset.Bool("no-split", false, "keep every file one document (by default a file whose pages hold several documents is split into them)")
	fset.Usage = func() {
		fmt.Fprintln(fset.Output(), "usage: sohoa ingest --dossier ID [--wait [--summary]] FILE_OR_FOLDER...\n\nUploads scans (PDF, TIFF, JPEG, PNG, WebP, BMP, zip) into a dossier through the API.")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() == 0 || *dossier == "" {
		fset.Usage()
		return errUsage
	}
	if _, err := record.ParseDossierID(*dossier); err != nil {
		return err
	}
	if *key == "" {
		return errors.New("no API key: pass --key or set SOHOA_API_KEY")
	}
	files, err := collectFiles(fset.Args())
	if err != nil {
		return err
	}
	c := &client{base: strings.TrimRight(*server, "/"), key: *key, http: &http.Client{Timeout: 10 * time.Minute}, keepWhole: *noSplit}
	var batches []string
	rejected := 0
	for start := 0; start < len(files); start += *chunk {
		part := files[start:min(start+*chunk, len(files))]
		res, err := c.upload(ctx, *dossier, part)
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
		if err := c.follow(ctx, batches); err != nil {
			return err
		}
		if *summary {
			if err := c.printSummary(ctx, *dossier, *search); err != nil {
				return err
			}
		}
	}
	if rejected > 0 {
		return errSomeFailed
	}
	return nil
}

// collectFiles expands folders into the scans they hold, sorted by path.
func collectFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && ingestExts[strings.ToLower(filepath.Ext(path))] {
				out = append(out, path)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

// client is the API client of the commands and their tests: the client package, with the
// fields the tests set.
type client struct {
	base, key string
	http      *http.Client
	keepWhole bool // --no-split
}

func (c *client) api() *sohoaclient.Client {
	a := sohoaclient.New(c.base, c.key, c.http)
	a.KeepWhole = c.keepWhole
	return a
}

// upload streams the files as one multipart request, without holding them all in memory.
func (c *client) upload(ctx context.Context, dossier string, files []string) (api.UploadResult, error) {
	return c.api().Upload(ctx, dossier, files)
}

func (c *client) get(ctx context.Context, path string, out any) error {
	return c.api().Get(ctx, path, out)
}

// follow polls the batches and redraws one progress line until all documents are done.
func (c *client) follow(ctx context.Context, batches []string) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		total, done, failed, allDone := 0, 0, 0, true
		for _, id := range batches {
			var p api.BatchProgress
			if err := c.get(ctx, "/v1/batches/"+id, &p); err != nil {
				return err
			}
			total += p.Total
			done += p.Counts["indexed"]
			failed += p.Counts["failed"]
			allDone = allDone && p.Done
		}
		if total == 0 {
			fmt.Fprintln(os.Stderr, "nothing new to process: every file was already in the dossier or was rejected")
			return nil
		}
		fmt.Fprintf(os.Stderr, "\r%s %d/%d indexed, %d failed   ", progress.Bar(done+failed, total), done, total, failed)
		if allDone {
			fmt.Fprintln(os.Stderr)
			return nil
		}
		select {
		case <-ctx.Done():
			fmt.Fprintln(os.Stderr)
			return ctx.Err()
		case <-tick.C:
		}
	}
}

func (c *client) printSummary(ctx context.Context, dossier, query string) error {
	var d api.DossierView
	if err := c.get(ctx, "/v1/dossiers/"+url.PathEscape(dossier), &d); err != nil {
		return err
	}
	fmt.Printf("\nDossier %s: %d document(s)\n", d.DossierID, len(d.Documents))
	types := map[string]int{}
	for _, doc := range d.Documents {
		if doc.DocType != "" {
			types[doc.DocType]++
		}
		review := ""
		if doc.NeedsReview {
			review = ", needs review"
		}
		if doc.Status == "failed" {
			fmt.Printf("\n• %s — failed: %s\n", doc.FileName, doc.Error)
			continue
		}
		fmt.Printf("\n• %s — %s (%.2f), %d page(s)%s\n", doc.FileName, doc.DocType, doc.DocTypeConfidence, doc.PageCount, review)
		names := make([]string, 0, len(doc.Fields))
		for n := range doc.Fields {
			names = append(names, n)
		}
		sort.Strings(names)
		for i, n := range names {
			if i == 6 {
				fmt.Printf("    … and %d more field(s)\n", len(names)-6)
				break
			}
			fmt.Printf("    %-20s %s\n", n, doc.Fields[n].Value)
		}
	}
	fmt.Print("\nTypes:")
	for t, n := range types {
		fmt.Printf(" %s×%d", t, n)
	}
	fmt.Println()
	if query != "" {
		var res index.Results
		if err := c.get(ctx, "/v1/search?q="+url.QueryEscape(query)+"&dossier_id="+url.QueryEscape(dossier), &res); err != nil {
			return err
		}
		fmt.Printf("\nSearch %q: %d hit(s)\n", query, len(res.Hits))
		for _, h := range res.Hits {
			fmt.Printf("  %s  %s  %s\n", h.ID, h.DocType, strings.ReplaceAll(h.Snippet, "\n", " "))
		}
	}
	return nil
}
