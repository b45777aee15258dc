package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/api"
	sohoaclient "github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/loadtest"
	_ "github.com/sohoa/sohoa/store" // registers the "pgx" driver
	"github.com/sohoa/sohoa/task"
)

// clusterPages is the size of each of TestCluster's three batches: at least 40 pages (issue
// 15). SOHOA_CLUSTER_PAGES changes it, for a quicker look on a busy machine.
func clusterPages(t *testing.T) int {
	n := 40
	if v := os.Getenv("SOHOA_CLUSTER_PAGES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("SOHOA_CLUSTER_PAGES=%q: want a positive number", v)
		}
	}
	return n
}

// TestCluster is `make cluster-test`: the namespaces of TestNetworkNamespaces, with a worker
// serving every queue on each host (SOHOA_OCR_WORKERS=1 each). Three batches of generated
// one-page documents go through serve's API:
//
//  1. with host A's worker alone, timed: pages/min with one worker namespace;
//  2. with host B's worker too, timed: pages/min with two;
//  3. host B's worker is killed with SIGKILL while it holds an OCR task; A finishes the batch
//     (asynq hands the dead worker's tasks on once their lease runs out).
//
// Then every batch is complete with nothing failed, each document has exactly its pages in
// PostgreSQL, all recognised, and Meilisearch holds exactly the documents the store holds.
// The two rates are printed, not asserted: they are wall-clock numbers on a shared machine.
// It is not part of make test (scripts/test.sh skips it): three batches of OCR under the
// race detector would add several minutes to it, and the rates mean something only without
// the race detector's slow-down; scripts/cluster-test.sh runs it, and .ci/run after make test.
func TestCluster(t *testing.T) {
	n := clusterPages(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Minute)
	if d, ok := t.Deadline(); ok {
		ctx, cancel = context.WithDeadline(context.Background(), d.Add(-time.Minute))
	}
	defer cancel()

	// Each worker is held to a core of its own, as on a host of one core: a worker prepares
	// the next page beside its OCR task, so unpinned, one worker alone would already use
	// part of the second core and the two rates would not compare one host with two.
	// The services, serve and the test share both cores, as they would share the network.
	if runtime.NumCPU() < 2 {
		t.Skip("two worker hosts of one core each need two CPUs")
	}
	const cpuA, cpuB = 0, 1

	files, pages := clusterFiles(ctx, t, 3*n)
	c := newNetnsCluster(ctx, t)
	hostA, hostB := c.hosts[0], c.hosts[1]
	// The test itself reaches Redis and PostgreSQL through loopback relays into the services
	// namespace: asynq's inspector to see which worker holds which task, SQL to check the store.
	insp := asynq.NewInspector(asynq.RedisClientOpt{Addr: relay(t, c.svc, svcIP+":6379")})
	defer insp.Close()
	pgURL, err := url.Parse(c.pgURL)
	if err != nil {
		t.Fatal(err)
	}
	pgURL.Host = relay(t, c.svc, svcIP+":5432")
	db, err := sql.Open("pgx", pgURL.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	up := &sohoaclient.Client{Base: c.base, Key: "up", HTTP: c.httpc}
	var batches []string
	batch := func() string {
		t.Helper()
		i := len(batches)
		res, err := up.Upload(ctx, fmt.Sprintf("000.00.15.H29-251201-%04d", 100+i), files[i*n:(i+1)*n])
		if err != nil {
			t.Fatal(err)
		}
		batches = append(batches, res.Batch.ID)
		return res.Batch.ID
	}
	// rate uploads the next batch and returns its pages per minute, from the upload's start
	// to the last document indexed.
	rate := func() float64 {
		t.Helper()
		start := time.Now()
		i := len(batches)
		waitBatch(ctx, t, c, up, batch(), n)
		return float64(pageSum(pages, files[i*n:(i+1)*n])) / time.Since(start).Minutes()
	}

	// 1. One worker namespace. Timing starts once the worker has registered with Redis, so
	// that neither rate counts a worker's start-up.
	workerA := c.serviceOnCPU(cpuA, "worker-a", hostA, "a", "worker")
	waitServers(ctx, t, c, insp, workerA)
	one := rate()

	// 2. Two worker namespaces.
	// Host B's worker logs at info level: its "task started" lines tell which task it holds.
	workerB := c.serviceOnCPU(cpuB, "worker-b", hostB, "b", "worker", "SOHOA_LOG_LEVEL=info")
	waitServers(ctx, t, c, insp, workerA, workerB)
	two := rate()
	load, _ := os.ReadFile("/proc/loadavg")
	line := fmt.Sprintf("cluster-test: %d pages per batch, pages/min: one worker namespace %.1f, two %.1f (%.2fx); load average %s",
		n, one, two, two/one, strings.Join(strings.Fields(string(load))[:3], " "))
	fmt.Println(line)
	t.Log(line)

	// 3. SIGKILL host B's worker in the middle of the batch (a quarter of its documents
	// indexed), while it holds an OCR task.
	id := batch()
	waitIndexed(ctx, t, c, up, id, n/4)
	held := waitOCRTask(ctx, t, c, insp, workerB)
	c.procs.kill(workerB)
	// The task must still be active in Redis, left by the dead worker: had B finished it just
	// before the kill, nothing would have been interrupted.
	if info, err := insp.GetTaskInfo(task.QueueOCR, held); err != nil || info.State != asynq.TaskStateActive {
		t.Fatalf("OCR task %s not left active by the killed worker: %v %v", held, info, err)
	}
	line = fmt.Sprintf("cluster-test: killed host B's worker (SIGKILL) in the middle of OCR task %s; batch 3 completed on host A in", held)
	start := time.Now()
	waitBatch(ctx, t, c, up, id, n)
	line = fmt.Sprintf("%s %s", line, time.Since(start).Round(time.Second))
	fmt.Println(line)
	t.Log(line)

	checkStored(ctx, t, db, batches, pageSum(pages, files))
	checkIndexed(ctx, t, c, db, batches)
}

// clusterFiles generates count one-page documents once into the user's cache directory (as
// sohoa load does) and returns their files and the pages each file holds.
func clusterFiles(ctx context.Context, t *testing.T, count int) ([]string, map[string]int) {
	t.Helper()
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = t.TempDir()
	}
	dir := filepath.Join(cache, "sohoa", fmt.Sprintf("cluster-pages-%d", count))
	files, err := loadtest.GeneratePages(ctx, os.Stdout, dir, 15, count)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]int{}
	for _, f := range files {
		d := filepath.Dir(f)
		if _, seen := pages[d]; seen {
			continue
		}
		pages[d] = 0
		truths, err := fixtures.ReadTruth(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range truths {
			pages[filepath.Join(d, tr.File)] = len(tr.Pages)
		}
	}
	return files, pages
}

