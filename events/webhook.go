// Package events delivers the store's outbox to other systems as signed webhooks: each event
// is POSTed to every endpoint subscribed to its type, at least once, with retries and back-off,
// and a dead letter for the admins when an endpoint never acknowledges it.
//
// Receivers check the signature (Verify) and de-duplicate on the event ID.
package events

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sohoa/sohoa/store"
)

// Headers of a delivery.
const (
	HeaderID        = "Sohoa-Event-Id"   // the event ID: the same on every retry
	HeaderType      = "Sohoa-Event-Type" // e.g. document.indexed
	HeaderTimestamp = "Sohoa-Timestamp"  // Unix seconds when this attempt was signed
	// HeaderSignature is "v1=" and the hex HMAC-SHA256, keyed by the endpoint's secret, of the
	// timestamp, a ".", and the body: the timestamp is signed so a captured request cannot be
	// replayed later, and receivers refuse old timestamps (Verify's tolerance).
	HeaderSignature = "Sohoa-Signature"
)

// Webhook is one endpoint from SOHOA_WEBHOOKS.
type Webhook struct {
	URL    string
	Events []string // subscribed types
	Secret string
}

// Key names the endpoint in the store's delivery rows and the dead-letter view: its host and
// path, which an admin recognises, and a hash of the whole URL, which tells apart endpoints
// differing only in their query. The query itself (it may hold a token) is not shown.
func (w Webhook) Key() string {
	u, _ := url.Parse(w.URL)
	sum := sha256.Sum256([]byte(w.URL))
	return u.Host + u.Path + "#" + hex.EncodeToString(sum[:4])
}

// ParseWebhooks reads SOHOA_WEBHOOKS: endpoints separated by ";" or new lines, each a URL
// followed by space-separated options, events=TYPE,TYPE (default: every type) and secret=S
// (required), e.g.
//
//	https://portal.example.vn/hooks/sohoa events=document.indexed,batch.done secret=k3y
func ParseWebhooks(s string) ([]Webhook, error) {
	var out []Webhook
	for _, entry := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		parts := strings.Fields(entry)
		if len(parts) == 0 {
			continue
		}
		u, err := url.Parse(parts[0])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("SOHOA_WEBHOOKS: %q is not an http(s) URL", redact(parts[0]))
		}
		w := Webhook{URL: parts[0], Events: store.EventTypes}
		for _, opt := range parts[1:] {
			k, v, _ := strings.Cut(opt, "=")
			switch k {
			case "secret":
				w.Secret = v
			case "events":
				w.Events = nil
				for _, t := range strings.Split(v, ",") {
					if !slices.Contains(store.EventTypes, t) {
						return nil, fmt.Errorf("SOHOA_WEBHOOKS: %s: unknown event type %q (known: %s)", w.Key(), t, strings.Join(store.EventTypes, ", "))
					}
					w.Events = append(w.Events, t)
				}
			default:
				return nil, fmt.Errorf("SOHOA_WEBHOOKS: %s: unknown option %q (want events= or secret=)", w.Key(), k)
			}
		}
		if w.Secret == "" {
			return nil, fmt.Errorf("SOHOA_WEBHOOKS: %s has no secret=: receivers could not tell our requests from forgeries", w.Key())
		}
		out = append(out, w)
	}
	return out, nil
}

func redact(raw string) string {
	if i := strings.IndexAny(raw, "?@"); i >= 0 {
		return raw[:i] + "…"
	}
	return raw
}

// Sign returns the signature header value for body sent at ts.
func Sign(secret string, ts time.Time, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts.Unix(), 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

// ErrBadSignature is a delivery whose signature does not match, or whose timestamp is too old.
var ErrBadSignature = errors.New("bad webhook signature")

// Verify checks a received delivery: the signature over the timestamp header and the body,
// and a timestamp within tolerance of now. Receivers written in Go can call it; others
// recompute Sign's HMAC.
func Verify(secret, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q", ErrBadSignature, timestamp)
	}
	ts := time.Unix(sec, 0)
	if d := now.Sub(ts); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: timestamp %s is outside the tolerance", ErrBadSignature, ts.UTC().Format(time.RFC3339))
	}
	if !hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature)) {
		return ErrBadSignature
	}
	return nil
}
