package pipeline

import (
	"context"

	"golang.org/x/sync/semaphore"
)

// Turns bounds how many pages one worker process prepares and recognises at once, the two
// counted together. A process serving both stages runs one task per OCR client and one
// prepare beside them; without turns the three share the cores, and on `sohoa bench` (two
// cores, two clients) the queue path ran at 0.74-0.81 of the in-process one, which
// prepares and recognises each file in turn, against 0.92 with them. A nil *Turns bounds
// nothing.
type Turns struct{ sem *semaphore.Weighted }

// NewTurns gives n turns, one per core the stages may keep busy.
func NewTurns(n int) *Turns { return &Turns{semaphore.NewWeighted(int64(max(1, n)))} }

// Turn is one task's claim on t.
func (t *Turns) Turn() *Turn { return &Turn{turns: t} }

// A Turn is held or not; Take and Give may be called in any order and any number of times.
type Turn struct {
	turns *Turns
	held  bool
}

// Take waits for a turn, unless this one holds one already.
func (h *Turn) Take(ctx context.Context) error {
	if h.held || h.turns == nil {
		return nil
	}
	if err := h.turns.sem.Acquire(ctx, 1); err != nil {
		return err
	}
	h.held = true
	return nil
}

// Give gives the turn back, if held.
func (h *Turn) Give() {
	if h.held {
		h.turns.sem.Release(1)
		h.held = false
	}
}
