package faults

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/internal/testenv"
	"github.com/sohoa/sohoa/store/storetest"
)

// The keys `sohoa serve` accepts in every test (SOHOA_API_KEYS).
const (
	uploaderKey = "up"
	clerkKey    = "cl"
	apiKeys     = uploaderKey + ":uploader," + clerkKey + ":clerk"
	indexName   = "faults"
)

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// need fails the test under `make test` (SOHOA_REQUIRE_SERVICES=1) and skips it when run by
// hand, as internal/testenv does for the shared services.
func need(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("SOHOA_REQUIRE_SERVICES") == "1" {
		t.Fatalf("%s is required (SOHOA_REQUIRE_SERVICES=1) but not available; run `make test`", what)
	}
	t.Skipf("%s not available; `make test` installs it", what)
}

// sohoaBinary builds cmd/sohoa once per test run: the tests run the program as operators do,
// as separate processes that can be killed.
func sohoaBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "sohoa-faults-")
		if buildErr != nil {
			return
		}
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
		if p, err := exec.LookPath("go"); err == nil {
			goTool = p
		}
		var out bytes.Buffer
		cmd := exec.Command(goTool, "build", "-o", filepath.Join(buildDir, "sohoa"), "github.com/sohoa/sohoa/cmd/sohoa")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			buildErr = fmt.Errorf("building sohoa: %v\n%s", err, out.String())
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(buildDir, "sohoa")
}

// meiliBinary is the Meilisearch server the test profile runs (scripts/lib.sh MEILI_BIN,
// installed by scripts/setup.sh).
func meiliBinary(t *testing.T) string {
	t.Helper()
	p := filepath.Join("..", ".tools", "meili", "node_modules", "@gaubee", "meilisearch-linux-amd64", "meilisearch")
	if st, err := os.Stat(p); err != nil || st.Mode()&0o111 == 0 {
		need(t, "the Meilisearch binary ("+p+", installed by scripts/setup.sh)")
	}
	abs, _ := filepath.Abs(p)
	return abs
}

// proc is a child process whose output goes to a log file, shown when the test fails.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error // valid once done is closed
}

func startProc(t *testing.T, name, logPath string, env []string, bin string, args ...string) *proc {
	t.Helper()
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "=== %s start %s\n", time.Now().Format(time.TimeOnly), strings.Join(args, " "))
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, f, f
	// Killed with the test binary (a timeout, ^C), so no server outlives the run.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("starting %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	return p
}

func (p *proc) running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

func (p *proc) signal(sig syscall.Signal) { p.cmd.Process.Signal(sig) }

// kill stops the process with SIGKILL and waits for it.
func (p *proc) kill() {
	if p.running() {
		p.cmd.Process.Kill()
	}
	<-p.done
}

// stop sends SIGTERM and waits up to d for the process to exit, then kills it. It returns
// the exit error of a process that stopped on its own, or an error naming the kill.
func (p *proc) stop(d time.Duration) error {
	p.signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err
	case <-time.After(d):
		p.kill()
		return fmt.Errorf("%s did not stop within %s of SIGTERM; killed", p.name, d)
	}
}

