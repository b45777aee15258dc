package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/sohoa/sohoa/pii"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/scan"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

// UploadItem is the outcome of one uploaded file.
type UploadItem struct {
	FileName   string `json:"file_name"`
	DocumentID string `json:"document_id,omitempty"`
	Status     string `json:"status"` // a document status, or "rejected" when nothing was stored
	Error      string `json:"error,omitempty"`
	Duplicate  bool   `json:"duplicate,omitempty"` // the same bytes were already in the dossier
}

// UploadResult answers POST /v1/batches.
type UploadResult struct {
	Batch store.Batch  `json:"batch"`
	Items []UploadItem `json:"items"`
}

func newID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "b" + hex.EncodeToString(b)
}

// Bounds of an upload request besides the files themselves: form fields are short codes, and
// a request has at most a few parts more than the files a batch may hold.
const (
	maxFieldBytes = 1 << 10
	extraParts    = 8
)

// upload accepts multipart/form-data with one dossier_id field followed by file parts. Each
// file is stored durably (blob fsynced, row committed) before the answer; bad files are
// recorded as failed with a reason, and the rest of the batch goes on. The batch is created
// once the first file is stored (or rejected), so a request that stores nothing (no files, a
// blob store or disk that cannot take the first one) leaves nothing behind. The answer is
// streamed in as it comes: a request that breaks off or grows too large mid-way keeps the
// files stored before that point (the error names their batch) and nothing of the file it
// was in.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	limit := s.maxUploadBytes()
	if r.ContentLength > limit {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", s.tooLargeMessage(limit))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "send multipart/form-data with a dossier_id field and one or more file parts")
		return
	}
	ctx := r.Context()
	var dossier record.DossierID
	var batch store.Batch
	// keepWhole: split=false (query or form field) turns off splitting a file into the
	// documents it holds, for files known to be one document.
	keepWhole := splitOff(r.URL.Query().Get("split"))
	items := []UploadItem{}
	// fail answers a request that cannot go on; files stored before it stay in their batch.
	fail := func(status int, code, param, msg string) {
		if batch.ID != "" {
			msg += fmt.Sprintf(" (the %d files before this point were kept in batch %s)", len(items), batch.ID)
		}
		writeJSON(w, status, ErrorBody{Code: code, Error: msg, Param: param})
	}
	// openBatch creates the batch when the first file needs it. However the request ends, no
	// more files join it afterwards: it may be reported done.
	openBatch := func() error {
		if batch.ID != "" {
			return nil
		}
		b, err := s.Store.CreateBatch(ctx, store.Batch{ID: newID(), DossierID: dossier.String(), CreatedBy: actorFrom(ctx).Name})
		if err != nil {
			return err
		}
		batch = b
		return nil
	}
	defer func() {
		if batch.ID == "" {
			return
		}
		if err := s.Store.CloseBatch(context.WithoutCancel(ctx), batch.ID); err != nil {
			s.Log.Error("closing batch", "batch_id", batch.ID, "err", err)
		}
	}()
	bodyError := func(err error) {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			fail(http.StatusRequestEntityTooLarge, "too_large", "", s.tooLargeMessage(limit))
			return
		}
		fail(http.StatusBadRequest, "bad_request", "", "reading upload: the request body is incomplete or not valid multipart: "+err.Error())
	}
	for parts := 0; ; parts++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			bodyError(err)
			return
		}
		if parts >= s.MaxFiles+extraParts {
			fail(http.StatusRequestEntityTooLarge, "too_large", "",
				fmt.Sprintf("more than %d parts in one upload: send at most %d files per batch", s.MaxFiles+extraParts, s.MaxFiles))
			return
		}
		if part.FileName() == "" {
			name := part.FormName()
			v, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil {
				bodyError(err)
				return
			}
			if len(v) > maxFieldBytes {
				fail(http.StatusBadRequest, "invalid_field", name, fmt.Sprintf("the form field %q is longer than %d bytes", name, maxFieldBytes))
				return
			}
			if name == "split" {
				keepWhole = splitOff(string(v))
				continue
			}
			if name != "dossier_id" {
				continue
			}
			if dossier != "" {
				fail(http.StatusBadRequest, "invalid_field", name, "one dossier_id per upload: send the files of another dossier in their own request")
				return
			}
			if dossier, err = record.ParseDossierID(string(v)); err != nil {
				fail(http.StatusBadRequest, "invalid_field", name, err.Error())
				return
			}
			continue
		}
		if dossier == "" {
			fail(http.StatusBadRequest, "invalid_field", "dossier_id", "the dossier_id field must come before the files")
			return
		}
		name := path.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		data, tooBig, err := readLimited(part, s.maxFileBytes())
		if err != nil {
			// The body broke off or outgrew its limit inside this file: it is not stored, and
			// the answer acknowledges nothing of it.
			bodyError(err)
			return
		}
		var files []scan.File
		if !tooBig {
			files = s.expand(name, data, &items)
		}
		// A rejected file (too large, a bad archive) is reported in the batch.
		if len(files) == 0 {
			if err := openBatch(); err != nil {
				s.storeError(w, r, err)
				return
			}
		}
		if tooBig {
			items = append(items, UploadItem{FileName: name, Status: "rejected",
				Error: fmt.Sprintf("file larger than the limit of %d MB: split it or ask an administrator to raise SOHOA_MAX_FILE_MB", s.maxFileBytes()>>20)})
			continue
		}
		for _, f := range files {
			if len(items) >= s.MaxFiles {
				items = append(items, UploadItem{FileName: f.Name, Status: "rejected",
					Error: fmt.Sprintf("the batch already has %d files, the limit: upload the rest in another batch", s.MaxFiles)})
				continue
			}
			// The file is on disk before the batch that names it exists.
			ref, err := s.Blobs.Put(ctx, f.Data)
			if err == nil {
				err = openBatch()
			}
			if err != nil {
				s.storeError(w, r, err)
				return
			}
			item, err := s.accept(r, batch, f, ref, keepWhole)
			if err != nil {
				s.storeError(w, r, err)
				return
			}
			items = append(items, item)
		}
	}
	switch {
	case dossier == "":
		fail(http.StatusBadRequest, "invalid_field", "dossier_id", "no dossier_id field in the upload")
	case batch.ID == "":
		fail(http.StatusBadRequest, "invalid_field", "file", "no file parts in the upload: add one or more files")
	default:
		if !seesPII(r.Context()) {
			for i := range items {
				items[i].FileName = pii.MaskText(items[i].FileName)
			}
		}
		writeJSON(w, http.StatusAccepted, UploadResult{Batch: batch, Items: items})
	}
}

