package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/sohoa/sohoa/record"
)

var (
	// ErrLanguageData reports a missing *.traineddata file.
	ErrLanguageData = errors.New("tesseract language data missing")
	// ErrImage reports an image Tesseract cannot take (empty, too small or too large).
	ErrImage = errors.New("image unusable for OCR")
	// ErrEngine reports a Tesseract failure; the client that failed has been replaced.
	ErrEngine = errors.New("tesseract engine failed")
	// ErrClosed is returned by a Pool after Close.
	ErrClosed = errors.New("ocr pool closed")
)

// Defaults for the zero values of Config.
const (
	DefaultLanguage     = "vie"
	DefaultRecycleAfter = 500
	// DefaultDPI is assumed when Recognize is given a resolution of 0.
	DefaultDPI = 300
	// Tesseract distrusts resolutions outside this range and silently replaces them.
	minDPI, maxDPI = 70, 2400
)

// Config configures a Pool. Zero values mean the documented defaults.
type Config struct {
	Workers int // clients in the pool [runtime.NumCPU()]
	// Language is "vie", "Vietnamese" or "vie+Vietnamese" ["vie"]. On the eval sets
	// vie+Vietnamese had a lower character error rate (about a tenth lower on degraded
	// pages, a quarter on the vbpl legal texts) for about 25 % more CPU per page; vie is
	// the default because it keeps the pipeline at the speed of the tesseract command.
	Language     string
	TessdataDir  string // dir with *.traineddata; "" = Tesseract default (/usr/share/tesseract-ocr/5/tessdata)
	RecycleAfter int    // pages per client before it is closed and replaced (bounds native leaks) [500]
	// SkipNormalize leaves recognised words as Tesseract wrote them (only NFC), so an
	// evaluation can measure what Normalize adds.
	SkipNormalize bool

	// vars are extra Tesseract variables set after the defaults, for benchmarks that
	// measure what a default buys.
	vars map[string]string
}

// debianTessdata is where Debian's tesseract-ocr packages put the models and what
// libtesseract uses when TESSDATA_PREFIX is unset.
const debianTessdata = "/usr/share/tesseract-ocr/5/tessdata"

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.Language == "" {
		c.Language = DefaultLanguage
	}
	if c.RecycleAfter <= 0 {
		c.RecycleAfter = DefaultRecycleAfter
	}
	return c
}

// languages returns the language names of c.Language.
func (c Config) languages() []string { return strings.Split(c.Language, "+") }

// dataDir is the directory the models are read from.
func (c Config) dataDir() string {
	switch {
	case c.TessdataDir != "":
		return c.TessdataDir
	case os.Getenv("TESSDATA_PREFIX") != "":
		return os.Getenv("TESSDATA_PREFIX")
	default:
		return debianTessdata
	}
}

// Validate checks that every language's model file exists, before Tesseract's Init gets
// the chance to print a long error into its 512-byte stderr buffer.
func (c Config) Validate() error {
	c = c.withDefaults()
	for _, lang := range c.languages() {
		if lang == "" || strings.ContainsAny(lang, `/\.`) {
			return fmt.Errorf("checking language %q: want names like vie or vie+Vietnamese: %w", c.Language, ErrLanguageData)
		}
		path := filepath.Join(c.dataDir(), lang+".traineddata")
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("checking language %q: %s not readable (install the Debian package tesseract-ocr-vie, "+
				"or tesseract-ocr-script-viet for Vietnamese, or set the tessdata directory): %w", lang, path, ErrLanguageData)
		}
	}
	return nil
}

// Pool is a fixed set of Tesseract clients shared by the OCR goroutines. Each call borrows
// one client, so at most Workers pages are recognised at a time; a client is never used by
// two goroutines at once (a Tesseract API has no locking).
type Pool struct {
	cfg     Config
	engines *slots[engine]
	osd     *slots[osdHandle]
	// initMu serialises every Tesseract Init in the process: Init writes Tesseract's
	// process-wide parameters, and concurrent Inits are not documented as safe.
	initMu    sync.Mutex
	done      chan struct{}
	closeOnce sync.Once
	loaded    chan struct{} // closed once every client has been created once (load)
	loadErr   error         // the first client that failed to load, read after loaded
}

// Result is the recognised content of one page.
type Result struct {
	Words          []record.Word // boxes in pixels of g; Word.Line = global line index in reading order
	Text           string        // NFC, lines joined by "\n", in reading order
	MeanConfidence float64       // mean word confidence 0–100
}

// NewPool checks the language data and returns at once, while its clients are created in
// the background, one after the other (loading the model takes about 150 ms for vie): a
// process reads and prepares its first pages meanwhile, and a Recognize waits for a free
// client. Init stays serialised (initMu), since gosseract's Init redirects the process's
// stderr around Tesseract's and two at once would lose it. Loaded waits for the clients
// and reports the first that failed; a client that fails to load leaves its place empty,
// and the first Recognize to take that place creates it again and reports the error.
func NewPool(cfg Config) (*Pool, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("creating ocr pool: %w", err)
	}
	keepHeap()
	p := &Pool{
		cfg:     cfg,
		engines: newSlots[engine](cfg.Workers),
		osd:     newSlots[osdHandle](cfg.Workers),
		done:    make(chan struct{}),
		loaded:  make(chan struct{}),
	}
	go p.load(cfg.Workers)
	for range cfg.Workers {
		p.osd.put(nil) // OSD handles are created on first use: not every deployment orients
	}
	return p, nil
}

