// Package watch is the hot folder: scanning stations write files into a shared folder, and
// the watcher uploads each into its dossier through the API once it is completely written,
// follows it through processing, and moves it to done/ or to failed/ with a note saying why.
//
// Layout of a watched folder DIR:
//
//	DIR/<dossier code>/scan.pdf     the folder's name is the dossier (mã hồ sơ)
//	DIR/any/folder/dossier.txt      or a dossier.txt holding the code names it for the
//	                                folder and those below it
//	DIR/…/scan.pdf.json             or a sidecar {"dossier_id": "…"} names it for one file
//	DIR/any/folder/no-split.txt     keeps every file of the folder and those below it one
//	                                document (split=false); "split": false in a sidecar
//	                                does so for one file, Watcher.KeepWhole for all
//	DIR/done/…, DIR/failed/…        where finished files go, under the same relative path;
//	                                failed/…/scan.pdf.error.txt says why
//	DIR/.sohoa-watch.json           what was uploaded, by dossier and content hash
//
// Polling, not file-system notifications, finds the files: notifications do not cross
// network shares (SMB, NFS), where scanning stations usually write. A file is taken only when
// its size and modification time were the same at two polls in a row, so one still being
// written or copied is left alone.
//
// Nothing is uploaded twice across restarts: the state file records each upload by dossier
// and SHA-256 of the content before the file is moved, so a file found again after a restart
// is only followed and moved. If the process dies between the API's answer and the state
// write, the file is sent again, and the API (which names a document by dossier and content)
// answers that it is already in the dossier: no second document is made. A copy of a file
// that reached done/, dropped again, goes to done/ without an upload; a file that failed,
// dropped again, is sent again (what stood in the way may have been fixed).
package watch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// API is what the watcher needs of the sohoa API; *client.Client implements it.
type API interface {
	UploadFiles(ctx context.Context, dossier string, files []client.File) (api.UploadResult, error)
	// UploadWhole is UploadFiles asking for every file to stay one document (split=false).
	UploadWhole(ctx context.Context, dossier string, files []client.File) (api.UploadResult, error)
	Batch(ctx context.Context, id string) (api.BatchProgress, error)
}

// Names inside a watched folder.
const (
	DoneDir     = "done"
	FailedDir   = "failed"
	StateFile   = ".sohoa-watch.json"
	DossierFile = "dossier.txt"
	NoSplitFile = "no-split.txt"
	sidecarExt  = ".json"
	errorExt    = ".error.txt"
)

// Watcher watches folders; set the fields, then call Run (or Scan, once per poll).
type Watcher struct {
	Dirs     []string
	API      API
	Poll     time.Duration // [5 s]
	MaxBatch int           // files per upload request [50]
	Log      *slog.Logger  // [discard]
	Progress io.Writer     // one line per batch [discard]
	// KeepWhole keeps every file one document (split=false), for stations that scan one
	// document per file: by default the server splits a file whose pages hold several.
	KeepWhole bool

	seen   map[string]observation
	sums   map[string]hashed // content hash by path, while the file is unchanged
	states map[string]*state
}

type observation struct {
	size int64
	mod  time.Time
}

func (w *Watcher) init() {
	if w.Poll <= 0 {
		w.Poll = 5 * time.Second
	}
	if w.MaxBatch <= 0 {
		w.MaxBatch = 50
	}
	if w.Log == nil {
		w.Log = slog.New(slog.DiscardHandler)
	}
	if w.Progress == nil {
		w.Progress = io.Discard
	}
	if w.seen == nil {
		w.seen = map[string]observation{}
		w.sums = map[string]hashed{}
		w.states = map[string]*state{}
	}
}