// tail returns the last n lines of the process's log.
func (p *proc) tail(n int) string {
	data, _ := os.ReadFile(p.log)
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if !strings.Contains(l, `"GET /v1/batches/{id}"`) { // the tests' polling
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// env is one test's installation: its own Redis, Meilisearch, data directory, and the
// sohoa processes started on them.
type env struct {
	t        *testing.T
	dir      string // the test's temporary directory
	data     string // SOHOA_DATA_DIR
	database string // SOHOA_DATABASE: a PostgreSQL URL, or "" for SQLite in the data directory
	redis    string // 127.0.0.1:port
	meiliURL string
	meiliKey string
	httpAddr string
	procs    []*proc
	redisP   *proc
	meiliP   *proc
	insp     *asynq.Inspector
}

// newEnv starts Redis and Meilisearch; data is the data directory ("" for one in the test's
// temporary directory). Serve and workers are started by the test.
func newEnv(t *testing.T, data string) *env {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		need(t, "redis-server")
	}
	meiliBinary(t)
	sohoaBinary(t)
	dir := t.TempDir()
	if data == "" {
		data = filepath.Join(dir, "data")
	}
	e := &env{t: t, dir: dir, data: data, meiliKey: "faults-master-key-0123456789",
		redis:    testenv.FreeAddr(t),
		meiliURL: "http://" + testenv.FreeAddr(t),
		httpAddr: testenv.FreeAddr(t),
	}
	// Registered first, so that a service failing to start shows its log too.
	t.Cleanup(func() {
		if e.insp != nil {
			e.insp.Close()
		}
		if t.Failed() {
			for _, p := range append([]*proc{e.redisP, e.meiliP}, e.procs...) {
				if p != nil {
					t.Logf("--- last lines of %s (%s):\n%s", p.name, p.log, p.tail(25))
				}
			}
		}
	})
	// Another process can bind a port between FreeAddr's check and the service's own bind:
	// a service that exits during its first start is started again on another port.
	for try := 1; !e.tryRedis(); try++ {
		if try == 3 {
			t.Fatalf("redis exited during start-up %d times: %v", try, e.redisP.err)
		}
		e.redis = testenv.FreeAddr(t)
	}
	for try := 1; !e.tryMeili(); try++ {
		if try == 3 {
			t.Fatalf("meilisearch exited during start-up %d times: %v", try, e.meiliP.err)
		}
		e.meiliURL = "http://" + testenv.FreeAddr(t)
	}
	e.insp = asynq.NewInspector(asynq.RedisClientOpt{Addr: e.redis})
	return e
}

// startRedis starts (or restarts) the test's redis-server as make test's profiles run it:
// AOF on, noeviction (asynq strands tasks when keys are evicted), here with an fsync per
// write so that a restart keeps every acknowledged enqueue.
func (e *env) startRedis() {
	e.t.Helper()
	if !e.tryRedis() {
		e.t.Fatalf("redis exited during start-up: %v", e.redisP.err)
	}
}

// tryRedis starts redis-server and waits until it answers; false when it exited first.
func (e *env) tryRedis() bool {
	e.t.Helper()
	_, port, _ := net.SplitHostPort(e.redis)
	rdir := filepath.Join(e.dir, "redis")
	os.MkdirAll(rdir, 0o755)
	e.redisP = startProc(e.t, "redis", filepath.Join(e.dir, "redis.log"), os.Environ(), "redis-server",
		"--port", port, "--bind", "127.0.0.1", "--dir", rdir, "--save", "",
		"--appendonly", "yes", "--appendfsync", "always", "--maxmemory-policy", "noeviction")
	return e.waitFor(e.redisP, func() bool { return redisPing(e.redis) })
}

func redisPing(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	fmt.Fprint(c, "PING\r\n")
	line, _ := bufio.NewReader(c).ReadString('\n')
	return strings.HasPrefix(line, "+PONG")
}

// startMeili starts (or restarts, on the same database) the test's Meilisearch, capped as
// scripts/services.sh caps it for a 2-core machine.
func (e *env) startMeili() {
	e.t.Helper()
	if !e.tryMeili() {
		e.t.Fatalf("meilisearch exited during start-up: %v", e.meiliP.err)
	}
}

// tryMeili starts Meilisearch and waits until it answers; false when it exited first.
func (e *env) tryMeili() bool {
	e.t.Helper()
	mdir := filepath.Join(e.dir, "meili")
	env := append(os.Environ(), "MEILI_MASTER_KEY="+e.meiliKey)
	e.meiliP = startProc(e.t, "meilisearch", filepath.Join(e.dir, "meili.log"), env, meiliBinary(e.t),
		"--http-addr", strings.TrimPrefix(e.meiliURL, "http://"), "--db-path", filepath.Join(mdir, "data.ms"),
		"--dump-dir", filepath.Join(mdir, "dumps"), "--snapshot-dir", filepath.Join(mdir, "snapshots"),
		"--no-analytics", "--env", "development", "--max-indexing-threads", "1", "--max-indexing-memory", "256Mb")
	return e.waitFor(e.meiliP, func() bool {
		resp, err := httpClient.Get(e.meiliURL + "/health")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// waitFor polls ok every 100 ms until it holds (true) or p exits (false), and fails the
// test, with p's last log lines, when neither happens within two minutes: make test runs
// other packages' Tesseract and services beside this one on two cores.
func (e *env) waitFor(p *proc, ok func() bool) bool {
	e.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !ok() {
		if !p.running() {
			return false
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s not ready within two minutes:\n%s", p.name, p.tail(25))
		}
		time.Sleep(100 * time.Millisecond)
	}
	return true
}

// sohoaEnv is the environment of a sohoa process: the test's own services, no SOHOA_*
// variable of the caller's.
func (e *env) sohoaEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SOHOA_") {
			out = append(out, kv)
		}
	}
	return append(out,
		"SOHOA_DATA_DIR="+e.data, "SOHOA_REDIS_ADDR="+e.redis, "SOHOA_MEILI_URL="+e.meiliURL,
		"SOHOA_MEILI_KEY="+e.meiliKey, "SOHOA_MEILI_INDEX="+indexName, "SOHOA_HTTP_ADDR="+e.httpAddr,
		"SOHOA_API_KEYS="+apiKeys, "SOHOA_OCR_WORKERS=1", "SOHOA_LOG_LEVEL=info",
		// Set here so that sohoa does not re-execute itself to set them.
		"OMP_THREAD_LIMIT=1", "MALLOC_ARENA_MAX=2", "SOHOA_DATABASE="+e.database)
}

// onPostgres moves the store to an empty schema on the test profile's PostgreSQL; call it
// before starting serve and workers.
func (e *env) onPostgres() { e.database = storetest.Schema(e.t) }

// serve starts `sohoa serve` and waits until /healthz answers.
func (e *env) serve() *proc {
	e.t.Helper()
	p := startProc(e.t, "serve", filepath.Join(e.dir, "serve.log"), e.sohoaEnv(), sohoaBinary(e.t), "serve")
	e.procs = append(e.procs, p)
	healthy := e.waitFor(p, func() bool {
		resp, err := httpClient.Get("http://" + e.httpAddr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return true
	})
	if !healthy {
		e.t.Fatalf("sohoa serve exited: %v\n%s", p.err, p.tail(20))
	}
	return p
}

// worker starts `sohoa worker` and waits until asynq lists its servers.
func (e *env) worker() *proc {
	e.t.Helper()
	before := len(e.servers())
	p := startProc(e.t, "worker", filepath.Join(e.dir, "worker.log"), e.sohoaEnv(), sohoaBinary(e.t), "worker")
	e.procs = append(e.procs, p)
	if !e.waitFor(p, func() bool { return len(e.servers()) > before }) {
		e.t.Fatalf("sohoa worker exited: %v\n%s", p.err, p.tail(20))
	}
	return p
}

// servers lists the live asynq servers of running worker processes.
func (e *env) servers() []*asynq.ServerInfo {
	ss, _ := e.insp.Servers()
	var live []*asynq.ServerInfo
	for _, s := range ss {
		if proc, err := os.FindProcess(s.PID); err == nil && proc.Signal(syscall.Signal(0)) == nil {
			live = append(live, s)
		}
	}
	return live
}

// queues are the pipeline's asynq queues (pipeline.BusyQueues and LightQueues).
var queues = []string{"prepare", "ocr", "doc", "index"}

// queueCounts sums the tasks of every queue by state.
type queueCounts struct{ Pending, Active, Scheduled, Retry, Archived int }

func (c queueCounts) String() string {
	return fmt.Sprintf("pending %d, active %d, scheduled %d, retry %d, archived %d", c.Pending, c.Active, c.Scheduled, c.Retry, c.Archived)
}

func (e *env) queueCounts() (queueCounts, error) {
	var c queueCounts
	for _, q := range queues {
		qi, err := e.insp.GetQueueInfo(q)
		if errors.Is(err, asynq.ErrQueueNotFound) {
			continue
		}
		if err != nil {
			return c, err
		}
		c.Pending += qi.Pending
		c.Active += qi.Active
		c.Scheduled += qi.Scheduled
		c.Retry += qi.Retry
		c.Archived += qi.Archived
	}
	return c, nil
}

// poll calls ok every 200 ms until it returns true or deadline passes; then the test fails
// with what last returned.
func poll(t *testing.T, within time.Duration, what string, ok func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		done, state := ok()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within %s; last state: %s", what, within, state)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func itoa(n int) string { return strconv.Itoa(n) }
