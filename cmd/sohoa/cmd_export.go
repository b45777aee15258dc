package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"

	sohoaclient "github.com/sohoa/sohoa/client"
)

func runExport(ctx context.Context, cfg Config, args []string) error {
	fs := newFlags("export", "usage: sohoa export [flags]\n\nStreams documents and their fields from the API (GET /v1/exports/documents) as CSV or JSON Lines.")
	server := fs.String("server", "http://"+cfg.HTTPAddr, "sohoa API base URL")
	key := fs.String("key", cfg.ClientKey, "API key with the reader role or more (default $SOHOA_API_KEY); personal fields only with pii (clerk, admin)")
	format := fs.String("format", "csv", "csv (UTF-8 with BOM, for spreadsheets) or jsonl")
	out := fs.String("o", "-", "output file (- for standard output)")
	q := url.Values{}
	for _, p := range []struct{ name, usage string }{
		{"dossier", "only this dossier (mã hồ sơ)"},
		{"type", "only this document type (e.g. quyet_dinh)"},
		{"review-state", "only needs_review, auto or approved"},
		{"status", "only documents in this state (default indexed, or every state with --dossier)"},
		{"from", "uploaded on or after this day, YYYY-MM-DD (Vietnam time)"},
		{"to", "uploaded on or before this day, YYYY-MM-DD"},
	} {
		param := map[string]string{"dossier": "dossier_id", "type": "doc_type", "review-state": "review_state"}[p.name]
		if param == "" {
			param = p.name
		}
		fs.Func(p.name, p.usage, func(v string) error { q.Set(param, v); return nil })
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError(fs)
	}
	if *key == "" {
		return errors.New("no API key: pass --key or set SOHOA_API_KEY")
	}
	q.Set("format", *format)
	var w io.Writer = os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	c := sohoaclient.New(*server, *key, &http.Client{})
	if err := c.Download(ctx, "/v1/exports/documents?"+q.Encode(), bw); err != nil {
		return err
	}
	return bw.Flush()
}