// Run scans every Poll until ctx ends. A scan that fails (the API unreachable, a folder gone)
// is logged and tried again at the next poll.
func (w *Watcher) Run(ctx context.Context) error {
	w.init()
	for _, d := range w.Dirs {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			return fmt.Errorf("watched folder %s: not a readable folder (%v)", d, err)
		}
	}
	t := time.NewTicker(w.Poll)
	defer t.Stop()
	for {
		if err := w.Scan(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("hot folder scan", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Scan is one poll over every folder.
func (w *Watcher) Scan(ctx context.Context) error {
	w.init()
	var errs []error
	for _, d := range w.Dirs {
		if err := w.scanDir(ctx, d); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", d, err))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return errors.Join(errs...)
}

// candidate is a stable file ready to go.
type candidate struct {
	path, rel string // absolute, and relative to the watched folder
	dossier   string
	key       string // dossier and content hash
	whole     bool   // to be kept one document (split=false)
}

func (w *Watcher) scanDir(ctx context.Context, dir string) error {
	st, err := w.state(dir)
	if err != nil {
		return err
	}
	ready, err := w.stableFiles(dir)
	if err != nil {
		return err
	}
	var fresh []candidate
	for _, path := range ready {
		rel, _ := filepath.Rel(dir, path)
		dossier, why := dossierOf(dir, path)
		if why != "" {
			w.finish(dir, rel, outcome{code: codeNoDossier, detail: why})
			continue
		}
		sum, err := w.hash(path)
		if err != nil {
			continue // gone or unreadable for now: the next poll sees it again
		}
		c := candidate{path: path, rel: rel, dossier: dossier, key: dossier + " " + sum, whole: w.KeepWhole || keepWhole(dir, path)}
		if e, ok := st.Files[c.key]; ok {
			// Uploaded before: never sent again. While its document is on its way it is
			// followed below; a copy dropped again after it reached done/ goes there too. One
			// that failed is sent again: the clerk may have fixed what stood in the way, and
			// the API decides.
			switch {
			case !e.Moved:
				continue
			case e.Code == "":
				w.finish(dir, rel, e.result())
				continue
			}
			delete(st.Files, c.key)
		}
		if slices.ContainsFunc(fresh, func(f candidate) bool { return f.key == c.key }) {
			continue // a second copy in this poll: it waits for the first's answer
		}
		fresh = append(fresh, c)
	}
	if err := w.upload(ctx, dir, st, fresh); err != nil {
		return err
	}
	return w.follow(ctx, dir, st)
}

// stableFiles lists the files whose size and modification time have not changed since the
// previous poll, and remembers what it saw for the next.
func (w *Watcher) stableFiles(dir string) ([]string, error) {
	var ready []string
	now := map[string]observation{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				return err
			}
			return nil // a file moved away under us
		}
		name := d.Name()
		if d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			if path != dir && (strings.HasPrefix(name, ".") || rel == DoneDir || rel == FailedDir) {
				return filepath.SkipDir
			}
			return nil
		}
		if ignored(name) || !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		o := observation{size: fi.Size(), mod: fi.ModTime()}
		now[path] = o
		if prev, ok := w.seen[path]; ok && prev == o {
			ready = append(ready, path)
		}
		return nil
	})
	for p := range w.seen {
		if strings.HasPrefix(p, dir+string(filepath.Separator)) {
			delete(w.seen, p)
			if _, still := now[p]; !still {
				delete(w.sums, p)
			}
		}
	}
	for p, o := range now {
		w.seen[p] = o
	}
	sort.Strings(ready)
	return ready, err
}

// ignored are names that are not scans: hidden and temporary files, and the watcher's own.
func ignored(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~") || name == DossierFile || name == NoSplitFile ||
		strings.HasSuffix(lower, sidecarExt) || strings.HasSuffix(lower, errorExt) ||
		strings.HasSuffix(lower, ".tmp") || strings.HasSuffix(lower, ".part") || strings.HasSuffix(lower, ".crdownload")
}

// dossierOf finds the dossier of a file: its sidecar, else the nearest folder (up to the
// watched one) named by a dossier code or holding a dossier.txt. why says, for the note,
// what is missing or wrong when there is none.
func dossierOf(dir, path string) (dossier, why string) {
	if raw, err := os.ReadFile(path + sidecarExt); err == nil {
		var side struct {
			DossierID string `json:"dossier_id"`
		}
		if err := json.Unmarshal(raw, &side); err != nil || side.DossierID == "" {
			return "", fmt.Sprintf("tệp kèm %s không đúng dạng {\"dossier_id\": \"mã hồ sơ\"}", filepath.Base(path)+sidecarExt)
		}
		id, err := record.ParseDossierID(side.DossierID)
		if err != nil {
			return "", fmt.Sprintf("mã hồ sơ %q trong %s không hợp lệ (%v)", side.DossierID, filepath.Base(path)+sidecarExt, err)
		}
		return id.String(), ""
	}
	for d := filepath.Dir(path); ; d = filepath.Dir(d) {
		if raw, err := os.ReadFile(filepath.Join(d, DossierFile)); err == nil {
			code := strings.TrimSpace(strings.TrimPrefix(string(raw), "\uFEFF"))
			id, err := record.ParseDossierID(code)
			if err != nil {
				return "", fmt.Sprintf("mã hồ sơ %q trong %s không hợp lệ (%v)", code, filepath.Join(relOr(dir, d), DossierFile), err)
			}
			return id.String(), ""
		}
		if d == dir || len(d) <= len(dir) {
			break
		}
		if id, err := record.ParseDossierID(filepath.Base(d)); err == nil {
			return id.String(), ""
		}
	}
	return "", "không biết tệp thuộc hồ sơ nào: đặt tệp vào thư mục mang mã hồ sơ (ví dụ 000.00.15.H29-251201-0001/), hoặc thêm dossier.txt chứa mã hồ sơ vào thư mục, hoặc tệp kèm " + filepath.Base(path) + sidecarExt
}

