package main

import (
	"context"
	"log/slog"

	"github.com/sohoa/sohoa/events"
	"github.com/sohoa/sohoa/store"
)

// startWebhooks delivers the outbox to SOHOA_WEBHOOKS until ctx ends; without webhooks the
// events stay in the outbox (a receiver configured later gets them).
func startWebhooks(ctx context.Context, cfg Config, db *store.SQL, log *slog.Logger) {
	if len(cfg.Webhooks) == 0 {
		return
	}
	log.Info("delivering events to webhooks", "endpoints", len(cfg.Webhooks))
	(&events.Dispatcher{Outbox: db, Hooks: cfg.Webhooks, Log: log}).Run(ctx)
}
