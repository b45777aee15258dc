package logmask

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"the file is named cccd_001090123456.png but its content is PNG", "the file is named cccd_001*******56.png but its content is PNG"},
		{"số 036 184 007 259 và 079-190-004-321", "số 036*******59 và 079*******21"},
		{"CMND 026.387.115", "CMND 026****15"},
		{"task ocr:b1f00123456789abcdef0123:3", "task ocr:b1f00123456789abcdef0123:3"}, // inside a hex ID
		{"enterprise 0101234567890 page 12", "enterprise 0101234567890 page 12"},       // 13 digits: not a personal number
		{"took 1234 ms", "took 1234 ms"},
		{"serving http://192.168.100.200:8080", "serving http://192.168.100.200:8080"},
		{"CCCD 001.090.123.456", "CCCD 001*******56"},
	} {
		if got := Mask(c.in); got != c.want {
			t.Errorf("Mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestHandlerMasksAboveDebug checks the message, string, error and grouped attributes and
// the logger's own attributes are masked at info and above, and left whole at debug.
func TestHandlerMasksAboveDebug(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(Handler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))).With("file", "don_001090123456.pdf")
	err := errors.New("decoding don_001090123456.pdf: bad header")
	log.Warn("task failed for 001090123456", "err", err, slog.Group("doc", "name", "x 001090123456"))
	info := buf.String()
	buf.Reset()
	log.Debug("task failed", "err", err)
	debug := buf.String()
	if strings.Contains(info, "001090123456") || strings.Count(info, "001*******56") != 4 {
		t.Errorf("warn line not masked everywhere: %s", info)
	}
	if !strings.Contains(debug, "decoding don_001090123456.pdf") {
		t.Errorf("debug line was masked: %s", debug)
	}
}
