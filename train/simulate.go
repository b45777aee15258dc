package train

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/sohoa/sohoa/extract"
	"github.com/sohoa/sohoa/model"
	"github.com/sohoa/sohoa/record"
	"github.com/sohoa/sohoa/store"
)

// clerk is the actor simulated corrections are made as.
var clerk = store.Actor{Name: "simulated-clerk", Role: "clerk"}

// simBatchPrefix starts the batch of every simulated document, which LoadStore reads as
// SourceSimulated.
const simBatchPrefix = "sim-"

// SimulateClerks stores docs as the pipeline would have with model m (pages, type, fields),
// then corrects each as a clerk with the truth beside the page would: reclassifies a wrong
// type, sets every wrong or missing value, empties a value the document does not have, and
// approves. The store keeps each change as a training example, as it does for a real clerk,
// and LoadStore then reads the documents back as labelled. Each document is its own dossier
// and batch, so a second run over the same store changes nothing it already holds.
func SimulateClerks(ctx context.Context, st *store.SQL, p *Predictor, docs []Doc, m *model.Model) (corrections int, err error) {
	prev := model.Active()
	model.Use(m)
	defer model.Use(prev)
	for i, d := range docs {
		n, err := simulateOne(ctx, st, p, d, i)
		if err != nil {
			return corrections, fmt.Errorf("simulating the review of %s: %w", d.ID, err)
		}
		corrections += n
	}
	return corrections, nil
}

func simulateOne(ctx context.Context, st *store.SQL, p *Predictor, d Doc, i int) (int, error) {
	ref := store.RefOf([]byte(d.ID))
	batch := simBatchPrefix + ref.String()[:16]
	dossier := fmt.Sprintf("SIM-260101-%04d", i%10000)
	switch _, err := st.Batch(ctx, batch); {
	case err == nil:
		return 0, nil // simulated before
	case !errors.Is(err, store.ErrNotFound):
		return 0, err
	}
	if _, err := st.CreateBatch(ctx, store.Batch{ID: batch, DossierID: dossier, CreatedBy: clerk.Name}); err != nil {
		return 0, err
	}
	doc, created, err := st.AddDocument(ctx, store.Document{DossierID: dossier, BatchID: batch, FileName: d.Truth.File, Blob: ref, Size: 1})
	if err != nil || !created {
		return 0, err
	}
	for _, pg := range d.Pages {
		if err := st.SavePreparedPage(ctx, store.PageRecord{DocID: doc.ID, Page: pg, DPI: 300, Image: ref}); err != nil {
			return 0, err
		}
		if _, err := st.SaveRecognition(ctx, doc.ID, pg.Number, pg.Text, pg.Words, pg.MeanConfidence); err != nil {
			return 0, err
		}
	}
	c := p.cls.Classify(d.Pages)
	fields := p.ext.Extract(c.Type, d.Pages)
	calibrate(p.tax, c, fields)
	state := store.ReviewAuto
	if len(extract.Reasons(p.tax, c, fields)) > 0 {
		state = store.ReviewNeeded
	}
	if err := st.SaveClassification(ctx, doc.ID, c); err != nil {
		return 0, err
	}
	if err := st.SaveExtraction(ctx, doc.ID, fields, state); err != nil {
		return 0, err
	}
	if c.Type != d.Truth.DocType {
		if err := st.Review(ctx, doc.ID, store.Decision{State: store.ReviewNeeded, DocType: d.Truth.DocType}, clerk); err != nil {
			return 0, err
		}
	}
	var changes []store.FieldChange
	for _, name := range slices.Sorted(maps.Keys(d.Truth.Fields)) {
		if v := d.Truth.Fields[name]; v != "" && fields[name].Value != v {
			changes = append(changes, store.FieldChange{Name: name, Value: v, Valid: true})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if _, ok := d.Truth.Fields[name]; !ok && fields[name].Value != "" {
			changes = append(changes, store.FieldChange{Name: name, Value: "", Valid: true})
		}
	}
	if len(changes) > 0 {
		if err := st.CorrectFields(ctx, doc.ID, changes, clerk); err != nil {
			return 0, err
		}
	}
	n := len(changes)
	if c.Type != d.Truth.DocType {
		n++
	}
	return n, st.Review(ctx, doc.ID, store.Decision{State: store.ReviewApproved}, clerk)
}

// calibrate turns the raw scores Extract reported (see the package doc) into the confidences
// the pipeline stores, under the model in use.
func calibrate(tax *record.Taxonomy, c record.Classification, fields record.Fields) {
	dt, _ := tax.Type(c.Type)
	doc := extract.DocEvidence(dt, c.Confidence, fields)
	for n, f := range fields {
		format, _ := dt.Format(n)
		f.Confidence = reported(extract.Calibrated(extract.EvidenceOf(n, format, f, doc)))
		fields[n] = f
	}
}