// keepWhole reports whether the file is to stay one document: its sidecar says "split":
// false, or its folder or one above it (up to the watched one) holds a no-split.txt. A
// sidecar's "split": true overrides the folder.
func keepWhole(dir, path string) bool {
	if raw, err := os.ReadFile(path + sidecarExt); err == nil {
		var side struct {
			Split *bool `json:"split"`
		}
		if json.Unmarshal(raw, &side) == nil && side.Split != nil {
			return !*side.Split
		}
	}
	for d := filepath.Dir(path); ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, NoSplitFile)); err == nil {
			return true
		}
		if d == dir || len(d) <= len(dir) {
			return false
		}
	}
}

func relOr(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil {
		return r
	}
	return p
}

// hashed is a file's content hash as of one observation of it.
type hashed struct {
	at  observation
	sum string
}

// hash returns the file's SHA-256, read again only when its size or modification time has
// changed: files waiting in the folder while their documents are processed are not read at
// every poll.
func (w *Watcher) hash(path string) (string, error) {
	o := w.seen[path]
	if h, ok := w.sums[path]; ok && h.at == o {
		return h.sum, nil
	}
	sum, err := hashFile(path)
	if err != nil {
		return "", err
	}
	w.sums[path] = hashed{at: o, sum: sum}
	return sum, nil
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// upload sends the fresh files, by dossier and split option, MaxBatch at a time (a zip
// archive alone: all the answers are its files'), and records each answer in the state before anything is
// moved. An API that refuses a request (4xx) fails its files with its reason; one that cannot
// be reached leaves them for the next poll.
func (w *Watcher) upload(ctx context.Context, dir string, st *state, fresh []candidate) error {
	var requests [][]candidate
	groups := map[string][]candidate{}
	var order []string // dossier, and " whole" for files kept whole
	for _, c := range fresh {
		if isArchive(c.path) {
			requests = append(requests, []candidate{c})
			continue
		}
		// The split option is one per request: files kept whole go in requests of their own.
		k := c.dossier
		if c.whole {
			k += " whole"
		}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	for _, k := range order {
		requests = slices.AppendSeq(requests, slices.Chunk(groups[k], w.MaxBatch))
	}
	for _, part := range requests {
		if err := w.send(ctx, dir, st, part); err != nil {
			return err
		}
	}
	return nil
}

func isArchive(path string) bool { return strings.EqualFold(filepath.Ext(path), ".zip") }

// send uploads one request's files, all of one dossier and split option.
func (w *Watcher) send(ctx context.Context, dir string, st *state, part []candidate) error {
	dossier := part[0].dossier
	files := make([]client.File, len(part))
	for i, c := range part {
		// Names written from a Mac onto a share are often decomposed (NFD); the API and the
		// search index keep NFC.
		files[i] = client.File{Name: record.NFC(filepath.Base(c.path)), Path: c.path}
	}
	upload := w.API.UploadFiles
	if part[0].whole {
		upload = w.API.UploadWhole
	}
	res, err := upload(ctx, dossier, files)
	if client.IsRefused(err) {
		for _, c := range part {
			w.finish(dir, c.rel, outcome{code: codeRefused, detail: err.Error()})
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("uploading to %s: %w", dossier, err)
	}
	if len(part) > 1 && len(res.Items) != len(part) {
		return fmt.Errorf("uploading to %s: %d files sent, %d answered", dossier, len(part), len(res.Items))
	}
	for i, c := range part {
		answers := res.Items
		if len(part) > 1 {
			answers = res.Items[i : i+1]
		}
		e := &entry{Rel: c.rel, Batch: res.Batch.ID}
		for _, it := range answers {
			e.Items = append(e.Items, item{Name: it.FileName, Document: it.DocumentID, Status: it.Status, Error: it.Error, Duplicate: it.Duplicate})
		}
		st.Files[c.key] = e
	}
	if err := st.save(); err != nil {
		return err
	}
	fmt.Fprintf(w.Progress, "%s: batch %s: %d file(s) uploaded to %s\n", dir, res.Batch.ID, len(part), dossier)
	return nil
}

// follow moves the uploaded files whose documents have all finished: to done/ when every
// one is indexed (or was already in the dossier), else to failed/ with the reasons. A file
// the API rejected on arrival finishes at once.
func (w *Watcher) follow(ctx context.Context, dir string, st *state) error {
	batches := map[string]api.BatchProgress{}
	gone := map[string]string{} // batch → why it cannot be followed
	changed := false
	keys := make([]string, 0, len(st.Files))
	for k := range st.Files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		e := st.Files[k]
		if e.Moved {
			continue
		}
		p, ok := batches[e.Batch]
		if !ok && e.waiting() {
			var err error
			if p, err = w.API.Batch(ctx, e.Batch); client.IsRefused(err) {
				// The server no longer knows the batch (its store was replaced, or the key
				// lost the right to read it): the file cannot be followed to its end.
				gone[e.Batch] = err.Error()
			} else if err != nil {
				return fmt.Errorf("following batch %s: %w", e.Batch, err)
			} else {
				w.batchLine(dir, p)
			}
			batches[e.Batch] = p
		}
		out, finished := e.outcome(p, gone[e.Batch])
		if !finished {
			continue
		}
		w.finish(dir, e.Rel, out)
		e.Moved, e.MovedAt, e.Code, e.Reason = true, time.Now().UTC(), out.code, out.detail
		changed = true
	}
	if changed {
		return st.save()
	}
	return nil
}

// waiting reports whether some document of the file is being processed: only then is its
// batch asked about.
func (e *entry) waiting() bool {
	return slices.ContainsFunc(e.Items, func(it item) bool { return !it.Duplicate && it.Status != "rejected" && it.Status != "failed" })
}

// outcome is how the file ends given its batch's progress (gone: why the batch cannot be
// followed), and false while a document is still on its way.
func (e *entry) outcome(p api.BatchProgress, gone string) (outcome, bool) {
	var rejected, failed []string
	for _, it := range e.Items {
		switch {
		case it.Status == "rejected" || it.Status == "failed":
			rejected = append(rejected, e.reason(it, it.Error))
		case it.Duplicate:
		case gone != "":
		default:
			i := slices.IndexFunc(p.Documents, func(d store.Document) bool { return d.ID == it.Document })
			if i < 0 {
				return outcome{}, false
			}
			switch d := p.Documents[i]; d.Status {
			case store.StatusIndexed:
			case store.StatusFailed:
				failed = append(failed, e.reason(it, d.Error))
			default:
				return outcome{}, false
			}
		}
	}
	switch {
	case len(rejected) > 0:
		return outcome{code: codeRejected, detail: strings.Join(append(rejected, failed...), "; ")}, true
	case len(failed) > 0:
		return outcome{code: codeFailed, detail: strings.Join(failed, "; ")}, true
	case gone != "" && e.waiting():
		return outcome{code: codeRefused, detail: gone}, true
	}
	return outcome{ok: true}, true
}

// reason names the file inside an archive a reason is about.
func (e *entry) reason(it item, why string) string {
	if len(e.Items) > 1 || it.Name != filepath.Base(e.Rel) && strings.Contains(it.Name, "/") {
		return it.Name + ": " + why
	}
	return why
}

// batchLine prints a batch's progress when it has changed since the last line.
func (w *Watcher) batchLine(dir string, p api.BatchProgress) {
	line := fmt.Sprintf("%s: batch %s (%s): %d/%d indexed, %d failed", dir, p.Batch.ID, p.Batch.DossierID, p.Counts["indexed"], p.Total, p.Counts["failed"])
	if p.Done {
		line += ", done"
	}
	st := w.states[dir]
	if st.lines == nil {
		st.lines = map[string]string{}
	}
	if st.lines[p.Batch.ID] != line {
		st.lines[p.Batch.ID] = line
		fmt.Fprintln(w.Progress, line)
	}
}
