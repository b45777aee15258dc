package main

import (
	"flag"
	"fmt"
	"os"
)

// newFlags returns the flag set of subcommand name: its errors are returned, not fatal, and
// its usage (-h, or a mistake) prints usage, the command's synopsis and what it does, then
// its flags with their defaults.
func newFlags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), usage)
		fs.PrintDefaults()
	}
	return fs
}

// usageError prints fs's usage and returns errUsage (exit status 2), for arguments the flag
// package accepts but the command does not.
func usageError(fs *flag.FlagSet) error {
	fs.Usage()
	return errUsage
}

// envOr is the environment variable k, or def when it is empty: the default of a flag that
// the environment may also set.
func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
