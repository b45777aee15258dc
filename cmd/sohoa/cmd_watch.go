package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"time"

	sohoaclient "github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/watch"
)

func runWatch(ctx context.Context, cfg Config, args []string) error {
	fs := newFlags("watch", `usage: sohoa watch [flags] DIR...   (or SOHOA_WATCH_DIRS=DIR:DIR)

Hot folders: uploads every scan written into DIR/<dossier code>/ (or a folder with a
dossier.txt, or a file with a <file>.json sidecar {"dossier_id": "..."}) once it is completely
written, follows it through processing, and moves it to DIR/done/ or DIR/failed/ with
<file>.error.txt saying why. DIR/.sohoa-watch.json remembers the uploads, so a restart sends
nothing twice. Works on network shares (polling).`)
	server := fs.String("server", "http://"+cfg.HTTPAddr, "sohoa API base URL")
	key := fs.String("key", cfg.ClientKey, "API key with the uploader role (default $SOHOA_API_KEY)")
	poll := fs.Duration("poll", 5*time.Second, "how often the folders are looked at; a file is taken once it is unchanged over one poll")
	batch := fs.Int("batch", 50, "files per upload request")
	noSplit := fs.Bool("no-split", cfg.WatchKeepWhole, "keep every file one document (default $SOHOA_WATCH_SPLIT=false; a folder's no-split.txt or a sidecar's \"split\": false does so for its files)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dirs := fs.Args()
	if len(dirs) == 0 {
		dirs = cfg.WatchDirs
	}
	if len(dirs) == 0 {
		return usageError(fs)
	}
	if *key == "" {
		return errors.New("no API key: pass --key or set SOHOA_API_KEY (a key with the uploader role)")
	}
	w := &watch.Watcher{
		Dirs: dirs, API: sohoaclient.New(*server, *key, &http.Client{Timeout: 30 * time.Minute}),
		Poll: *poll, MaxBatch: *batch, Log: newLogger(cfg), Progress: os.Stderr, KeepWhole: *noSplit,
	}
	return w.Run(ctx)
}
