package main

import (
	"context"

	"github.com/sohoa/sohoa/server"
)

func runServe(ctx context.Context, cfg Config, args []string) error {
	fs := newFlags("serve", "usage: sohoa serve\n\nServes the HTTP API (/v1) and the clerk UI on SOHOA_HTTP_ADDR until interrupted.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, blobs, err := openStores(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return server.Run(ctx, server.Config{
		Addr: cfg.HTTPAddr, MetricsAddr: cfg.MetricsAddr, Store: db, Blobs: blobs, Index: newIndex(cfg),
		Redis: cfg.redisOpt(), TaskTimeout: cfg.TaskTimeout, Limits: cfg.limits(), MaxFiles: cfg.MaxFiles, MaxUploadBytes: cfg.MaxUpload,
		APIKeys: cfg.APIKeys, Webhooks: cfg.Webhooks, KeepEvents: cfg.EventsKeep, Log: newLogger(cfg),
	})
}
