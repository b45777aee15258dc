package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sohoa/sohoa/api"
	sohoaclient "github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/internal/testenv"
)

// The namespaces' network: one bridge in the services' namespace, a veth link from it into
// each host's namespace. Addresses come from 198.18.0.0/15, the range set aside for network
// tests (RFC 2544), so nothing here can reach or shadow a real network; the root namespace
// gets no link and no address.
const (
	svcIP   = "198.18.0.1" // Redis, S3, and the forwarders to PostgreSQL and Meilisearch
	hostAIP = "198.18.0.2" // serve, and a worker preparing and reading pages
	hostBIP = "198.18.0.3" // a worker reading pages, classifying, extracting and indexing
)

// TestNetworkNamespaces runs sohoa as on three machines: PostgreSQL, Redis and an S3 server
// in a services namespace, and two hosts in namespaces of their own, each with its own empty
// data directory, that reach the services only over their veth links. Host A runs serve and
// a worker with --queues prepare,ocr; host B a worker with --queues ocr,doc,index. A batch
// uploaded to A's API completes, which needs B (the only one classifying and indexing) to
// read what A stored, through PostgreSQL and S3. The namespaces and links are removed at
// the end, also when the test fails.
//
// Meilisearch is the test profile's, in the root namespace: the test forwards to it from a
// listener it opens inside the services namespace, so the hosts still reach it only at
// 198.18.0.1.
func TestNetworkNamespaces(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	c := newNetnsCluster(ctx, t)
	hostA, hostB, dir := c.hosts[0], c.hosts[1], c.dir
	c.service("worker-a", hostA, "a", "worker --queues prepare,ocr")
	c.service("worker-b", hostB, "b", "worker --queues ocr,doc,index")
	procs, httpc, base := c.procs, c.httpc, c.base

	truths, err := fixtures.Generate(ctx, filepath.Join(dir, "scans"), fixtures.Options{Seed: 5150, Count: 4, Types: []string{"quyet_dinh", "cong_van"}})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, tr := range truths {
		files = append(files, filepath.Join(dir, "scans", tr.File))
	}
	up := &sohoaclient.Client{Base: base, Key: "up", HTTP: httpc}
	res, err := up.Upload(ctx, "000.00.15.H29-251201-0003", files)
	if err != nil {
		t.Fatal(err)
	}
	for {
		var p api.BatchProgress
		if err := up.Get(ctx, "/v1/batches/"+res.Batch.ID, &p); err != nil {
			t.Fatal(err)
		}
		if p.Done {
			if p.Counts["indexed"] != len(files) {
				t.Errorf("batch done with %+v, want %d indexed", p.Counts, len(files))
			}
			break
		}
		procs.check()
		select {
		case <-ctx.Done():
			t.Fatalf("batch not done: %+v", p.Counts)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// netnsCluster is sohoa on three machines: PostgreSQL, Redis and an S3 server in a services
// namespace (svc), and two hosts in namespaces of their own, each with its own empty data
// directory, that reach the services only over their veth links. serve runs on the first
// host; the tests start the workers they need.
type netnsCluster struct {
	id, dir  string
	svc      string
	hosts    [2]string // namespaces of host A and host B
	procs    *processes
	pgURL    string // as the hosts reach it (198.18.0.1)
	meiliURL string // the test profile's, in the root namespace
	meiliKey string
	self     string // the test binary, run again as each service
	httpc    *http.Client
	base     string // serve's API, reached through httpc
}

// newNetnsCluster builds the namespaces and links, starts the services and serve, and waits
// until serve answers. Everything is removed in t.Cleanup, also when the test fails.
func newNetnsCluster(ctx context.Context, t *testing.T) *netnsCluster {
	t.Helper()
	if os.Geteuid() != 0 {
		requireNetns(t, "root (network namespaces)")
	}
	for _, bin := range []string{"ip", "redis-server", "go", "setpriv", "pg_isready"} {
		if _, err := exec.LookPath(bin); err != nil {
			requireNetns(t, bin+" in PATH")
		}
	}
	pgBin, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(pgBin) == 0 {
		requireNetns(t, "the PostgreSQL server (Debian postgresql)")
	}
	meiliURL, meiliKey := testenv.Meili(t)
	dir := t.TempDir()

	var suffix [3]byte
	rand.Read(suffix[:])
	id := hex.EncodeToString(suffix[:])
	svc, hostA, hostB := "sohoa-"+id+"-s", "sohoa-"+id+"-a", "sohoa-"+id+"-b"
	namespaces := []string{svc, hostA, hostB}
	// scripts/cluster-test.sh reads this line to check that these very namespaces are gone.
	t.Logf("namespaces %s", strings.Join(namespaces, " "))
	// Registered before anything is made, so that a failure half-way still removes it all.
	// Deleting a namespace deletes the links and the bridge inside it.
	t.Cleanup(func() {
		for _, ns := range namespaces {
			exec.Command("ip", "netns", "del", ns).Run()
		}
		out, _ := exec.Command("ip", "netns", "list").Output()
		for _, ns := range namespaces {
			if bytes.Contains(out, []byte(ns)) {
				t.Errorf("namespace %s left behind", ns)
			}
		}
	})
	ip := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	for _, ns := range namespaces {
		ip("netns", "add", ns)
		ip("-n", ns, "link", "set", "lo", "up")
	}
	ip("-n", svc, "link", "add", "br0", "type", "bridge")
	ip("-n", svc, "addr", "add", svcIP+"/24", "dev", "br0")
	ip("-n", svc, "link", "set", "br0", "up")
	for i, h := range []struct{ ns, addr string }{{hostA, hostAIP}, {hostB, hostBIP}} {
		port := fmt.Sprintf("p%d", i)
		ip("-n", svc, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", h.ns)
		ip("-n", svc, "link", "set", port, "master", "br0", "up")
		ip("-n", h.ns, "addr", "add", h.addr+"/24", "dev", "eth0")
		ip("-n", h.ns, "link", "set", "eth0", "up")
	}

	procs := &processes{t: t, dir: dir}
	t.Cleanup(procs.stop)

	// Services in their namespace.
	redisDir := filepath.Join(dir, "redis")
	os.MkdirAll(redisDir, 0o755)
	procs.start("redis", svc, nil, "redis-server", "--port", "6379", "--bind", svcIP, "--save", "", "--appendonly", "no", "--dir", redisDir,
		"--protected-mode", "no") // no password: bound to the private 198.18.0.1 only
	s3dev := filepath.Join(dir, "s3dev")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", s3dev, "github.com/sohoa/sohoa/cmd/s3dev").CombinedOutput(); err != nil {
		t.Fatalf("building s3dev: %v: %s", err, out)
	}
	procs.start("s3dev", svc, nil, s3dev, "-addr", svcIP+":9000", "-dir", filepath.Join(dir, "s3"), "-bucket", "sohoa", "-allow-remote")

	pgURL := startPostgres(ctx, t, procs, svc, filepath.Dir(pgBin[len(pgBin)-1]))
	meili, err := url.Parse(meiliURL)
	if err != nil {
		t.Fatal(err)
	}
	forward(t, svc, svcIP+":7700", meili.Host)
	for _, addr := range []string{svcIP + ":6379", svcIP + ":9000", svcIP + ":7700"} {
		waitDial(ctx, t, hostB, addr)
	}
	for exec.CommandContext(ctx, "ip", "netns", "exec", hostB, "pg_isready", "-q", "-h", svcIP, "-p", "5432").Run() != nil {
		procs.check()
		select {
		case <-ctx.Done():
			t.Fatal("PostgreSQL not ready at " + svcIP + " from host B")
		case <-time.After(100 * time.Millisecond):
		}
	}

	// The hosts: the test binary again, running one command each (TestNetnsService).
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := &netnsCluster{id: id, dir: dir, svc: svc, hosts: [2]string{hostA, hostB}, procs: procs, pgURL: pgURL,
		meiliURL: meiliURL, meiliKey: meiliKey, self: self}
	c.service("serve", hostA, "a", "serve")

	// The test talks to A's API from inside A's namespace.
	httpc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return dialIn(ctx, hostA, network, addr)
	}}}
	base := "http://" + hostAIP + ":8080"
	for {
		if resp, err := httpc.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		procs.check()
		select {
		case <-ctx.Done():
			t.Fatal("serve did not become healthy in its namespace")
		case <-time.After(200 * time.Millisecond):
		}
	}
	c.httpc, c.base = httpc, base
	return c
}

