// Package train fits sohoa's model (see package model) from labelled documents: generated
// sets, whose truth the generator wrote, and the documents clerks approved in the store,
// whose corrections and reclassifications (store.Example) make their labels. It fits the
// statistical document-type classifier, the per-family calibration of field confidence, and
// the review threshold that keeps confident-wrong documents under a target, and it compares
// two models on held-out sets.
//
// It reads recognised pages, never images: OCR is not part of training. It expects extract
// to report raw evidence scores (extract.SetRawConfidence(true)), which `sohoa train` sets
// at start, and it switches the process's model (model.Use) while it predicts, so nothing
// else may classify or extract in the same process meanwhile. It must not import the API,
// the queue or the search index.
package train