func (s *Server) maxFileBytes() int64 {
	if s.Limits.MaxFileBytes > 0 {
		return s.Limits.MaxFileBytes
	}
	return 200 << 20
}

// maxUploadBytes bounds a whole upload request: MaxUploadBytes, or ten files of the largest
// size by default.
func (s *Server) maxUploadBytes() int64 {
	if s.MaxUploadBytes > 0 {
		return s.MaxUploadBytes
	}
	return 10 * s.maxFileBytes()
}

func (s *Server) tooLargeMessage(limit int64) string {
	return fmt.Sprintf("the upload is larger than the limit of %d MB per request: send the files in several batches", limit>>20)
}

// readLimited reads a file part of at most limit bytes. A larger file is drained and reported
// as tooBig, so the rest of the upload goes on; err is a failure of the request body itself.
func readLimited(r io.Reader, limit int64) (data []byte, tooBig bool, err error) {
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, false, fmt.Errorf("reading file: %w", err)
	}
	if int64(len(data)) > limit {
		if _, err := io.Copy(io.Discard, r); err != nil {
			return nil, false, fmt.Errorf("reading file: %w", err)
		}
		return nil, true, nil
	}
	return data, false, nil
}

// expand returns the files inside a zip archive, or the file itself. A bad archive is
// reported as a rejected item.
func (s *Server) expand(name string, data []byte, items *[]UploadItem) []scan.File {
	if !strings.EqualFold(path.Ext(name), ".zip") {
		return []scan.File{{Name: name, Data: data}}
	}
	files, err := scan.Unzip(data, s.Limits)
	if err != nil {
		*items = append(*items, UploadItem{FileName: name, Status: "rejected", Error: err.Error()})
		return nil
	}
	for i := range files {
		files[i].Name = name + "/" + files[i].Name
	}
	return files
}

// accept records one file, stored as ref, and queues it, or records why it cannot be
// processed.
func (s *Server) accept(r *http.Request, batch store.Batch, f scan.File, ref store.Ref, keepWhole bool) (UploadItem, error) {
	ctx := r.Context()
	doc, created, err := s.Store.AddDocument(ctx, store.Document{
		DossierID: batch.DossierID, BatchID: batch.ID, FileName: f.Name, Blob: ref, Size: int64(len(f.Data)),
	})
	if err != nil {
		return UploadItem{}, err
	}
	item := UploadItem{FileName: f.Name, DocumentID: doc.ID, Status: doc.Status, Error: doc.Error, Duplicate: !created}
	if !created {
		return item, nil
	}
	// A quick look at the file rejects what can never be processed, with the reason, before
	// it takes a place in the queue.
	n, err := scan.Count(f.Name, f.Data, s.Limits)
	if err != nil {
		if serr := s.Store.SetStatus(ctx, doc.ID, store.StatusFailed, err.Error()); serr != nil {
			return UploadItem{}, serr
		}
		item.Status, item.Error = store.StatusFailed, err.Error()
		return item, nil
	}
	if err := s.Store.SetPageCount(ctx, doc.ID, n); err != nil {
		return UploadItem{}, err
	}
	if keepWhole && n > 1 {
		if err := s.Store.KeepWhole(ctx, doc.ID); err != nil {
			return UploadItem{}, err
		}
	}
	// If Redis is down the document stays "received" and the requeue sweep of `sohoa serve`
	// queues it later; the upload itself is already safe.
	if err := s.Queue.Enqueue(ctx, task.TypePrepare, task.Payload{DocID: doc.ID}); err != nil {
		s.Log.Warn("queue unavailable; document will be queued later", "doc_id", doc.ID, "err", err)
		return item, nil
	}
	if err := s.Store.MarkQueued(ctx, doc.ID); err != nil {
		return UploadItem{}, err
	}
	item.Status = store.StatusQueued
	return item, nil
}

// splitOff reports whether a split option's value turns splitting off.
func splitOff(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "false", "0", "off", "no":
		return true
	}
	return false
}
