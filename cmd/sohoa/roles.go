package main

import (
	"slices"

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
