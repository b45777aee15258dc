// Package ingest is the client side of `sohoa ingest`: it finds the scans to upload in the
// folders given, follows batches through processing on a progress line, and summarises a
// dossier. It talks to sohoa through package client only, never to the store or the queue.
package ingest

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/internal/progress"
)

// exts are the file types Collect picks up when walking a folder.
var exts = map[string]bool{".pdf": true, ".png": true, ".jpg": true, ".jpeg": true, ".tif": true, ".tiff": true,
	".webp": true, ".bmp": true, ".zip": true}

// Collect expands folders into the scans they hold (by their extension), sorted by path;
// files named on their own are kept whatever their extension.
func Collect(paths []string) ([]string, error) {
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
			if err == nil && !d.IsDir() && exts[strings.ToLower(filepath.Ext(path))] {
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

// Follow polls the batches and redraws one progress line on w until all their
// documents are indexed or failed.
func Follow(ctx context.Context, c *client.Client, batches []string, w io.Writer) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		total, done, failed, allDone := 0, 0, 0, true
		for _, id := range batches {
			p, err := c.Batch(ctx, id)
			if err != nil {
				return err
			}
			total += p.Total
			done += p.Counts["indexed"]
			failed += p.Counts["failed"]
			allDone = allDone && p.Done
		}
		if total == 0 {
			fmt.Fprintln(w, "nothing new to process: every file was already in the dossier or was rejected")
			return nil
		}
		fmt.Fprintf(w, "\r%s %d/%d indexed, %d failed   ", progress.Bar(done+failed, total), done, total, failed)
		if allDone {
			fmt.Fprintln(w)
			return nil
		}
		select {
		case <-ctx.Done():
			fmt.Fprintln(w)
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// WriteSummary writes the dossier's documents to w, each with its type, pages and first six
// fields, then the types found; with a query, also the hits of that search in the dossier.
func WriteSummary(ctx context.Context, c *client.Client, w io.Writer, dossier, query string) error {
	var d api.DossierView
	if err := c.Get(ctx, "/v1/dossiers/"+url.PathEscape(dossier), &d); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nDossier %s: %d document(s)\n", d.DossierID, len(d.Documents))
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
			fmt.Fprintf(w, "\n• %s — failed: %s\n", doc.FileName, doc.Error)
			continue
		}
		fmt.Fprintf(w, "\n• %s — %s (%.2f), %d page(s)%s\n", doc.FileName, doc.DocType, doc.DocTypeConfidence, doc.PageCount, review)
		names := slices.Sorted(maps.Keys(doc.Fields))
		for i, n := range names {
			if i == 6 {
				fmt.Fprintf(w, "    … and %d more field(s)\n", len(names)-6)
				break
			}
			fmt.Fprintf(w, "    %-20s %s\n", n, doc.Fields[n].Value)
		}
	}
	fmt.Fprint(w, "\nTypes:")
	for t, n := range types {
		fmt.Fprintf(w, " %s×%d", t, n)
	}
	fmt.Fprintln(w)
	if query != "" {
		var res index.Results
		if err := c.Get(ctx, "/v1/search?q="+url.QueryEscape(query)+"&dossier_id="+url.QueryEscape(dossier), &res); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nSearch %q: %d hit(s)\n", query, len(res.Hits))
		for _, h := range res.Hits {
			fmt.Fprintf(w, "  %s  %s  %s\n", h.ID, h.DocType, strings.ReplaceAll(h.Snippet, "\n", " "))
		}
	}
	return nil
}
