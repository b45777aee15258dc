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
		"eval":     {"measure quality on a labelled set", runEval},
		"fixtures": {"generate labelled synthetic scans", runFixtures},
		"bench":    {"measure throughput against the raw tesseract baseline", runBench},
	}
}

// errUsage marks a command-line mistake: the usage was printed, exit status 2.
var errUsage = errors.New("usage")

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
	if err := ensureNativeEnv(); err != nil {
		fmt.Fprintf(os.Stderr, "sohoa: %v\n", err)
		return 1
	}
	cfg, err := LoadConfig(os.Getenv)
	if err != nil {
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
