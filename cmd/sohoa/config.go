package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/sohoa/sohoa/events"
	"github.com/sohoa/sohoa/task"
)

// Config is every setting of sohoa, read once from SOHOA_* variables at start-up. Each
// variable, its default and its meaning are listed in the README; keep the two in step.
type Config struct {
	DataDir     string // SOHOA_DATA_DIR: originals, page images and the SQLite store
	DatabaseURL string // SOHOA_DATABASE: SQLite file path (default <data dir>/sohoa.db) or postgres:// URL
	RedisAddr   string // SOHOA_REDIS_ADDR
	RedisDB     int    // SOHOA_REDIS_DB
	MeiliURL    string // SOHOA_MEILI_URL
	MeiliKey    string // SOHOA_MEILI_KEY
	MeiliIndex  string // SOHOA_MEILI_INDEX: index name, so test runs can share a server
	HTTPAddr    string // SOHOA_HTTP_ADDR
	// Blobs is where originals and page images live, from SOHOA_BLOBS: a directory (default
	// <data dir>/blobs) or s3://bucket/prefix with SOHOA_S3_* (blobs.go).
	Blobs blobConfig
	// APIKeys maps bearer tokens to roles, from SOHOA_API_KEYS="token:role,token:role".
	APIKeys map[string]string
	// ClientKey is the key `sohoa ingest` sends, from SOHOA_API_KEY.
	ClientKey string
	// Webhooks receive the outbox's events, from SOHOA_WEBHOOKS (see events.ParseWebhooks).
	Webhooks []events.Webhook
	// WatchDirs are the hot folders of `sohoa watch`, from SOHOA_WATCH_DIRS (":"-separated).
	WatchDirs []string
	// EventsKeep is how long events every webhook acknowledged stay in the outbox, from
	// SOHOA_EVENTS_KEEP_DAYS [30]; 0 days keeps them for ever (a negative duration here).
	EventsKeep time.Duration
	// WatchKeepWhole keeps every file `sohoa watch` uploads one document, from
	// SOHOA_WATCH_SPLIT=false (default true: the server splits a file holding several).
	WatchKeepWhole bool

	OCRWorkers  int    // SOHOA_OCR_WORKERS: Tesseract clients per process
	OCRLanguage string // SOHOA_OCR_LANG: vie, Vietnamese, or vie+Vietnamese
	TessdataDir string // SOHOA_TESSDATA: directory holding *.traineddata; empty = Tesseract's default
	OCRRecycle  int    // SOHOA_OCR_RECYCLE: pages per Tesseract client before it is replaced
	// WorkerQueues are the queues `sohoa worker` serves, from SOHOA_WORKER_QUEUES
	// ("prepare,ocr"; default every queue): a host's role.
	WorkerQueues []string

	MaxFileBytes int64         // SOHOA_MAX_FILE_MB
	MaxPixels    int64         // SOHOA_MAX_MEGAPIXELS (per page)
	MaxPages     int           // SOHOA_MAX_PAGES (per file)
	MaxFiles     int           // SOHOA_MAX_FILES (per batch)
	MaxUpload    int64         // SOHOA_MAX_UPLOAD_MB (per upload request); 0 = 10 × the file limit
	TaskTimeout  time.Duration // SOHOA_TASK_TIMEOUT
	LogLevel     string        // SOHOA_LOG_LEVEL: debug, info, warn, error
	LogFormat    string        // SOHOA_LOG_FORMAT: json (one object a line, for a log collector) or text
	// MetricsAddr, when set, is a second listener of `sohoa serve` answering GET /metrics
	// without a key, for a Prometheus on a private network (SOHOA_METRICS_ADDR). The API
	// listener answers /metrics to admin keys only.
	MetricsAddr string
	// WorkerMetricsAddr, when set, is where `sohoa worker` answers GET /metrics, without a key
	// (SOHOA_WORKER_METRICS_ADDR): bind it to loopback or a private network.
	WorkerMetricsAddr string
	// ModelPath is a model file `sohoa train --out` wrote, used instead of the embedded one
	// (SOHOA_MODEL; empty = embedded).
	ModelPath string
	logTo     io.Writer // where the log goes; nil is stdout (tests capture it)
}

// Roles an API key can have.
var validRoles = map[string]bool{"uploader": true, "clerk": true, "reader": true, "admin": true}

