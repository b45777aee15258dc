package events

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/sohoa/sohoa/store"
)

// Outbox is what the dispatcher needs of the store; *store.SQL implements it.
type Outbox interface {
	FanOut(ctx context.Context, subs []store.Subscription, limit int) (int, error)
	DueEvents(ctx context.Context, endpoint string, limit int) ([]store.Event, error)
	ClaimDelivery(ctx context.Context, eventID, endpoint string, lease time.Duration) (attempt int, ok bool, err error)
	DeliveryDone(ctx context.Context, eventID, endpoint string) error
	DeliveryFailed(ctx context.Context, eventID, endpoint, reason string, retryAt time.Time) error
	PurgeDelivered(ctx context.Context, before time.Time) (int, error)
}

// Dispatcher delivers due outbox events to the webhooks. Several dispatchers (one per serve)
// may share a store: each attempt is claimed first, so they do not send it twice.
type Dispatcher struct {
	Outbox Outbox
	Hooks  []Webhook
	Client *http.Client  // [10 s timeout]
	Log    *slog.Logger  // [discard]
	Poll   time.Duration // pause between rounds [2 s]
	// MaxAttempts is how many times an event is tried before it becomes a dead letter [12].
	MaxAttempts int
	// Backoff is the wait after failed attempt n (1, 2 …) [Backoff].
	Backoff func(attempt int) time.Duration
	Now     func() time.Time // [time.Now]
	// Keep is how long events every endpoint acknowledged stay in the outbox before Run
	// deletes them, once an hour [DefaultKeep]; negative keeps them for ever. Receivers
	// de-duplicate on event IDs for far less than a month, and dead letters are never
	// deleted.
	Keep time.Duration
}

// DefaultKeep is how long delivered events are kept: a month, to answer "was it sent?".
const DefaultKeep = 30 * 24 * time.Hour

// purgeEvery is how often Run deletes old delivered events.
const purgeEvery = time.Hour

// Backoff doubles from 10 s up to an hour, with ±20 % jitter so that receivers coming back
// are not met by every sender at once. With 12 attempts an event is retried for about 3½
// hours before it becomes a dead letter.
func Backoff(attempt int) time.Duration {
	d := 10 * time.Second << min(attempt-1, 12)
	d = min(d, time.Hour)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

func (d *Dispatcher) defaults() {
	if d.Client == nil {
		// A redirect is not followed: it would send the signed event to an address nobody
		// configured. The 3xx counts as a failed attempt, visible in the dead letters.
		d.Client = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Poll <= 0 {
		d.Poll = 2 * time.Second
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 12
	}
	if d.Backoff == nil {
		d.Backoff = Backoff
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Keep == 0 {
		d.Keep = DefaultKeep
	}
}

// Purge deletes the events every endpoint acknowledged more than Keep ago.
func (d *Dispatcher) Purge(ctx context.Context) (int, error) {
	d.defaults()
	if d.Keep < 0 {
		return 0, nil
	}
	return d.Outbox.PurgeDelivered(ctx, d.Now().Add(-d.Keep))
}

// Run delivers until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	d.defaults()
	if len(d.Hooks) == 0 {
		return
	}
	t := time.NewTicker(d.Poll)
	defer t.Stop()
	var purged time.Time
	for {
		if _, err := d.Once(ctx); err != nil && ctx.Err() == nil {
			d.Log.Warn("webhook dispatch", "err", err)
		}
		if now := d.Now(); now.Sub(purged) >= purgeEvery {
			purged = now
			if n, err := d.Purge(ctx); err != nil && ctx.Err() == nil {
				d.Log.Warn("purging delivered events", "err", err)
			} else if n > 0 {
				d.Log.Info("purged delivered events", "events", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// batchSize bounds the events one endpoint is sent in a round; fanOutSize the new events
// taken in one transaction.
const (
	batchSize  = 100
	fanOutSize = 500
)

// Once runs one round: it makes the delivery rows of new events, then sends each endpoint its
// due events in order until one fails (a receiver that is down gets one attempt per round,
// not one per waiting event). It returns how many were delivered.
func (d *Dispatcher) Once(ctx context.Context) (delivered int, err error) {
	d.defaults()
	subs := make([]store.Subscription, len(d.Hooks))
	for i, h := range d.Hooks {
		subs[i] = store.Subscription{Endpoint: h.Key(), Types: h.Events}
	}
	for {
		n, err := d.Outbox.FanOut(ctx, subs, fanOutSize)
		if err != nil {
			return 0, err
		}
		if n < fanOutSize {
			break
		}
	}
	for _, h := range d.Hooks {
		key := h.Key()
		due, err := d.Outbox.DueEvents(ctx, key, batchSize)
		if err != nil {
			return delivered, err
		}
		for _, ev := range due {
			attempt, ok, err := d.Outbox.ClaimDelivery(ctx, ev.ID, key, 2*d.Client.Timeout+time.Minute)
			if err != nil {
				return delivered, err
			}
			if !ok {
				continue // another dispatcher has it
			}
			sendErr := d.send(ctx, h, ev)
			if sendErr == nil {
				if err := d.Outbox.DeliveryDone(ctx, ev.ID, key); err != nil {
					return delivered, err
				}
				delivered++
				continue
			}
			retryAt := d.Now().Add(d.Backoff(attempt))
			if attempt >= d.MaxAttempts {
				retryAt = time.Time{}
				d.Log.Error("webhook dead letter", "endpoint", key, "event_id", ev.ID, "type", ev.Type, "attempts", attempt, "err", sendErr)
			} else {
				d.Log.Warn("webhook delivery failed", "endpoint", key, "event_id", ev.ID, "type", ev.Type, "attempt", attempt, "err", sendErr)
			}
			if err := d.Outbox.DeliveryFailed(context.WithoutCancel(ctx), ev.ID, key, sendErr.Error(), retryAt); err != nil {
				return delivered, err
			}
			break
		}
	}
	return delivered, nil
}

// send POSTs one event; any 2xx answer acknowledges it.
func (d *Dispatcher) send(ctx context.Context, h Webhook, ev store.Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	now := d.Now()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "sohoa-webhook/1")
	req.Header.Set(HeaderID, ev.ID)
	req.Header.Set(HeaderType, ev.Type)
	req.Header.Set(HeaderTimestamp, fmt.Sprint(now.Unix()))
	req.Header.Set(HeaderSignature, Sign(h.Secret, now, body))
	resp, err := d.Client.Do(req)
	if err != nil {
		// The URL may carry a token in its query: report the endpoint's key, not the error's URL.
		if ue, ok := err.(interface{ Unwrap() error }); ok && ue.Unwrap() != nil {
			err = ue.Unwrap()
		}
		return fmt.Errorf("sending to %s: %v", h.Key(), err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s answered %s", h.Key(), resp.Status)
	}
	return nil
}
