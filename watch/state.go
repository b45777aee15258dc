package watch

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// state is what a watched folder's .sohoa-watch.json holds: every upload by "dossier sha256".
// It lives in the folder, beside the files, so that a watcher moved to another machine, or
// two folders watched by one, keep their own.
type state struct {
	Version int               `json:"version"`
	Files   map[string]*entry `json:"files"`
	path    string
	lines   map[string]string // last progress line per batch
}

// entry is one uploaded file.
type entry struct {
	Rel   string `json:"path"` // where it was, relative to the folder
	Batch string `json:"batch_id"`
	// Items are the API's answers for the file: one, or one per file inside a zip archive.
	Items []item `json:"items"`
	Moved bool   `json:"moved,omitempty"` // to done/ or failed/: finished
	// MovedAt is when; a finished entry is forgotten after keepFinished.
	MovedAt time.Time `json:"moved_at,omitzero"`
	Code    string    `json:"code,omitempty"` // why it failed ("" when it went to done/)
	// Reason is the failure's explanation (the API's, or the pipeline's).
	Reason string `json:"reason,omitempty"`
}

// item is the upload's answer for one document.
type item struct {
	Name      string `json:"name"` // the file's name, or the name inside the archive
	Document  string `json:"document_id,omitempty"`
	Status    string `json:"status"` // queued, received, rejected, failed …
	Error     string `json:"error,omitempty"`
	Duplicate bool   `json:"duplicate,omitempty"`
}

func (e *entry) result() outcome { return outcome{ok: e.Code == "", code: e.Code, detail: e.Reason} }

func (w *Watcher) state(dir string) (*state, error) {
	if st, ok := w.states[dir]; ok {
		return st, nil
	}
	st := &state{Version: 1, Files: map[string]*entry{}, path: filepath.Join(dir, StateFile)}
	raw, err := os.ReadFile(st.path)
	switch {
	case err == nil:
		if err := json.Unmarshal(raw, st); err != nil {
			return nil, fmt.Errorf("reading %s: %w (move it away to start afresh; the API still refuses duplicates)", st.path, err)
		}
		if st.Files == nil {
			st.Files = map[string]*entry{}
		}
	case !os.IsNotExist(err):
		return nil, err
	}
	w.states[dir] = st
	return st, nil
}

// keepFinished is how long a finished file is remembered, so that a copy dropped again is
// recognised without an upload. After that the API still recognises the bytes (it answers
// that they are already in the dossier); forgetting keeps the state file, which is rewritten
// at each change, from growing with every file the folder ever saw.
const keepFinished = 30 * 24 * time.Hour

// save writes the state whole to a temporary file and renames it over the old one, so a
// crash leaves the old state or the new one, never half of one.
func (st *state) save() error {
	for k, e := range st.Files {
		if e.Moved && !e.MovedAt.IsZero() && time.Since(e.MovedAt) > keepFinished {
			delete(st.Files, k)
		}
	}
	raw, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		return err
	}
	tmp := st.path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("saving hot-folder state: %w", err)
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return fmt.Errorf("saving hot-folder state: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("saving hot-folder state: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("saving hot-folder state: %w", err)
	}
	if err := os.Rename(tmp, st.path); err != nil {
		return fmt.Errorf("saving hot-folder state: %w", err)
	}
	return nil
}
