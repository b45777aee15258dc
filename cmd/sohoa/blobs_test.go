package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadBlobConfig(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		env     map[string]string
		dir     string // want a directory
		s3      string // want this bucket/prefix
		key     string // want this access key
		errPart string // want an error containing this
	}{
		{name: "default", env: nil, dir: filepath.Join("d", "blobs")},
		{name: "directory", env: map[string]string{"SOHOA_BLOBS": "/srv/blobs"}, dir: "/srv/blobs"},
		{name: "s3", env: map[string]string{"SOHOA_BLOBS": "s3://sohoa/tinh", "SOHOA_S3_ENDPOINT": "http://127.0.0.1:9591",
			"SOHOA_S3_ACCESS_KEY": "ak", "SOHOA_S3_SECRET_KEY": "sk"}, s3: "sohoa/tinh", key: "ak"},
		{name: "aws variables", env: map[string]string{"SOHOA_BLOBS": "s3://sohoa", "AWS_ACCESS_KEY_ID": "aws", "AWS_SECRET_ACCESS_KEY": "s"},
			s3: "sohoa/", key: "aws"},
		{name: "ours before aws", env: map[string]string{"SOHOA_BLOBS": "s3://sohoa", "SOHOA_S3_ACCESS_KEY": "ours", "SOHOA_S3_SECRET_KEY": "s",
			"AWS_ACCESS_KEY_ID": "aws", "AWS_SECRET_ACCESS_KEY": "s"}, s3: "sohoa/", key: "ours"},
		{name: "anonymous", env: map[string]string{"SOHOA_BLOBS": "s3://sohoa"}, s3: "sohoa/"},
		{name: "half a key pair", env: map[string]string{"SOHOA_BLOBS": "s3://sohoa", "SOHOA_S3_ACCESS_KEY": "ak"}, errPart: "set both"},
		{name: "other scheme", env: map[string]string{"SOHOA_BLOBS": "gs://sohoa"}, errPart: "want a directory or s3://"},
		{name: "no bucket", env: map[string]string{"SOHOA_BLOBS": "s3:///x"}, errPart: "SOHOA_BLOBS"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := loadBlobConfig(func(k string) string { return c.env[k] }, "d")
			if c.errPart != "" {
				if err == nil || !strings.Contains(err.Error(), c.errPart) {
					t.Fatalf("err = %v, want one containing %q", err, c.errPart)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.dir != "" {
				if got.S3 != nil || got.Dir != c.dir {
					t.Fatalf("got %+v, want directory %s", got, c.dir)
				}
				return
			}
			if got.S3 == nil || got.S3.Bucket+"/"+got.S3.Prefix != c.s3 || got.S3.AccessKey != c.key {
				t.Fatalf("got %+v, want s3 %s with key %q", got.S3, c.s3, c.key)
			}
			if got.S3.TempDir != filepath.Join("d", "spool") {
				t.Errorf("spool %s, want it under the data directory", got.S3.TempDir)
			}
		})
	}
}