// Loaded waits until every client has been created once and returns the error of the
// first that could not be: a server checks with it that Tesseract works before it takes
// work, and a benchmark leaves the loading out of its clock.
func (p *Pool) Loaded(ctx context.Context) error {
	select {
	case <-p.loaded:
		return p.loadErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

// load creates n clients one after the other and puts each in the pool as it is ready.
// It holds their places until then, so Close waits for it; after Close it stops creating.
func (p *Pool) load(n int) {
	defer close(p.loaded)
	for i := range n {
		var e *engine
		select {
		case <-p.done:
		default:
			var err error
			if e, err = p.newEngine(); err != nil && p.loadErr == nil {
				p.loadErr = fmt.Errorf("creating ocr client %d of %d: %w", i+1, n, err)
			}
		}
		p.engines.put(e)
	}
}

func (p *Pool) newEngine() (*engine, error) {
	p.initMu.Lock()
	defer p.initMu.Unlock()
	return newEngine(p.cfg)
}

// Recognize runs one recognition pass over g, whose resolution is dpi (0 means 300). It
// waits for a free client until ctx is done; once Tesseract runs it cannot be interrupted.
func (p *Pool) Recognize(ctx context.Context, g *image.Gray, dpi int) (Result, error) {
	if err := checkImage(g); err != nil {
		return Result{}, fmt.Errorf("recognizing page: %w", err)
	}
	if dpi == 0 {
		dpi = DefaultDPI
	}
	if dpi < minDPI || dpi > maxDPI {
		return Result{}, fmt.Errorf("recognizing page: resolution %d dpi outside %d–%d: %w", dpi, minDPI, maxDPI, ErrImage)
	}
	e, err := p.engines.get(ctx, p.done)
	if err != nil {
		return Result{}, fmt.Errorf("recognizing page: %w", err)
	}
	if e == nil {
		if e, err = p.newEngine(); err != nil {
			p.engines.put(nil)
			return Result{}, fmt.Errorf("recognizing page: replacing client: %w", err)
		}
	}
	words, err := e.recognize(g, dpi)
	if err != nil {
		e.close()
		p.engines.put(nil)
		return Result{}, fmt.Errorf("recognizing page: %w", err)
	}
	if e.pages++; e.pages >= p.cfg.RecycleAfter {
		e.close()
		e = nil
	}
	p.engines.put(e)
	return p.result(words), nil
}

func (p *Pool) result(words []tessWord) Result {
	for i := range words {
		if p.cfg.SkipNormalize {
			words[i].Text = record.NFC(words[i].Text)
			continue
		}
		words[i].Text = stripRules(Normalize(words[i].Text))
	}
	out, lines := orderWords(words)
	if !p.cfg.SkipNormalize {
		fixRomanHeadings(lines)
		lines = fixMRZ(lines)
		out = slices.Concat(lines...)
	}
	r := Result{Words: out, Text: joinLines(lines)}
	var sum float64
	for _, w := range out {
		sum += w.Confidence
	}
	if len(out) > 0 {
		r.MeanConfidence = sum / float64(len(out))
	}
	return r
}

// Close frees every client, waiting for recognitions in progress to finish. It is safe to
// call more than once.
func (p *Pool) Close() error {
	p.closeOnce.Do(func() {
		close(p.done)
		p.engines.drain(func(e *engine) { e.close() })
		p.osd.drain(func(h *osdHandle) { h.close() })
	})
	return nil
}

// slots is a fixed number of places for T. A nil entry is a place whose T has yet to be
// (re)created, which lets a borrower replace a failed or recycled client without the pool
// ever shrinking.
type slots[T any] struct {
	ch chan *T
}

func newSlots[T any](n int) *slots[T] { return &slots[T]{ch: make(chan *T, n)} }

// get waits for a place. Every successful get must be followed by exactly one put.
func (s *slots[T]) get(ctx context.Context, done <-chan struct{}) (*T, error) {
	select {
	case <-done:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for a tesseract client: %w", ctx.Err())
	case t := <-s.ch:
		// select picks at random among ready cases: do not start work after Close or
		// after the caller gave up.
		select {
		case <-done:
			s.put(t)
			return nil, ErrClosed
		default:
		}
		if err := ctx.Err(); err != nil {
			s.put(t)
			return nil, fmt.Errorf("waiting for a tesseract client: %w", err)
		}
		return t, nil
	}
}

func (s *slots[T]) put(t *T) { s.ch <- t }

// drain takes back every place, waiting for borrowed ones, and closes what it holds.
func (s *slots[T]) drain(closeFn func(*T)) {
	for range cap(s.ch) {
		if t := <-s.ch; t != nil {
			closeFn(t)
		}
	}
}
