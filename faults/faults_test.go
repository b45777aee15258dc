package faults

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/store"
)

// TestFaults runs each fault against an installation of its own (Redis, Meilisearch, data
// directory, ports), all at once: most of their time is spent waiting for asynq's lease
// expiry and retries, not reading pages. The subtests are started from goroutines rather
// than with t.Parallel, which go test would hold to GOMAXPROCS (2 here) at a time.
func TestFaults(t *testing.T) {
	cases := []struct {
		name string
		run  func(*testing.T)
	}{
		{"worker killed during OCR", func(t *testing.T) { testWorkerKilled(t, false) }},
		{"worker killed during OCR, PostgreSQL", func(t *testing.T) { testWorkerKilled(t, true) }},
		{"Meilisearch down", testMeiliDown},
		{"Redis restarted", testRedisRestart},
		{"disk full", func(t *testing.T) { testDiskFull(t, false) }},
		{"disk full, PostgreSQL", func(t *testing.T) { testDiskFull(t, true) }},
		{"SIGTERM", testSIGTERM},
		{"upload cut off", testUploadCut},
	}
	sohoaBinary(t)
	generatedPages(t)
	var wg sync.WaitGroup
	for _, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(c.name, c.run)
		}()
	}
	wg.Wait()
}

// waitActive waits until a task of queue q is running.
func (e *env) waitActive(q string) {
	e.t.Helper()
	poll(e.t, 2*time.Minute, "a task of queue "+q+" running", func() (bool, string) {
		active, err := e.insp.ListActiveTasks(q)
		return err == nil && len(active) > 0, fmt.Sprint("none; ", err)
	})
}

// waitRetrying waits until n tasks of queue q are waiting to be retried.
func (e *env) waitRetrying(q string, n int) {
	e.t.Helper()
	poll(e.t, 2*time.Minute, fmt.Sprintf("%d tasks of queue %s retrying", n, q), func() (bool, string) {
		qi, err := e.insp.GetQueueInfo(q)
		if err != nil {
			return false, err.Error()
		}
		return qi.Retry == n, fmt.Sprintf("%d retrying, %d pending, %d active", qi.Retry, qi.Pending, qi.Active)
	})
}

// testWorkerKilled kills the only worker with SIGKILL while it reads a page and starts
// another: asynq hands the orphaned task to the new worker once its lease has expired. With
// pg the store is on PostgreSQL, where the last page's row lock decides who classifies.
func testWorkerKilled(t *testing.T, pg bool) {
	e := newEnv(t, "")
	if pg {
		e.onPostgres()
	}
	e.serve()
	w := e.worker()
	dossier := "000.00.15.H29-261206-0001"
	res := e.mustUpload(dossier, []file{scanPDF(t, "a.pdf", 0, 2), scanPDF(t, "b.pdf", 3, 1)})
	// The kill must land inside a task: should the page have been finished between the look
	// and the kill, start a worker and try again.
	for try := 1; ; try++ {
		e.waitActive("ocr")
		w.kill()
		before, _ := e.queueCounts()
		t.Logf("worker killed during OCR (try %d); queues: %s", try, before)
		w = e.worker()
		if before.Active > 0 {
			break
		}
		if try == 3 {
			t.Fatalf("no task left active by the killed worker in %d tries: %s", try, before)
		}
	}
	e.settle(3*time.Minute, dossier, 2, res.Batch.ID)
}

// testMeiliDown stops Meilisearch after a first document is indexed: uploads and the stages
// before indexing go on, documents are read by ID, search answers 503 with its code, and
// once Meilisearch is back the index catches up with the store.
func testMeiliDown(t *testing.T) {
	e := newEnv(t, "")
	e.serve()
	e.worker()
	dossier := "000.00.15.H29-261206-0002"
	first := e.mustUpload(dossier, []file{scanPDF(t, "truoc.pdf", 5, 1)})
	e.waitDone(2*time.Minute, first.Batch.ID)

	e.meiliP.kill()
	res := e.mustUpload(dossier, []file{scanPDF(t, "c.pdf", 6, 2), scanPDF(t, "d.pdf", 8, 1)})
	e.waitRetrying("index", 2)
	for i, it := range res.Items {
		var d api.DocumentView
		code, body := e.get(clerkKey, "/v1/documents/"+it.DocumentID, &d)
		if code != http.StatusOK || d.DocType == "" || len(d.Pages) != 2-i || d.Pages[0].Text == "" {
			t.Errorf("GET document %s with Meilisearch down: %d, type %q, %d pages; %.200s", it.DocumentID, code, d.DocType, len(d.Pages), body)
		}
	}
	code, body := e.get(clerkKey, "/v1/search?q=quyet+dinh", nil)
	var eb api.ErrorBody
	json.Unmarshal(body, &eb)
	if code != http.StatusServiceUnavailable || eb.Code != "search_unavailable" || eb.Error == "" {
		t.Errorf("search with Meilisearch down: %d %s, want 503 search_unavailable with a message", code, body)
	}
	t.Logf("Meilisearch down: search %d %q; index tasks retrying: 2", code, eb.Code)

	e.startMeili()
	e.settle(2*time.Minute, dossier, 3, res.Batch.ID)
	if code, body := e.get(clerkKey, "/v1/search?q=quyet+dinh", nil); code != http.StatusOK {
		t.Errorf("search with Meilisearch back: %d %s", code, body)
	}
}

