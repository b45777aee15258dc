// Package logmask keeps ID numbers out of logs above debug level, whoever logs them. Error
// texts reach the log from deep below (a decoder's message naming the file, and scanning
// stations name files after the applicant: "cccd_001090123456.png"), where the code that
// logs cannot know what they hold. Its Handler masks every standalone run of 9 to 12 digits,
// the length of a CMND (9) or a CCCD, personal tax or social insurance number (10-12), also
// written in groups of three, in the message and the string attributes of records above
// debug, as the API masks them: first three and last two digits kept. Digits inside a word
// (hex document IDs, task IDs) are left alone.
//
// Names cannot be recognised this way; code must still never log a field value above debug.
//
// It must not import anything of sohoa's.
package logmask

import (
	"context"
	"log/slog"
	"net/netip"
	"regexp"
	"strings"
)

// idLike is a standalone number of 9 to 12 digits, whole or in groups of three separated by a
// space, dot or dash; the boundaries are checked by hand (Go's regexp has no look-around).
var idLike = regexp.MustCompile(`\d{3}[ .-]?\d{3}[ .-]?\d{3}(?:[ .-]?\d{1,3})?`)

// Mask returns s with every standalone ID-number-like run masked.
func Mask(s string) string {
	locs := idLike.FindAllStringIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, l := range locs {
		start, end := l[0], l[1]
		if (start > 0 && isWordByte(s[start-1])) || (end < len(s) && isWordByte(s[end])) {
			continue // part of a longer word or number: a hex ID, a 13-digit code
		}
		if ip, err := netip.ParseAddr(s[start:end]); err == nil && ip.Is4() {
			continue // an IPv4 address such as 192.168.100.200 (an ID's groups keep their zeros)
		}
		b.WriteString(s[last:start])
		b.WriteString(maskDigits(s[start:end]))
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// maskDigits keeps the first three and last two digits of a number, separators dropped.
func maskDigits(s string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	return d[:3] + strings.Repeat("*", len(d)-5) + d[len(d)-2:]
}

// Handler wraps h so that records above debug level have ID numbers masked.
func Handler(h slog.Handler) slog.Handler { return maskHandler{h} }

type maskHandler struct{ slog.Handler }

func (m maskHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level <= slog.LevelDebug {
		return m.Handler.Handle(ctx, r)
	}
	out := slog.NewRecord(r.Time, r.Level, Mask(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(a))
		return true
	})
	return m.Handler.Handle(ctx, out)
}

func maskAttr(a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Mask(a.Value.String()))
	case slog.KindGroup:
		attrs := a.Value.Group()
		masked := make([]any, len(attrs))
		for i, g := range attrs {
			masked[i] = maskAttr(g)
		}
		return slog.Group(a.Key, masked...)
	case slog.KindAny, slog.KindLogValuer:
		// An error or a Stringer: what it prints is what the log gets.
		v := a.Value.Resolve()
		if v.Kind() == slog.KindAny {
			if err, ok := v.Any().(error); ok {
				return slog.String(a.Key, Mask(err.Error()))
			}
		}
		if v.Kind() == slog.KindString {
			return slog.String(a.Key, Mask(v.String()))
		}
		return slog.Attr{Key: a.Key, Value: v}
	}
	return a
}

func (m maskHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	masked := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		masked[i] = maskAttr(a)
	}
	return maskHandler{m.Handler.WithAttrs(masked)}
}

func (m maskHandler) WithGroup(name string) slog.Handler {
	return maskHandler{m.Handler.WithGroup(name)}
}
