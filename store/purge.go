package store

import (
	"context"
	"fmt"
	"time"
)

// PurgeDelivered deletes the events created before before that every subscribed endpoint
// acknowledged, with their delivery rows, and returns how many events went. Events not yet
// fanned out (no webhook configured yet), pending and dead deliveries are kept, and so is
// every batch.done event: its row is what makes it be written once per batch, and a
// document of an old batch indexed again must not announce the batch a second time.
func (s *SQL) PurgeDelivered(ctx context.Context, before time.Time) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("purging delivered events: %w", err)
	}
	defer tx.Rollback()
	const done = `o.fanned = 1 AND o.created_at < ? AND o.type <> ? AND NOT EXISTS
		(SELECT 1 FROM outbox_deliveries d WHERE d.event_id = o.id AND d.state <> ?)`
	cutoff := Stamp(before)
	if _, err := tx.ExecContext(ctx, `DELETE FROM outbox_deliveries WHERE event_id IN (SELECT o.id FROM outbox o WHERE `+done+`)`,
		cutoff, EventBatchDone, DeliveryDelivered); err != nil {
		return 0, fmt.Errorf("purging deliveries: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbox o WHERE `+done+`)`,
		cutoff, EventBatchDone, DeliveryDelivered)
	if err != nil {
		return 0, fmt.Errorf("purging events: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("purging events: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("purging delivered events: %w", err)
	}
	return int(n), nil
}
