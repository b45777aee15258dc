package logctx

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestHandlerAddsContextAttrs(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(Handler(slog.NewJSONHandler(&buf, nil))).With("component", "test")
	ctx := With(With(context.Background(), slog.String("request_id", "r1")), slog.String("task_id", "ocr:d:1"))
	log.InfoContext(ctx, "with ids")
	log.Info("without")

	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("got %d lines: %s", len(lines), buf.Bytes())
	}
	var first, second map[string]any
	if err := json.Unmarshal(lines[0], &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(lines[1], &second); err != nil {
		t.Fatal(err)
	}
	if first["request_id"] != "r1" || first["task_id"] != "ocr:d:1" || first["component"] != "test" {
		t.Errorf("record logged with the context = %v, want request_id, task_id and component", first)
	}
	if _, ok := second["request_id"]; ok {
		t.Errorf("record logged without a context carries %v", second)
	}
}