// testRedisRestart restarts Redis (SIGTERM, then a new redis-server on the same AOF) with
// tasks waiting in the queues (more documents than the one worker reads at once) and
// others waiting for a retry (Meilisearch is down), while the worker and the server keep
// running. The queues are paused around the restart so that no task moves: every task
// there before is there after. A file uploaded while Redis is down is stored as received
// and queued by the server's sweep once Redis is back.
func testRedisRestart(t *testing.T) {
	e := newEnv(t, "")
	e.serve()
	e.worker()
	dossier := "000.00.15.H29-261206-0003"
	e.meiliP.kill()
	a := e.mustUpload(dossier, []file{scanPDF(t, "e.pdf", 9, 1), scanPDF(t, "f.pdf", 10, 1)})
	e.waitRetrying("index", 2)
	b := e.mustUpload(dossier, []file{scanPDF(t, "g.pdf", 11, 2), scanPDF(t, "h.pdf", 1, 1), scanPDF(t, "i.pdf", 2, 1)})
	e.pauseQueues(true)
	poll(t, 2*time.Minute, "the running tasks finished", func() (bool, string) {
		qc, err := e.queueCounts()
		return err == nil && qc.Active == 0, fmt.Sprint(qc, err)
	})
	before := e.taskIDs()
	if err := e.redisP.stop(30 * time.Second); err != nil {
		t.Fatalf("stopping redis: %v", err)
	}
	down := e.mustUpload(dossier, []file{scanPDF(t, "j.pdf", 3, 1)})
	if st := down.Items[0].Status; st != store.StatusReceived {
		t.Errorf("uploaded with Redis down: status %s, want %s (stored, queued later)", st, store.StatusReceived)
	}
	e.startRedis()
	after := e.taskIDs()
	var lost []string
	for id := range before {
		if !after[id] {
			lost = append(lost, id)
		}
	}
	t.Logf("tasks before the restart: %d %v; after: %d; lost: %v", len(before), slices.Sorted(maps.Keys(before)), len(after), lost)
	if len(before) == 0 || len(lost) > 0 {
		t.Errorf("Redis restart: %d tasks before, %d lost: %v", len(before), len(lost), lost)
	}
	e.pauseQueues(false)
	e.startMeili()
	e.settle(3*time.Minute, dossier, 6, a.Batch.ID, b.Batch.ID, down.Batch.ID)
}

// pauseQueues pauses (or resumes) every pipeline queue: workers then start none of their
// tasks, which stay where they are.
func (e *env) pauseQueues(pause bool) {
	e.t.Helper()
	for _, q := range queues {
		op := e.insp.UnpauseQueue
		if pause {
			op = e.insp.PauseQueue
		}
		if err := op(q); err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			e.t.Fatalf("pausing %s (%v): %v", q, pause, err)
		}
	}
}

// taskIDs returns the IDs of the tasks in every queue and state ("queue/id").
func (e *env) taskIDs() map[string]bool {
	e.t.Helper()
	ids := map[string]bool{}
	for _, q := range queues {
		for _, list := range []func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){
			e.insp.ListPendingTasks, e.insp.ListActiveTasks, e.insp.ListScheduledTasks, e.insp.ListRetryTasks, e.insp.ListArchivedTasks,
		} {
			tasks, err := list(q, asynq.PageSize(10000))
			if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
				e.t.Fatalf("listing %s: %v", q, err)
			}
			for _, ti := range tasks {
				ids[q+"/"+ti.ID] = true
			}
		}
	}
	return ids
}

