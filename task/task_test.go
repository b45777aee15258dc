package task

import (
	"slices"
	"strings"
	"testing"
)

func TestID(t *testing.T) {
	t.Parallel()
	if got := ID(TypeOCR, Payload{DocID: "d1", Page: 3}); got != "ocr:d1:3" {
		t.Errorf("ID = %s", got)
	}
	if got := ID(TypeIndex, Payload{DocID: "d1"}); got != "index:d1" {
		t.Errorf("ID = %s", got)
	}
}

func TestPayloadRoundTrip(t *testing.T) {
	t.Parallel()
	p := Payload{DocID: "d1", Page: 2}
	got, err := Decode(p.Encode())
	if err != nil || got != p {
		t.Errorf("Decode(Encode(%v)) = %v, %v", p, got, err)
	}
	for _, body := range []string{`{"page":1}`, `not json`} {
		if _, err := Decode([]byte(body)); err == nil {
			t.Errorf("Decode(%s) accepted", body)
		}
	}
}

func TestEveryTypeHasAQueue(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{TypePrepare, TypeOCR, TypeClassify, TypeExtract, TypeIndex} {
		if q := QueueOf(typ); !slices.Contains(Queues, q) {
			t.Errorf("QueueOf(%s) = %q", typ, q)
		}
	}
	if QueueOf("reticulate") != "" {
		t.Error("an unknown type got a queue")
	}
}

func TestParseQueues(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"":               Queues,
		"  ":             Queues,
		"ocr":            {"ocr"},
		"prepare, ocr":   {"prepare", "ocr"},
		"doc,index,doc,": {"doc", "index"},
	} {
		got, err := ParseQueues(in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("ParseQueues(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"ocr,classify", "OCR", ","} {
		_, err := ParseQueues(in)
		if err == nil || !strings.Contains(err.Error(), "prepare, ocr, doc, index") {
			t.Errorf("ParseQueues(%q) error = %v; want one naming the known queues", in, err)
		}
	}
}
