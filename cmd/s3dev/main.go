// Command s3dev is an S3-protocol server for development and tests: gofakes3 with its file
// system backend, serving buckets kept under one directory. scripts/services.sh starts it for
// the test profile so that the S3 blob backend is tested over real HTTP, as it runs in
// production. Production points SOHOA_BLOBS at MinIO, Ceph RGW or a cloud S3 instead.
//
// It checks no signatures and no credentials, so it listens on loopback only unless
// -allow-remote is given (for the cluster test's private network namespaces). Unlike a real
// S3, a PUT overwrites an object's file in place, so a GET racing a second PUT of the same key
// can read it short; sohoa checks what it reads against the hash (blob.ErrCorrupt), and the
// task fails and is retried.
//
//	s3dev -addr 127.0.0.1:9591 -dir .run/test/s3 -bucket sohoa-test
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3afero"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, os.Args[1:], log); err != nil {
		log.Error("s3dev stopped", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, log *slog.Logger) error {
	fs := flag.NewFlagSet("s3dev", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:9591", "listen address")
	dir := fs.String("dir", "", "directory holding the buckets (required)")
	buckets := fs.String("bucket", "", "comma-separated buckets to create at start if missing")
	remote := fs.Bool("allow-remote", false, "allow a non-loopback listen address (no authentication!)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("-dir is required")
	}
	if err := checkAddr(*addr, *remote); err != nil {
		return err
	}
	h, err := handler(*dir, strings.Split(*buckets, ","))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Info("s3dev listening", "addr", ln.Addr().String(), "dir", *dir, "buckets", *buckets)
	return serve(ctx, ln, h)
}

// checkAddr refuses to expose an unauthenticated server beyond the machine by accident.
func checkAddr(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); allowRemote || host == "localhost" || ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q is not a loopback address; s3dev has no authentication (pass -allow-remote to insist)", addr)
}

// handler is the S3 API over the buckets under dir, creating the named buckets.
func handler(dir string, buckets []string) (http.Handler, error) {
	root, err := s3afero.FsPath(dir, s3afero.FsPathCreateAll)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", dir, err)
	}
	backend, err := s3afero.MultiBucket(root)
	if err != nil {
		return nil, fmt.Errorf("opening buckets under %s: %w", dir, err)
	}
	for _, b := range buckets {
		if b = strings.TrimSpace(b); b == "" {
			continue
		}
		if err := backend.CreateBucket(b); err != nil && !gofakes3.IsAlreadyExists(err) {
			return nil, fmt.Errorf("creating bucket %q: %w", b, err)
		}
	}
	return gofakes3.New(backend, gofakes3.WithoutVersioning()).Server(), nil
}

// serve answers on ln until ctx ends, then lets requests in flight finish for a few seconds.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
