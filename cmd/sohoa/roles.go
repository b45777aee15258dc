package main

import (
	"slices"
	"time"

	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/task"
)

// newWorkerStages creates the stages a worker serving queues (its role) needs. Tesseract is
// opened (the OCR pool created) only when the worker prepares pages, which finds their
// orientation with it, or reads them: a host serving only the light queues needs no
// language data and no memory for OCR clients. The pool is nil then; else the caller
// closes it.
func newWorkerStages(cfg Config, queues []string) (*pipeline.Stages, *ocr.Pool, error) {
	if slices.Contains(queues, task.QueuePrepare) || slices.Contains(queues, task.QueueOCR) {
		return newStages(cfg)
	}
	st, err := pipeline.NewStages(nil, cfg.limits())
	return st, nil, err
}

// pageCache returns the cache that hands prepared pages to OCR in memory when the worker
// serves both prepare and ocr (nil otherwise: the pages go through the blob store). It
// holds up to 128 MiB of pixels, about 15 gray A4 pages at 300 dpi, which the OCR tasks of
// a batch in flight take before long, for a decode of some 40 ms a page saved; pages held
// for over 10 minutes make room, their OCR task most likely having run elsewhere.
func pageCache(queues []string) *pipeline.PageCache {
	if !preparesAndReads(queues) {
		return nil
	}
	return pipeline.NewPageCache(128<<20, 10*time.Minute)
}

// turns returns the turns that keep a worker serving both prepare and ocr to one page in
// work per OCR client, as the in-process path does (nil otherwise: a host that only
// prepares runs one prepare per core, and one that only recognises one page per client).
func turns(queues []string, ocrWorkers int) *pipeline.Turns {
	if !preparesAndReads(queues) {
		return nil
	}
	return pipeline.NewTurns(ocrWorkers)
}

// preparesAndReads reports whether a worker serving queues both prepares pages and reads them.
func preparesAndReads(queues []string) bool {
	return slices.Contains(queues, task.QueuePrepare) && slices.Contains(queues, task.QueueOCR)
}
