package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sohoa/sohoa/blob/s3blob"
	"github.com/sohoa/sohoa/store"
)

// blobConfig says where originals and page images live: a local directory (the default,
// <data dir>/blobs) or an S3-compatible bucket that every host reaches.
type blobConfig struct {
	Dir string         // SOHOA_BLOBS as a path; used when S3 is nil
	S3  *s3blob.Config // SOHOA_BLOBS=s3://bucket/prefix with SOHOA_S3_*
}

// loadBlobConfig reads SOHOA_BLOBS and, for s3:// URLs, SOHOA_S3_ENDPOINT, SOHOA_S3_REGION,
// SOHOA_S3_ACCESS_KEY and SOHOA_S3_SECRET_KEY (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
// when those are unset, as other S3 tools read them).
func loadBlobConfig(getenv func(string) string, dataDir string) (blobConfig, error) {
	env := func(keys ...string) string {
		for _, k := range keys {
			if v := strings.TrimSpace(getenv(k)); v != "" {
				return v
			}
		}
		return ""
	}
	where := env("SOHOA_BLOBS")
	switch {
	case where == "":
		return blobConfig{Dir: filepath.Join(dataDir, "blobs")}, nil
	case strings.HasPrefix(where, "s3://"):
	case strings.Contains(where, "://"):
		return blobConfig{}, fmt.Errorf("SOHOA_BLOBS=%q: want a directory or s3://bucket/prefix", where)
	default:
		return blobConfig{Dir: where}, nil
	}
	bucket, prefix, err := s3blob.ParseURL(where)
	if err != nil {
		return blobConfig{}, fmt.Errorf("SOHOA_BLOBS: %w", err)
	}
	cfg := &s3blob.Config{
		Endpoint:  env("SOHOA_S3_ENDPOINT"),
		Region:    env("SOHOA_S3_REGION"),
		Bucket:    bucket,
		Prefix:    prefix,
		AccessKey: env("SOHOA_S3_ACCESS_KEY", "AWS_ACCESS_KEY_ID"),
		SecretKey: env("SOHOA_S3_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"),
		// Puts spool on the data disk, not in /tmp, which may be memory (tmpfs).
		TempDir: filepath.Join(dataDir, "spool"),
	}
	if (cfg.AccessKey == "") != (cfg.SecretKey == "") {
		return blobConfig{}, errors.New("SOHOA_S3_ACCESS_KEY and SOHOA_S3_SECRET_KEY: set both (or neither, for anonymous access)")
	}
	return blobConfig{S3: cfg}, nil
}

// openBlobs opens the configured blob store, seen through the whole-slice view the API and
// the worker use.
func openBlobs(ctx context.Context, cfg blobConfig) (store.Blobs, error) {
	if cfg.S3 == nil {
		return store.NewDirBlobs(cfg.Dir)
	}
	if err := os.MkdirAll(cfg.S3.TempDir, 0o750); err != nil {
		return nil, fmt.Errorf("creating spool directory: %w", err)
	}
	s, err := s3blob.Open(ctx, *cfg.S3)
	if err != nil {
		return nil, err
	}
	return store.ByteBlobs{Store: s}, nil
}
