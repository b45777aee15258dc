// Package client calls sohoa's HTTP API with an API key: uploads of files into a dossier,
// reads, and streamed downloads. The ingest, watch and export commands share it.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/sohoa/sohoa/api"
)

// Client is an API client; its zero HTTP is http.DefaultClient.
type Client struct {
	Base string // e.g. http://127.0.0.1:8080
	Key  string // bearer API key
	HTTP *http.Client
	// KeepWhole makes uploads ask for every file to stay one document (split=false), for
	// files known to hold a single document: by default the server splits a file whose
	// pages hold several.
	KeepWhole bool
}

// New returns a client of the API at base.
func New(base, key string, hc *http.Client) *Client {
	return &Client{Base: strings.TrimRight(base, "/"), Key: key, HTTP: hc}
}

// Error is an answer of the API with an error status.
type Error struct {
	Method, Path string
	Status       int
	Code         string // the API's stable error code
	Message      string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s: %d %s: %s", e.Method, e.Path, e.Status, http.StatusText(e.Status), e.Message)
}

// IsRefused reports whether err is the API refusing the request itself (a 4xx other than a
// rate limit): sending it again unchanged would be refused again. Connection errors and 5xx
// are worth retrying.
func IsRefused(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status >= 400 && e.Status < 500 && e.Status != http.StatusTooManyRequests
}

func (c *Client) send(req *http.Request) (*http.Response, error) {
	req.Header.Set("Authorization", "Bearer "+c.Key)
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("calling %s: %w", req.URL.Path, err)
	}
	if resp.StatusCode >= 300 {
		defer resp.Body.Close()
		var body api.ErrorBody
		json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body)
		return nil, &Error{Method: req.Method, Path: req.URL.Path, Status: resp.StatusCode, Code: body.Code, Message: body.Error}
	}
	return resp, nil
}

func (c *Client) do(req *http.Request, out any) error {
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// Get reads path (with its query) into out.
func (c *Client) Get(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Base+path, nil)
	if err != nil {
		return err
	}
	return c.do(req, out)
}

// Download copies the body of GET path to w as it arrives (exports).
func (c *Client) Download(ctx context.Context, path string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Base+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.send(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(w, resp.Body)
	return err
}

// File is one file to upload: its name as the API will store it, and where to read it.
type File struct {
	Name string
	Path string
}

// Upload streams the files at paths as one batch into the dossier, without holding them in
// memory; each is named by its base name.
func (c *Client) Upload(ctx context.Context, dossier string, paths []string) (api.UploadResult, error) {
	files := make([]File, len(paths))
	for i, p := range paths {
		files[i] = File{Name: filepath.Base(p), Path: p}
	}
	return c.UploadFiles(ctx, dossier, files)
}

// UploadFiles is Upload with the names chosen by the caller.
func (c *Client) UploadFiles(ctx context.Context, dossier string, files []File) (api.UploadResult, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := mw.WriteField("dossier_id", dossier)
		if err == nil && c.KeepWhole {
			err = mw.WriteField("split", "false")
		}
		for _, f := range files {
			if err != nil {
				break
			}
			err = copyFilePart(mw, f)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Base+"/v1/batches", pr)
	if err != nil {
		return api.UploadResult{}, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var res api.UploadResult
	err = c.do(req, &res)
	pr.CloseWithError(errors.New("request finished")) // stops the writer if the answer came early
	return res, err
}

func copyFilePart(mw *multipart.Writer, f File) error {
	in, err := os.Open(f.Path)
	if err != nil {
		return err
	}
	defer in.Close()
	w, err := mw.CreateFormFile("file", f.Name)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, in)
	return err
}

// Batch reads a batch's progress.
func (c *Client) Batch(ctx context.Context, id string) (api.BatchProgress, error) {
	var p api.BatchProgress
	err := c.Get(ctx, "/v1/batches/"+id, &p)
	return p, err
}
