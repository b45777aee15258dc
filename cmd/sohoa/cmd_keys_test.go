package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/store"
)

func TestKeysCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	cfg := Config{DataDir: dir, DatabaseURL: filepath.Join(dir, "sohoa.db")}
	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := keysCommand(ctx, cfg, args, &out, &errOut)
		return out.String(), err
	}

	for _, bad := range [][]string{{}, {"create"}, {"create", "--role", "root"}, {"create", "--role", "clerk", "--expires", "-1h"}, {"revoke"}, {"rename"}} {
		if _, err := run(bad...); !errors.Is(err, errUsage) {
			t.Errorf("keys %q: %v, want a usage error", bad, err)
		}
	}

	out, err := run("create", "--role", "clerk", "--label", "Một cửa\tquận 1", "--expires", "720h")
	if err != nil {
		t.Fatal(err)
	}
	id := regexp.MustCompile(`(?m)^id:\s+(\S+)$`).FindStringSubmatch(out)
	secret := regexp.MustCompile(`(?m)^secret:\s+(\S+)$`).FindStringSubmatch(out)
	if id == nil || secret == nil {
		t.Fatalf("create printed %q, want id and secret lines", out)
	}

	db, err := store.OpenSQLite(ctx, cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	k, err := db.KeyByToken(ctx, secret[1])
	if err != nil || k.ID != id[1] || k.Role != "clerk" || k.ExpiresAt.IsZero() {
		t.Fatalf("the printed secret finds %+v, %v; want the clerk key %s with an expiry", k, err, id[1])
	}

	list, err := run("list")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(list, secret[1]) {
		t.Fatal("list shows the secret")
	}
	lines := strings.Split(strings.TrimSpace(list), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], id[1]) || !strings.Contains(lines[1], "Một cửa quận 1") || !strings.HasSuffix(lines[1], "-") {
		t.Fatalf("list = %q, want a header and the unrevoked key on one line", list)
	}

	if _, err := run("revoke", id[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.KeyByToken(ctx, secret[1]); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoked key still valid: %v", err)
	}
	if list, _ = run("list"); strings.HasSuffix(strings.TrimSpace(list), "-") {
		t.Errorf("list after revoke = %q, want the revocation time", list)
	}
	if _, err := run("revoke", "k-khong-co"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoking an unknown id: %v, want ErrNotFound", err)
	}
}
