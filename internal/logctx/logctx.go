// Package logctx carries log attributes in a context, such as the ID of the request or task
// being served, and adds them to every record logged with that context. The code that knows
// the ID (an HTTP or asynq middleware) and the code that logs (a handler deep below) then
// need not pass a logger between them.
//
// It must not import anything of sohoa's: every package may log through it.
package logctx

import (
	"context"
	"log/slog"
)

type key struct{}

// With returns ctx carrying attrs beside those it already carries.
func With(ctx context.Context, attrs ...slog.Attr) context.Context {
	prev, _ := ctx.Value(key{}).([]slog.Attr)
	all := make([]slog.Attr, 0, len(prev)+len(attrs))
	return context.WithValue(ctx, key{}, append(append(all, prev...), attrs...))
}

// Handler wraps h so that a record logged with a context (InfoContext, LogAttrs …) carries
// the attributes With put in that context.
func Handler(h slog.Handler) slog.Handler { return ctxHandler{h} }

type ctxHandler struct{ slog.Handler }

func (c ctxHandler) Handle(ctx context.Context, r slog.Record) error {
	if attrs, _ := ctx.Value(key{}).([]slog.Attr); len(attrs) > 0 {
		r = r.Clone()
		r.AddAttrs(attrs...)
	}
	return c.Handler.Handle(ctx, r)
}

func (c ctxHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return ctxHandler{c.Handler.WithAttrs(attrs)}
}

func (c ctxHandler) WithGroup(name string) slog.Handler { return ctxHandler{c.Handler.WithGroup(name)} }