func pageSum(pages map[string]int, files []string) int {
	sum := 0
	for _, f := range files {
		sum += pages[f]
	}
	return sum
}

// waitBatch waits until the batch is done with every one of its want documents indexed.
func waitBatch(ctx context.Context, t *testing.T, c *netnsCluster, up *sohoaclient.Client, id string, want int) {
	t.Helper()
	p := followUntil(ctx, t, c, up, id, func(p api.BatchProgress) bool { return p.Done })
	if p.Counts["indexed"] != want || p.Total != want {
		t.Fatalf("batch %s done with %d documents %+v, want %d indexed", id, p.Total, p.Counts, want)
	}
}

// waitIndexed waits until at least k of the batch's documents are indexed.
func waitIndexed(ctx context.Context, t *testing.T, c *netnsCluster, up *sohoaclient.Client, id string, k int) {
	t.Helper()
	followUntil(ctx, t, c, up, id, func(p api.BatchProgress) bool { return p.Counts["indexed"] >= k })
}

// followUntil polls the batch's progress until done says so, failing the test if a process
// of the cluster ends or the time runs out.
func followUntil(ctx context.Context, t *testing.T, c *netnsCluster, up *sohoaclient.Client, id string, done func(api.BatchProgress) bool) api.BatchProgress {
	t.Helper()
	for {
		var p api.BatchProgress
		if err := up.Get(ctx, "/v1/batches/"+id, &p); err != nil {
			t.Fatal(err)
		}
		if done(p) {
			return p
		}
		c.procs.check()
		select {
		case <-ctx.Done():
			t.Fatalf("batch %s: still %+v", id, p.Counts)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// waitServers waits until each of the workers has registered with Redis. A worker is known
// by its process id: `ip netns exec` execs the command in place.
func waitServers(ctx context.Context, t *testing.T, c *netnsCluster, insp *asynq.Inspector, workers ...*proc) {
	t.Helper()
	for {
		servers, _ := insp.Servers()
		missing := 0
		for _, w := range workers {
			if len(serversOf(servers, w)) == 0 {
				missing++
			}
		}
		if missing == 0 {
			return
		}
		c.procs.check()
		select {
		case <-ctx.Done():
			t.Fatalf("%d workers not registered with Redis", missing)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// serversOf returns the asynq servers that worker process w runs, known by its process id.
func serversOf(servers []*asynq.ServerInfo, w *proc) []*asynq.ServerInfo {
	var of []*asynq.ServerInfo
	for _, s := range servers {
		if s.PID == w.cmd.Process.Pid && s.Status == "active" {
			of = append(of, s)
		}
	}
	return of
}

// waitOCRTask waits until worker w is running an OCR task and returns the task's id: one
// its log says it started and has not ended, and that Redis still has active, so it cannot
// have moved to another worker without being retried. (asynq's server heartbeat, which
// also lists a server's tasks, is up to five seconds old: longer than an OCR task.)
func waitOCRTask(ctx context.Context, t *testing.T, c *netnsCluster, insp *asynq.Inspector, w *proc) string {
	t.Helper()
	for {
		if held := runningTasks(t, w.log, task.QueueOCR); len(held) > 0 {
			active, _ := insp.ListActiveTasks(task.QueueOCR, asynq.PageSize(1000))
			for _, at := range active {
				if held[at.ID] {
					return at.ID
				}
			}
		}
		c.procs.check()
		select {
		case <-ctx.Done():
			t.Fatalf("%s never held an OCR task", w.name)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// runningTasks reads a worker's text log (SOHOA_LOG_LEVEL=info) and returns the ids of the
// tasks of queue that it started and has not yet logged as done, failed or given up.
func runningTasks(t *testing.T, log, queue string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]bool{}
	for line := range strings.Lines(string(data)) {
		if !strings.Contains(line, " queue="+queue+" ") {
			continue
		}
		_, id, ok := strings.Cut(line, " task_id=")
		if !ok {
			continue
		}
		id = strings.Fields(id)[0]
		if strings.Contains(line, `msg="task started"`) {
			held[id] = true
		} else {
			delete(held, id)
		}
	}
	return held
}

// checkStored checks that the batches' documents hold exactly the pages uploaded, each stored
// once and recognised, whatever the killed worker had begun.
func checkStored(ctx context.Context, t *testing.T, db *sql.DB, batches []string, wantPages int) {
	t.Helper()
	rows, err := db.QueryContext(ctx, `
		SELECT d.id, d.status, d.page_count, COUNT(p.number), COUNT(DISTINCT p.number), COUNT(DISTINCT p.image),
		       COALESCE(SUM(p.recognised), 0), COALESCE(MIN(p.number), 0), COALESCE(MAX(p.number), 0)
		FROM documents d LEFT JOIN pages p ON p.doc_id = d.id
		WHERE d.batch_id = ANY($1)
		GROUP BY d.id, d.status, d.page_count`, batches)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	docs, pages := 0, 0
	for rows.Next() {
		var id, status string
		var count, rowsN, numbers, images, recognised, first, last int
		if err := rows.Scan(&id, &status, &count, &rowsN, &numbers, &images, &recognised, &first, &last); err != nil {
			t.Fatal(err)
		}
		docs++
		pages += rowsN
		if status != "indexed" || count < 1 || rowsN != count || numbers != count || images != count ||
			recognised != count || first != 1 || last != count {
			t.Errorf("document %s (%s): page_count %d, %d page rows numbered %d-%d (%d distinct), %d images, %d recognised",
				id, status, count, rowsN, first, last, numbers, images, recognised)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if pages != wantPages {
		t.Errorf("%d documents hold %d pages, want the %d uploaded", docs, pages, wantPages)
	}
}

// checkIndexed checks that Meilisearch holds each of the batches' documents once, and nothing
// else, once it has applied every task queued for the index.
func checkIndexed(ctx context.Context, t *testing.T, c *netnsCluster, db *sql.DB, batches []string) {
	t.Helper()
	uid := fmt.Sprintf("netns_%s_v%d", c.id, index.SchemaVersion)
	meili := func(path string, out any) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.meiliURL+path, nil)
		req.Header.Set("Authorization", "Bearer "+c.meiliKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s: %s", path, resp.Status, body)
		}
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatal(err)
		}
	}
	for {
		var tasks struct {
			Total int `json:"total"`
		}
		meili("/tasks?limit=1&statuses=enqueued,processing&indexUids="+uid, &tasks)
		if tasks.Total == 0 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d Meilisearch tasks still pending", tasks.Total)
		case <-time.After(200 * time.Millisecond):
		}
	}
	var docs struct {
		Results []struct {
			ID string `json:"id"`
		} `json:"results"`
		Total int `json:"total"`
	}
	meili("/indexes/"+uid+"/documents?fields=id&limit=100000", &docs)
	var indexed []string
	for _, d := range docs.Results {
		indexed = append(indexed, d.ID)
	}
	rows, err := db.QueryContext(ctx, `SELECT id FROM documents WHERE batch_id = ANY($1)`, batches)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var stored []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(indexed)
	slices.Sort(stored)
	if docs.Total != len(stored) || !slices.Equal(indexed, stored) {
		t.Errorf("Meilisearch holds %d documents (total %d), the store %d: index %v, store %v",
			len(indexed), docs.Total, len(stored), indexed, stored)
	}
}

// relay listens on a loopback port of the root namespace and relays every connection to
// target, dialled inside namespace ns, until the test ends. It returns the port's address.
func relay(t *testing.T, ns, target string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go relayFrom(ln, func() (net.Conn, error) { return dialIn(context.Background(), ns, "tcp", target) })
	return ln.Addr().String()
}
