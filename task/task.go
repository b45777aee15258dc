// Package task is the contract between whoever schedules pipeline work (the HTTP API,
// `sohoa serve`, `sohoa bench`) and the workers that do it: task types, the queues they go
// to and their weights, the payload, deterministic task IDs and the Enqueuer interface.
//
// It imports only the standard library, so that the API can schedule work without linking
// the stages (Tesseract through ocr) or the queue's client.
package task

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Task types, one per stage. The strings are also asynq's task type names: renaming one
// strands the tasks already queued under the old name.
const (
	TypePrepare  = "prepare"
	TypeOCR      = "ocr"
	TypeClassify = "classify"
	TypeExtract  = "extract"
	TypeIndex    = "index"
)

// Queue names. Each stage has its own queue, except classify and extract, which share "doc"
// (both are light and run once per document), so a worker can favour finishing the
// documents in flight over starting new ones, and a host can serve only some of them.
const (
	QueuePrepare = "prepare"
	QueueOCR     = "ocr"
	QueueDoc     = "doc"
	QueueIndex   = "index"
)

// Queues lists every queue, in pipeline order.
var Queues = []string{QueuePrepare, QueueOCR, QueueDoc, QueueIndex}

// QueueOf returns the queue a task type goes to ("" for an unknown type).
func QueueOf(typ string) string {
	switch typ {
	case TypePrepare:
		return QueuePrepare
	case TypeOCR:
		return QueueOCR
	case TypeClassify, TypeExtract:
		return QueueDoc
	case TypeIndex:
		return QueueIndex
	}
	return ""
}

// Busy reports whether q's tasks keep a core busy for their whole run (decoding, preparing
// and reading pages), as opposed to the light ones, which mostly wait for the store or the
// search index. A worker serves the two groups separately so light tasks never wait
// behind OCR.
func Busy(q string) bool { return q == QueuePrepare || q == QueueOCR }

// ParseQueues reads a comma-separated list of queue names (a worker's role, as in
// `--queues prepare,ocr`); blank means every queue. Names are checked, so that a typo does
// not leave a worker silently serving nothing.
func ParseQueues(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return slices.Clone(Queues), nil
	}
	var out []string
	for name := range strings.SplitSeq(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !slices.Contains(Queues, name) {
			return nil, fmt.Errorf("unknown queue %q (known: %s)", name, strings.Join(Queues, ", "))
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no queue named in %q (known: %s)", s, strings.Join(Queues, ", "))
	}
	return out, nil
}

// Payload addresses the work of a task: a document and, for OCR, one page. Payloads carry
// IDs, never bytes.
type Payload struct {
	DocID string `json:"doc_id"`
	Page  int    `json:"page,omitempty"`
}

// Encode returns p as a task body.
func (p Payload) Encode() []byte {
	body, _ := json.Marshal(p) // a string and an int always marshal
	return body
}

// Decode reads a task body written by Encode. A body without a document is an error.
func Decode(body []byte) (Payload, error) {
	var p Payload
	if err := json.Unmarshal(body, &p); err != nil {
		return p, err
	}
	if p.DocID == "" {
		return p, fmt.Errorf("no doc_id")
	}
	return p, nil
}

// ID is the deterministic ID of a stage's task: "stage:document[:page]". The queue refuses
// the same ID twice while it is pending, which makes enqueues idempotent.
func ID(typ string, p Payload) string {
	if p.Page > 0 {
		return fmt.Sprintf("%s:%s:%d", typ, p.DocID, p.Page)
	}
	return typ + ":" + p.DocID
}

// Enqueuer schedules a stage's task; *queue.Queue implements it. Work that is already
// pending is not scheduled twice.
type Enqueuer interface {
	Enqueue(ctx context.Context, typ string, p Payload) error
}
