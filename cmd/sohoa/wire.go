package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/inproc"
	"github.com/sohoa/sohoa/internal/logctx"
	"github.com/sohoa/sohoa/internal/logmask"
	"github.com/sohoa/sohoa/ocr"
	"github.com/sohoa/sohoa/pipeline"
	"github.com/sohoa/sohoa/scan"
	"github.com/sohoa/sohoa/store"
)

// newLogger returns the log of serve and worker: JSON lines by default, which a log
// collector reads without a parser of its own, or text (SOHOA_LOG_FORMAT=text) for a person
// at a terminal. A line logged with a request's or task's context carries its request_id or
// task_id (logctx). Personal data (names, ID numbers, field values, OCR text) is logged at
// debug level only; as a net under that rule, ID-number-like digit runs in any line above
// debug, such as an error naming a file called after its applicant, are masked (logmask).
func newLogger(cfg Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	// Logs go to stdout; stderr is left to what the C libraries print (Tesseract's and
	// Leptonica's warnings).
	out := cfg.logTo
	if out == nil {
		out = os.Stdout
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewJSONHandler(out, opts)
	if cfg.LogFormat == "text" {
		h = slog.NewTextHandler(out, opts)
	}
	return slog.New(logctx.Handler(logmask.Handler(h)))
}

func (c Config) limits() scan.Limits {
	return scan.Limits{MaxFileBytes: c.MaxFileBytes, MaxPixels: c.MaxPixels, MaxPages: c.MaxPages}
}

func (c Config) redisOpt() asynq.RedisClientOpt {
	return asynq.RedisClientOpt{Addr: c.RedisAddr, DB: c.RedisDB}
}

func (c Config) ocrConfig() ocr.Config {
	return ocr.Config{Workers: c.OCRWorkers, Language: c.OCRLanguage, TessdataDir: c.TessdataDir, RecycleAfter: c.OCRRecycle}
}

// openStores opens the SQL store (SQLite, or PostgreSQL for a postgres:// SOHOA_DATABASE) and
// the blob store (the directory under the data directory, or S3 for an s3:// SOHOA_BLOBS).
func openStores(ctx context.Context, cfg Config) (*store.SQL, store.Blobs, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	blobs, err := openBlobs(ctx, cfg.Blobs)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, blobs, nil
}

func newIndex(cfg Config) *index.Index { return index.New(cfg.MeiliURL, cfg.MeiliKey, cfg.MeiliIndex) }

// readyIndex returns the index after trying to apply its settings. Meilisearch being down
// does not stop serve or worker: whileDown says in the log what happens until it is back.
func readyIndex(ctx context.Context, cfg Config, log *slog.Logger, whileDown string) *index.Index {
	ix := newIndex(cfg)
	if err := ix.EnsureSettings(ctx); err != nil {
		log.Warn("search index not ready; "+whileDown, "err", err)
	}
	return ix
}

// inprocRunner runs files through the pipeline in this process with cfg's OCR workers and
// file limit, building the stages when asked (eval, bench).
func (c Config) inprocRunner() inproc.Runner {
	return inproc.Runner{Workers: c.OCRWorkers, MaxFileBytes: c.MaxFileBytes,
		NewStages: func() (*pipeline.Stages, *ocr.Pool, error) { return newStages(c) }}
}

// newStages creates the OCR pool and the stages around it; the caller closes the pool.
func newStages(cfg Config) (*pipeline.Stages, *ocr.Pool, error) {
	pool, err := ocr.NewPool(cfg.ocrConfig())
	if err != nil {
		return nil, nil, err
	}
	st, err := pipeline.NewStages(pool, cfg.limits())
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return st, pool, nil
}
