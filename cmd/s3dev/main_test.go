package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		addr   string
		remote bool
		ok     bool
	}{
		{"127.0.0.1:9591", false, true},
		{"[::1]:9591", false, true},
		{"localhost:9591", false, true},
		{"0.0.0.0:9591", false, false},
		{":9591", false, false},
		{"198.18.0.1:9591", false, false},
		{"198.18.0.1:9591", true, true},
		{"no-port", false, false},
	} {
		if err := checkAddr(c.addr, c.remote); (err == nil) != c.ok {
			t.Errorf("checkAddr(%q, %v) = %v, want ok %v", c.addr, c.remote, err, c.ok)
		}
	}
}

// TestObjectsOutliveRestart stores an object over HTTP, stops the server, starts another on
// the same directory and reads it back: the file system backend keeps what it was given.
func TestObjectsOutliveRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	start := func() (string, func()) {
		h, err := handler(dir, []string{"sohoa-test"})
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- serve(ctx, ln, h) }()
		return "http://" + ln.Addr().String(), func() {
			cancel()
			if err := <-done; err != nil {
				t.Error(err)
			}
		}
	}
	base, stop := start()
	req, _ := http.NewRequest(http.MethodPut, base+"/sohoa-test/ab/trang-1", strings.NewReader("bản gốc"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT: %s", resp.Status)
	}
	stop()

	base, stop = start()
	defer stop()
	resp, err = http.Get(base + "/sohoa-test/ab/trang-1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "bản gốc" {
		t.Fatalf("GET after restart: %s %q", resp.Status, body)
	}
}