// service runs one sohoa command ("serve", "worker --queues ocr") in namespace ns with the
// data directory of host (a, b), as the test binary through TestNetnsService.
func (c *netnsCluster) service(name, ns, host, command string, extraEnv ...string) *proc {
	return c.procs.start(name, ns, c.serviceEnv(host, command, extraEnv), c.self, "-test.run=^TestNetnsService$")
}

// serviceOnCPU is service held to one CPU, as on a host of one core: taskset sets the
// affinity and execs the test binary, whose threads all inherit it.
func (c *netnsCluster) serviceOnCPU(cpu int, name, ns, host, command string, extraEnv ...string) *proc {
	return c.procs.start(name, ns, c.serviceEnv(host, command, extraEnv), "taskset", "-c", strconv.Itoa(cpu), c.self, "-test.run=^TestNetnsService$")
}

// serviceEnv is the environment of a sohoa command on host (a, b): the shared services as
// the hosts reach them, the host's own data directory, and extraEnv last.
func (c *netnsCluster) serviceEnv(host, command string, extraEnv []string) []string {
	data := filepath.Join(c.dir, host)
	env := []string{
		"SOHOA_DATA_DIR=" + data, "SOHOA_DATABASE=" + c.pgURL,
		"SOHOA_BLOBS=s3://sohoa/cluster", "SOHOA_S3_ENDPOINT=http://" + svcIP + ":9000", "SOHOA_S3_REGION=us-east-1",
		"SOHOA_S3_ACCESS_KEY=sohoa-dev", "SOHOA_S3_SECRET_KEY=sohoa-dev-secret",
		"SOHOA_REDIS_ADDR=" + svcIP + ":6379", "SOHOA_MEILI_URL=http://" + svcIP + ":7700", "SOHOA_MEILI_KEY=" + c.meiliKey,
		"SOHOA_MEILI_INDEX=netns_" + c.id, "SOHOA_HTTP_ADDR=" + hostAIP + ":8080", "SOHOA_API_KEYS=up:uploader",
		"SOHOA_OCR_WORKERS=1", "SOHOA_LOG_LEVEL=warn", "SOHOA_LOG_FORMAT=text", "OMP_THREAD_LIMIT=1",
		"SOHOA_NETNS_SERVICE=" + command,
	}
	return append(env, extraEnv...) // later entries win (os/exec keeps the last of a name)
}