// LoadConfig reads the configuration through getenv (os.Getenv in main, a map in tests)
// and validates it.
func LoadConfig(getenv func(string) string) (Config, error) {
	var errs []error
	str := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	num := func(key string, def int) int {
		v := strings.TrimSpace(getenv(key))
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("%s=%q: want a whole number ≥ 0", key, v))
			return def
		}
		return n
	}
	c := Config{
		DataDir:      str("SOHOA_DATA_DIR", "sohoa-data"),
		RedisAddr:    str("SOHOA_REDIS_ADDR", "127.0.0.1:6379"),
		RedisDB:      num("SOHOA_REDIS_DB", 0),
		MeiliURL:     str("SOHOA_MEILI_URL", "http://127.0.0.1:7700"),
		MeiliKey:     str("SOHOA_MEILI_KEY", ""),
		MeiliIndex:   str("SOHOA_MEILI_INDEX", "documents"),
		HTTPAddr:     str("SOHOA_HTTP_ADDR", "127.0.0.1:8080"),
		ClientKey:    str("SOHOA_API_KEY", ""),
		OCRWorkers:   num("SOHOA_OCR_WORKERS", runtime.NumCPU()),
		OCRLanguage:  str("SOHOA_OCR_LANG", "vie"),
		TessdataDir:  str("SOHOA_TESSDATA", ""),
		OCRRecycle:   num("SOHOA_OCR_RECYCLE", 500),
		MaxFileBytes: int64(num("SOHOA_MAX_FILE_MB", 200)) << 20,
		MaxPixels:    int64(num("SOHOA_MAX_MEGAPIXELS", 80)) * 1_000_000,
		MaxPages:     num("SOHOA_MAX_PAGES", 500),
		MaxFiles:     num("SOHOA_MAX_FILES", 1000),
		MaxUpload:    int64(num("SOHOA_MAX_UPLOAD_MB", 0)) << 20,
		TaskTimeout:  time.Duration(num("SOHOA_TASK_TIMEOUT_S", 600)) * time.Second,
		LogLevel:     str("SOHOA_LOG_LEVEL", "info"),
	}
	c.DatabaseURL = str("SOHOA_DATABASE", filepath.Join(c.DataDir, "sohoa.db"))
	c.LogFormat = str("SOHOA_LOG_FORMAT", "json")
	c.MetricsAddr, c.WorkerMetricsAddr = str("SOHOA_METRICS_ADDR", ""), str("SOHOA_WORKER_METRICS_ADDR", "")
	c.ModelPath = str("SOHOA_MODEL", "")
	blobs, err := loadBlobConfig(getenv, c.DataDir)
	if err != nil {
		errs = append(errs, err)
	}
	c.Blobs = blobs
	keys, err := parseAPIKeys(getenv("SOHOA_API_KEYS"))
	if err != nil {
		errs = append(errs, err)
	}
	c.APIKeys = keys
	if c.WorkerQueues, err = task.ParseQueues(getenv("SOHOA_WORKER_QUEUES")); err != nil {
		errs = append(errs, fmt.Errorf("SOHOA_WORKER_QUEUES: %w", err))
	}
	if c.Webhooks, err = events.ParseWebhooks(getenv("SOHOA_WEBHOOKS")); err != nil {
		errs = append(errs, err)
	}
	c.WatchDirs = filepath.SplitList(strings.TrimSpace(getenv("SOHOA_WATCH_DIRS")))
	c.EventsKeep = time.Duration(num("SOHOA_EVENTS_KEEP_DAYS", 30)) * 24 * time.Hour
	if c.EventsKeep == 0 {
		c.EventsKeep = -1
	}
	if v := strings.TrimSpace(getenv("SOHOA_WATCH_SPLIT")); v != "" {
		split, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("SOHOA_WATCH_SPLIT=%q: want true or false", v))
		}
		c.WatchKeepWhole = err == nil && !split
	}
	if c.OCRWorkers == 0 {
		c.OCRWorkers = 1
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("SOHOA_LOG_LEVEL=%q: want debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		errs = append(errs, fmt.Errorf("SOHOA_LOG_FORMAT=%q: want json or text", c.LogFormat))
	}
	return c, errors.Join(errs...)
}

func parseAPIKeys(s string) (map[string]string, error) {
	keys := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		token, role, ok := strings.Cut(pair, ":")
		if !ok || token == "" || !validRoles[role] {
			return nil, fmt.Errorf("SOHOA_API_KEYS: %q is not token:role with role uploader, clerk, reader or admin", maskToken(pair))
		}
		keys[token] = role
	}
	return keys, nil
}

// maskToken keeps secrets out of error messages.
func maskToken(s string) string {
	token, role, _ := strings.Cut(s, ":")
	if len(token) > 4 {
		token = token[:2] + "…"
	}
	return token + ":" + role
}