// testDiskFull puts the data directory (blobs, and the store unless pg) on a small tmpfs
// and fills it. A
// document accepted just before cannot have its pages stored: the prepare task fails and
// is retried. An upload answers 5xx and leaves no document, batch or blob behind. Once the
// space is freed, the retried task goes through and the same upload is accepted and
// processed.
func testDiskFull(t *testing.T, pg bool) {
	data := filepath.Join(t.TempDir(), "data")
	os.Mkdir(data, 0o755)
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", data).CombinedOutput(); err != nil {
		need(t, fmt.Sprintf("mounting a tmpfs (needs root): %v %s", err, out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", data).CombinedOutput(); err != nil {
			t.Errorf("unmounting %s: %v %s", data, err, out)
		}
	})
	e := newEnv(t, data)
	if pg {
		e.onPostgres() // the tmpfs then holds the blobs only
	}
	e.serve()
	e.worker()
	dossier := "000.00.15.H29-261206-0004"
	first := e.mustUpload(dossier, []file{scanPDF(t, "k.pdf", 4, 1)})
	e.waitDone(2*time.Minute, first.Batch.ID)

	// Accepted while there is space, prepared once there is none.
	if err := e.insp.PauseQueue("prepare"); err != nil {
		t.Fatal(err)
	}
	accepted := e.mustUpload(dossier, []file{scanPDF(t, "k2.pdf", 0, 1)})
	filler := filepath.Join(data, "filler")
	fillDisk(t, filler)
	if err := e.insp.UnpauseQueue("prepare"); err != nil {
		t.Fatal(err)
	}
	e.waitRetrying("prepare", 1)
	if tasks, _ := e.insp.ListRetryTasks("prepare"); len(tasks) == 1 {
		t.Logf("disk full: prepare task retrying after %q", tasks[0].LastErr)
	}

	batches, blobs := e.countRows("batches"), e.blobFiles()
	files := []file{scanPDF(t, "l.pdf", 5, 2)}
	code, body, err := e.upload(dossier, files)
	if err != nil || code != http.StatusInsufficientStorage || !strings.Contains(string(body), `"storage_full"`) {
		t.Errorf("upload on a full disk: %d %s %v, want 507 storage_full", code, body, err)
	}
	if n := e.countRows("batches"); n != batches {
		t.Errorf("upload on a full disk left %d batches, want %d", n, batches)
	}
	if got := e.blobFiles(); !slices.Equal(got, blobs) {
		t.Errorf("upload on a full disk left blob files %v, want %v", got, blobs)
	}
	t.Logf("disk full: upload %d %s", code, strings.TrimSpace(string(body)))

	os.Remove(filler)
	res := e.mustUpload(dossier, files)
	e.settle(3*time.Minute, dossier, 3, accepted.Batch.ID, res.Batch.ID)
}

// fillDisk writes path until the file system has no space left.
func fillDisk(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 1<<20)
	for len(chunk) > 0 {
		if _, err := f.Write(chunk); err != nil {
			if !errorsIsNoSpace(err) {
				t.Fatalf("filling the disk: %v", err)
			}
			chunk = chunk[:len(chunk)/2]
		}
	}
}

func errorsIsNoSpace(err error) bool { return strings.Contains(err.Error(), syscall.ENOSPC.Error()) }

