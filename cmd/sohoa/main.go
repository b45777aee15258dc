// Command sohoa digitizes scanned Vietnamese administrative records: it serves the API and
// clerk UI, runs the queue workers, uploads batches, and runs the whole pipeline in process.
//
// main only parses flags and environment, builds the parts and runs them; every subcommand
// lives in its own cmd_<verb>.go file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"syscall"
)

// command is one subcommand: it parses its own flags from args and runs until ctx ends.
type command struct {
	summary string
	run     func(ctx context.Context, cfg Config, args []string) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":    {"run the HTTP API, the clerk UI and monitoring", runServe},
		"worker":   {"run the queue workers (prepare, ocr, classify, extract, index)", runWorker},
		"ingest":   {"upload files or folders into a dossier and follow the batch", runIngest},
		"process":  {"run the whole pipeline in this process on files (no services)", runProcess},
		"reindex":  {"rebuild the search index from the store", runReindex},
		"keys":     {"create, list and revoke API keys (stored hashed)", runKeys},
		"eval":     {"measure quality on a labelled set", runEval},
		"fixtures": {"generate labelled synthetic scans", runFixtures},
		"bench":    {"measure throughput against the raw tesseract baseline", runBench},
		"watch":    {"upload scans written into hot folders (DIR/<dossier>/...) and sort them into done/ and failed/", runWatch},
		"export":   {"download documents and fields as CSV or JSON Lines (open data)", runExport},
		"load":     {"upload generated pages as one batch to running services and measure (make load)", runLoad},
		"train":    {"fit the type model and confidence calibration from corrections and generated sets", runTrain},
	}
}

// errUsage marks a command-line mistake: the usage was printed, exit status 2.
var errUsage = errors.New("usage")

// gcPercent replaces Go's default GOGC of 100 when GOGC is unset. Most of what the pipeline
// allocates is page-sized pixel buffers without pointers (a decoded colour A4 page at 300 dpi
// is 35 MB), which a collection frees without scanning them, so collecting twice as often
// costs little and keeps fewer dead pages in memory. On the 40 pages of `sohoa bench` with
// 2 OCR workers (`sohoa process`, two runs each), peak RSS was 580–582 MB at 100, 513–520 MB
// at 50 and 476–499 MB at 25, for CPU times within about 1 % of each other at 50 and 3 % at 25.
const gcPercent = 50

// tuneGC sets gcPercent unless GOGC is in the environment.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
}

func main() {
	os.Exit(run())
}

func run() int {
	cmds := commands()
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "--help" || os.Args[1] == "help" {
		usage(cmds)
		return 2
	}
	name := os.Args[1]
	cmd, ok := cmds[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "sohoa: unknown command %q\n\n", name)
		usage(cmds)
		return 2
	}
	tuneGC()
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "sohoa: %v\n", err)
		return 2
	}
	if err := useModel(cfg); err != nil {
		fmt.Fprintf(os.Stderr, "sohoa: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = cmd.run(ctx, cfg, os.Args[2:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return 2
	case errors.Is(err, errSomeFailed):
		return 1
	default:
		fmt.Fprintf(os.Stderr, "sohoa %s: %v\n", name, err)
		return 1
	}
}

// errSomeFailed is returned by commands that reported per-item failures themselves and
// only need the exit status to be 1.
var errSomeFailed = errors.New("some inputs failed")

func usage(cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(os.Stderr, "usage: sohoa <command> [flags] [args]\n\ncommands:")
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun 'sohoa <command> -h' for a command's flags; configuration is read from SOHOA_* variables (see README).")
}
