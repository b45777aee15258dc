package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/scan"
	"github.com/sohoa/sohoa/store"
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

// upload accepts multipart/form-data with a dossier_id field followed by file parts. Each
// file is stored durably (blob fsynced, row committed) before the answer; bad files are
// recorded as failed with a reason, and the rest of the batch goes on.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "send multipart/form-data with a dossier_id field and one or more file parts")
		return
	}
	ctx := r.Context()
	var batch store.Batch
	var items []UploadItem
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad_request", "reading upload: "+err.Error())
			return
		}
		if part.FileName() == "" {
			if part.FormName() == "dossier_id" {
				v, _ := io.ReadAll(io.LimitReader(part, 256))
				id, err := record.ParseDossierID(string(v))
				if err != nil {
					writeError(w, http.StatusBadRequest, "bad_request", err.Error())
					return
				}
				if batch, err = s.Store.CreateBatch(ctx, store.Batch{ID: newID(), DossierID: id.String(), CreatedBy: actorFrom(ctx).Name}); err != nil {
					s.storeError(w, r, err)
					return
				}
			}
			continue
		}
		if batch.ID == "" {
			writeError(w, http.StatusBadRequest, "bad_request", "the dossier_id field must come before the files")
			return
		}
		name := path.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		data, err := readLimited(part, s.maxFileBytes())
		if err != nil {
			items = append(items, UploadItem{FileName: name, Status: "rejected", Error: err.Error()})
			continue
		}
		for _, f := range s.expand(name, data, &items) {
			if len(items) >= s.MaxFiles {
				items = append(items, UploadItem{FileName: f.Name, Status: "rejected",
					Error: fmt.Sprintf("the batch already has %d files, the limit: upload the rest in another batch", s.MaxFiles)})
				continue
			}
			item, err := s.accept(r, batch, f)
			if err != nil {
				s.storeError(w, r, err)
				return
			}
			items = append(items, item)
		}
	}
	if batch.ID == "" {
		writeError(w, http.StatusBadRequest, "bad_request", "no dossier_id field in the upload")
		return
	}
	writeJSON(w, http.StatusAccepted, UploadResult{Batch: batch, Items: items})
}

func (s *Server) maxFileBytes() int64 {
	if s.Limits.MaxFileBytes > 0 {
		return s.Limits.MaxFileBytes
	}
	return 200 << 20
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading file: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file larger than the limit of %d MB: split it or ask an administrator to raise SOHOA_MAX_FILE_MB", limit>>20)
	}
	return data, nil
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

// accept stores one file and queues it, or records why it cannot be processed.
func (s *Server) accept(r *http.Request, batch store.Batch, f scan.File) (UploadItem, error) {
	ctx := r.Context()
	ref, err := s.Blobs.Put(ctx, f.Data)
	if err != nil {
		return UploadItem{}, err
	}
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
	// If Redis is down the document stays "received" and the requeue sweep of `sohoa serve`
	// queues it later; the upload itself is already safe.
	if err := s.Queue.Enqueue(ctx, pipeline.TypePrepare, pipeline.Payload{DocID: doc.ID}); err != nil {
		s.Log.Warn("queue unavailable; document will be queued later", "doc_id", doc.ID, "err", err)
		return item, nil
	}
	if err := s.Store.MarkQueued(ctx, doc.ID); err != nil {
		return UploadItem{}, err
	}
	item.Status = store.StatusQueued
	return item, nil
}