// testSIGTERM stops the worker with SIGTERM while it reads a page, and the server while an
// upload is still sending its body: the worker finishes or hands back its task and exits,
// the server answers the upload before it exits, and new processes finish the batches.
func testSIGTERM(t *testing.T) {
	e := newEnv(t, "")
	srv := e.serve()
	w := e.worker()
	dossier := "000.00.15.H29-261206-0005"
	a := e.mustUpload(dossier, []file{scanPDF(t, "m.pdf", 6, 3)})
	e.waitActive("ocr")
	if err := w.stop(time.Minute); err != nil {
		t.Errorf("worker after SIGTERM: %v", err)
	}
	if qc, _ := e.queueCounts(); qc.Active != 0 {
		t.Errorf("the stopped worker left tasks active: %s", qc)
	}

	// The server gets SIGTERM once the upload's handler runs (its batch exists: the first
	// file is stored) and while the second file is still on its way. (A connection still
	// waiting to be accepted when the listener closes is reset, and nothing acknowledged.)
	files := []file{scanPDF(t, "n.pdf", 7, 1), scanPDF(t, "n2.pdf", 8, 1)}
	body, ct := multipartBody(dossier, files)
	batches := e.countRows("batches")
	pr, pw := io.Pipe()
	go func() {
		mid := partData(body, files[1].name) + len(files[1].data)/2
		pw.Write(body[:mid])
		deadline := time.Now().Add(time.Minute)
		for n, err := e.rows("batches"); err == nil && n == batches && time.Now().Before(deadline); n, err = e.rows("batches") {
			time.Sleep(50 * time.Millisecond)
		}
		srv.signal(syscall.SIGTERM)
		time.Sleep(500 * time.Millisecond) // the server is shutting down while the body comes in
		pw.Write(body[mid:])
		pw.Close()
	}()
	req, _ := http.NewRequest(http.MethodPost, "http://"+e.httpAddr+"/v1/batches", pr)
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+uploaderKey)
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("upload during the server's shutdown: %v", err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("upload during the server's shutdown: %d %s", resp.StatusCode, answer)
	}
	var b api.UploadResult
	if err := json.Unmarshal(answer, &b); err != nil || len(b.Items) != 2 {
		t.Fatalf("upload during the server's shutdown answered %s (%v), want both files", answer, err)
	}
	select {
	case <-srv.done:
		if srv.err != nil {
			t.Errorf("serve after SIGTERM: %v", srv.err)
		}
	case <-time.After(time.Minute):
		t.Errorf("serve still running a minute after SIGTERM")
	}

	e.serve()
	e.worker()
	e.settle(2*time.Minute, dossier, 3, a.Batch.ID, b.Batch.ID)
}

// testUploadCut sends uploads whose body stops inside a file (the client's connection is
// half-closed there, so the server reads an early end). Cut inside the first file, nothing
// is kept; cut inside the second, the first file is kept in its batch as the API documents,
// and the client's retry of the whole upload finds it as the same document.
func testUploadCut(t *testing.T) {
	e := newEnv(t, "")
	e.serve()
	e.worker()
	dossier := "000.00.15.H29-261206-0006"
	files := []file{scanPDF(t, "o.pdf", 8, 1), scanPDF(t, "p.pdf", 9, 1)}
	body, ct := multipartBody(dossier, files)
	firstAt, secondAt := partData(body, files[0].name), partData(body, files[1].name)

	code := cutUpload(t, e.httpAddr, body, ct, firstAt+len(files[0].data)/2)
	if code/100 == 2 {
		t.Errorf("upload cut inside its first file answered %d", code)
	}
	if n := e.countRows("batches"); n != 0 {
		t.Errorf("upload cut inside its first file left %d batches", n)
	}
	if got := e.blobFiles(); len(got) != 0 {
		t.Errorf("upload cut inside its first file left blob files %v", got)
	}

	code = cutUpload(t, e.httpAddr, body, ct, secondAt+len(files[1].data)/2)
	if code/100 == 2 {
		t.Errorf("upload cut inside its second file answered %d", code)
	}
	res := e.mustUpload(dossier, files)
	if it := res.Items; len(it) != 2 || !it[0].Duplicate || it[1].Duplicate {
		t.Errorf("the whole upload again: %+v, want the first file as a duplicate and the second new", it)
	}
	db := e.openStore()
	kept, err := db.Document(t.Context(), res.Items[0].DocumentID)
	if err != nil {
		t.Fatal(err)
	}
	e.settle(2*time.Minute, dossier, 2, kept.BatchID, res.Batch.ID)
	t.Logf("%d batches: the cut upload's and the retry's", e.countRows("batches"))
}

// partData returns where the bytes of the file part named name begin in a multipart body.
func partData(body []byte, name string) int {
	h := strings.Index(string(body), `filename="`+name+`"`)
	return h + strings.Index(string(body[h:]), "\r\n\r\n") + 4
}

// cutUpload sends the first n bytes of an upload body announced at its full length, then
// half-closes the connection, and returns the status the server answered.
func cutUpload(t *testing.T, addr string, body []byte, contentType string, n int) int {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /v1/batches HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
		addr, uploaderKey, contentType, len(body))
	c.Write(body[:n])
	c.(*net.TCPConn).CloseWrite()
	c.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0 // the server closed the connection without an answer
	}
	resp.Body.Close()
	return resp.StatusCode
}
