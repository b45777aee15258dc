// Package layering_test keeps the package layering the design draws, over what `go list
// -deps` reports: the stage packages stay free of storage, queues, the search index and
// HTTP, so they can run (and be tested) anywhere; the HTTP API and serve's wiring (package
// server) link no C code, so they build and run without Tesseract.
package layering_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const mod = "github.com/sohoa/sohoa/"

// stages are the packages that turn an image into a record.
var stages = []string{"scan", "ocr", "classify", "extract"}

// forbidden are what a stage must not reach: the store and its database, the queue, and
// the search index and its client.
var forbidden = []string{
	mod + "store", "modernc.org/sqlite",
	mod + "pipeline", "github.com/hibiken/asynq", "github.com/redis/go-redis/v9",
	mod + "index", "github.com/meilisearch/meilisearch-go",
}

// noHTTP is what no package of this module under a stage may import itself. Libraries may:
// pdfcpu's validator, under scan, imports net/http without making requests from a stage.
const noHTTP = "net/http"

// pkg is one package of a `go list -deps` answer.
type pkg struct {
	std     bool
	cgo     bool
	imports []string
}

// deps lists root and every package it depends on.
func deps(t *testing.T, root string) map[string]pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps",
		"-f", `{{.ImportPath}}|{{.Standard}}|{{len .CgoFiles}}|{{join .Imports " "}}`, root).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list -deps %s: %v\n%s", root, err, stderr)
	}
	m := map[string]pkg{}
	for line := range strings.Lines(strings.TrimSpace(string(out))) {
		f := strings.Split(strings.TrimSpace(line), "|")
		if len(f) != 4 {
			t.Fatalf("go list answered %q", line)
		}
		m[f[0]] = pkg{std: f[1] == "true", cgo: f[2] != "0", imports: strings.Fields(f[3])}
	}
	return m
}

// path returns the import chain from root to target, or nil.
func path(m map[string]pkg, root, target string) []string {
	prev := map[string]string{root: ""}
	queue := []string{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p == target {
			var chain []string
			for ; p != ""; p = prev[p] {
				chain = append(chain, p)
			}
			slices.Reverse(chain)
			return chain
		}
		for _, q := range m[p].imports {
			if _, seen := prev[q]; !seen {
				prev[q] = p
				queue = append(queue, q)
			}
		}
	}
	return nil
}

// cgoPackages are the packages outside the standard library in m that have C code. The
// standard library's own (net's resolver, runtime/cgo) are left out: they go with the
// toolchain's CGO_ENABLED, not with a C library the code needs.
func cgoPackages(m map[string]pkg) []string {
	var c []string
	for p, info := range m {
		if info.cgo && !info.std {
			c = append(c, p)
		}
	}
	slices.Sort(c)
	return c
}

func TestStagesStayPure(t *testing.T) {
	t.Parallel()
	for _, s := range stages {
		root := mod + s
		m := deps(t, root)
		for _, f := range forbidden {
			if _, ok := m[f]; ok {
				t.Errorf("%s imports %s: %s", s, f, strings.Join(path(m, root, f), " -> "))
			}
		}
		for p, info := range m {
			if strings.HasPrefix(p, mod) && slices.Contains(info.imports, noHTTP) {
				t.Errorf("%s imports %s: %s -> %s", s, noHTTP, strings.Join(path(m, root, p), " -> "), noHTTP)
			}
		}
	}
}

// servePackages are what `sohoa serve` runs: the HTTP API and the web UI.
var servePackages = []string{"api", "web"}

// worker are the packages that run tasks: serve's side only schedules them.
var worker = []string{mod + "pipeline", mod + "ocr", "github.com/otiai10/gosseract/v2"}

func TestAPILinksNoCgo(t *testing.T) {
	t.Parallel()
	seesCgo(t)
	for _, name := range servePackages {
		// They only schedule tasks (task.Enqueuer); the queue's client is the caller's.
		noCgo(t, name, append([]string{"github.com/hibiken/asynq", "github.com/redis/go-redis/v9"}, worker...))
	}
}

// TestServerLinksNoCgo keeps serve's wiring (package server: the API, the UI, metrics, the
// queue monitor, the requeue sweep) buildable without Tesseract. It holds the queue's
// client and asynq's inspector, so asynq is allowed; the worker's packages are not.
func TestServerLinksNoCgo(t *testing.T) {
	t.Parallel()
	seesCgo(t)
	noCgo(t, "server", worker)
}

// clients are the commands' API clients: they talk to serve over HTTP and run nothing.
var clients = []string{"client", "ingest", "loadtest"}

// TestClientsLinkNoCgo keeps the API clients light: no C code, no queue, none of the worker.
func TestClientsLinkNoCgo(t *testing.T) {
	t.Parallel()
	seesCgo(t)
	for _, name := range clients {
		noCgo(t, name, append([]string{"github.com/hibiken/asynq", "github.com/redis/go-redis/v9"}, worker...))
	}
}

// seesCgo fails the test unless the check sees C code where it is: ocr calls Tesseract
// through gosseract.
func seesCgo(t *testing.T) {
	t.Helper()
	if c := cgoPackages(deps(t, mod+"ocr")); !slices.Contains(c, "github.com/otiai10/gosseract/v2") {
		t.Fatalf("ocr's C code not seen; packages with C code: %v", c)
	}
}

// noCgo reports each package with C code under the module's package name, and each of
// forbidden it imports, with the import chain that brings it in.
func noCgo(t *testing.T, name string, forbidden []string) {
	t.Helper()
	root := mod + name
	m := deps(t, root)
	for _, p := range cgoPackages(m) {
		t.Errorf("%s links C code: %s", name, strings.Join(path(m, root, p), " -> "))
	}
	for _, p := range forbidden {
		if _, ok := m[p]; ok {
			t.Errorf("%s imports %s: %s", name, p, strings.Join(path(m, root, p), " -> "))
		}
	}
}

// TestTaskIsALeaf keeps the task contract importable from anywhere: the standard library only.
func TestTaskIsALeaf(t *testing.T) {
	t.Parallel()
	root := mod + "task"
	m := deps(t, root)
	for p, info := range m {
		if p != root && !info.std {
			t.Errorf("task imports %s: %s", p, strings.Join(path(m, root, p), " -> "))
		}
	}
}