// startPostgres creates a cluster under /var/tmp (the server runs as the postgres user, which
// must reach it; the test's own directory may be out of its reach) and starts it in
// namespace ns, listening on the services address only, with a generated password. It
// returns the URL the hosts use.
func startPostgres(ctx context.Context, t *testing.T, procs *processes, ns, bin string) string {
	t.Helper()
	pgUser, err := user.Lookup("postgres")
	if err != nil {
		requireNetns(t, "the postgres user")
	}
	uid, _ := strconv.Atoi(pgUser.Uid)
	gid, _ := strconv.Atoi(pgUser.Gid)
	dir, err := os.MkdirTemp("/var/tmp", "sohoa-netns-pg-")
	if err != nil {
		t.Fatal(err)
	}
	procs.afterStop(func() { os.RemoveAll(dir) }) // not before the server has stopped
	var pw [16]byte
	rand.Read(pw[:])
	password := hex.EncodeToString(pw[:])
	pwfile := filepath.Join(dir, "pw")
	if err := os.WriteFile(pwfile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, pwfile} {
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", data, "-U", "sohoa", "--pwfile="+pwfile,
		"--auth-host=scram-sha-256", "--auth-local=reject", "-E", "UTF8", "--no-locale", "--no-sync")
	initdb.Dir = "/"
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v: %s", err, out)
	}
	// initdb lets in loopback only; the hosts come from the namespaces' network.
	hba, err := os.OpenFile(filepath.Join(data, "pg_hba.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = fmt.Fprintln(hba, "host all sohoa 198.18.0.0/24 scram-sha-256")
	if cerr := hba.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	// setpriv execs the server in place, so the process the test stops is the postmaster.
	procs.start("postgres", ns, nil, "setpriv", "--reuid", pgUser.Uid, "--regid", pgUser.Gid, "--init-groups",
		filepath.Join(bin, "postgres"), "-D", data, "-p", "5432", "-c", "listen_addresses="+svcIP,
		"-c", "unix_socket_directories=", "-c", "fsync=off")
	return (&url.URL{Scheme: "postgres", User: url.UserPassword("sohoa", password), Host: svcIP + ":5432", Path: "/postgres"}).String()
}

// TestNetnsService is one command of TestNetworkNamespaces, run by it in a namespace of its
// own (SOHOA_NETNS_SERVICE="worker --queues ocr"); it is skipped otherwise.
func TestNetnsService(t *testing.T) {
	spec := os.Getenv("SOHOA_NETNS_SERVICE")
	if spec == "" {
		t.Skip("one service of TestNetworkNamespaces, which runs it")
	}
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	args := strings.Fields(spec)
	switch args[0] {
	case "serve":
		err = runServe(ctx, cfg, args[1:])
	case "worker":
		err = runWorker(ctx, cfg, args[1:])
	default:
		err = fmt.Errorf("unknown service %q", spec)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// requireNetns skips the test for want, or fails it when make test requires every service.
func requireNetns(t *testing.T, want string) {
	t.Helper()
	if os.Getenv("SOHOA_REQUIRE_SERVICES") == "1" {
		t.Fatalf("the network-namespace test needs %s (SOHOA_REQUIRE_SERVICES=1)", want)
	}
	t.Skipf("the network-namespace test needs %s", want)
}

// inNetns runs fn on an OS thread moved into network namespace ns. Sockets fn opens stay in
// ns. The thread is never unlocked, so it ends with the goroutine rather than going back to
// the scheduler in the wrong namespace.
func inNetns(ns string, fn func()) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		f, err := os.Open(filepath.Join("/var/run/netns", ns))
		if err != nil {
			errc <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		fn()
		errc <- nil
	}()
	return <-errc
}

// dialIn connects to addr from inside namespace ns.
func dialIn(ctx context.Context, ns, network, addr string) (net.Conn, error) {
	var c net.Conn
	var derr error
	if err := inNetns(ns, func() { c, derr = (&net.Dialer{}).DialContext(ctx, network, addr) }); err != nil {
		return nil, err
	}
	return c, derr
}

// waitDial waits until addr answers a connection from namespace ns.
func waitDial(ctx context.Context, t *testing.T, ns, addr string) {
	t.Helper()
	for {
		c, err := dialIn(ctx, ns, "tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s not reachable from %s: %v", addr, ns, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// forward listens on listen inside namespace ns and relays every connection to target,
// dialled from the test's own (root) namespace, until the test ends.
func forward(t *testing.T, ns, listen, target string) {
	t.Helper()
	var ln net.Listener
	var lerr error
	if err := inNetns(ns, func() { ln, lerr = net.Listen("tcp", listen) }); err != nil || lerr != nil {
		t.Fatalf("listening on %s in %s: %v %v", listen, ns, err, lerr)
	}
	t.Cleanup(func() { ln.Close() })
	go relayFrom(ln, func() (net.Conn, error) { return net.Dial("tcp", target) })
}

// relayFrom accepts connections on ln until it is closed and copies each both ways to a
// connection from dial.
func relayFrom(ln net.Listener, dial func() (net.Conn, error)) {
	for {
		in, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer in.Close()
			out, err := dial()
			if err != nil {
				return
			}
			defer out.Close()
			go func() { io.Copy(out, in); out.(*net.TCPConn).CloseWrite() }()
			io.Copy(in, out)
		}()
	}
}

// processes are the commands a test started in namespaces, stopped at its end.
type processes struct {
	t     *testing.T
	dir   string
	list  []*proc
	after []func()
}

// afterStop has fn run once every process has stopped.
func (ps *processes) afterStop(fn func()) { ps.after = append(ps.after, fn) }

type proc struct {
	name   string
	cmd    *exec.Cmd
	log    string
	done   chan struct{}
	err    error
	killed bool // by kill: its end is no failure
}

// start runs bin with args in namespace ns, with env added to the test's environment less
// its SOHOA_ variables, and its output in a log file under the test's directory.
func (ps *processes) start(name, ns string, env []string, bin string, args ...string) *proc {
	ps.t.Helper()
	p := &proc{name: name, log: filepath.Join(ps.dir, name+".log"), done: make(chan struct{})}
	out, err := os.Create(p.log)
	if err != nil {
		ps.t.Fatal(err)
	}
	p.cmd = exec.Command("ip", append([]string{"netns", "exec", ns, bin}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SOHOA_") {
			p.cmd.Env = append(p.cmd.Env, kv)
		}
	}
	p.cmd.Env = append(p.cmd.Env, env...)
	p.cmd.Stdout, p.cmd.Stderr = out, out
	if err := p.cmd.Start(); err != nil {
		out.Close()
		ps.t.Fatalf("starting %s: %v", name, err)
	}
	go func() {
		p.err = p.cmd.Wait()
		out.Close()
		close(p.done)
	}()
	ps.list = append(ps.list, p)
	return p
}

// kill ends p with SIGKILL, as a host losing power would, and waits for it to be gone; check
// and stop then take its end as asked for.
func (ps *processes) kill(p *proc) {
	p.killed = true
	p.cmd.Process.Kill()
	<-p.done
}

// check fails the test when a process has ended before being told to.
func (ps *processes) check() {
	ps.t.Helper()
	for _, p := range ps.list {
		if p.killed {
			continue
		}
		select {
		case <-p.done:
			ps.t.Fatalf("%s stopped: %v\n%s", p.name, p.err, tail(p.log))
		default:
		}
	}
}

// stop ends every process, the hosts first (SIGTERM, then SIGKILL after 30 s), and shows
// their logs when the test failed.
func (ps *processes) stop() {
	for i := len(ps.list) - 1; i >= 0; i-- {
		p := ps.list[i]
		if p.killed {
			continue
		}
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(30 * time.Second):
			p.cmd.Process.Kill()
			<-p.done
		}
		if p.err != nil && !ps.t.Failed() {
			ps.t.Errorf("%s stopped with %v\n%s", p.name, p.err, tail(p.log))
		}
		if ps.t.Failed() {
			ps.t.Logf("%s log:\n%s", p.name, tail(p.log))
		}
	}
	for _, fn := range ps.after {
		fn()
	}
}

func tail(path string) string {
	data, _ := os.ReadFile(path)
	if len(data) > 3000 {
		data = data[len(data)-3000:]
	}
	return string(data)
}
