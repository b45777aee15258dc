package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sohoa/sohoa/store"
)

const keysUsage = `usage: sohoa keys create --role ROLE [--label TEXT] [--expires DURATION]
       sohoa keys list
       sohoa keys revoke ID

Manages the API keys kept (hashed) in the store. create prints the new key's id and its
secret, once: the store keeps only its SHA-256. Roles: uploader, reader, clerk, admin.
--expires takes a Go duration such as 720h; without it the key lasts until revoked.
SOHOA_API_KEYS still adds keys from the environment (for the demo); these are not listed.`

func runKeys(ctx context.Context, cfg Config, args []string) error {
	return keysCommand(ctx, cfg, args, os.Stdout, os.Stderr)
}

// keysCommand runs `sohoa keys`, writing results to out and usage to errOut.
func keysCommand(ctx context.Context, cfg Config, args []string, out, errOut io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(errOut, keysUsage)
		return errUsage
	}
	verb, rest := args[0], args[1:]
	fs := flag.NewFlagSet("keys "+verb, flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.Usage = func() { fmt.Fprintln(errOut, keysUsage) }
	role := fs.String("role", "", "role of the new key: uploader, reader, clerk or admin")
	label := fs.String("label", "", "who or what the key is for")
	expires := fs.Duration("expires", 0, "lifetime of the new key, e.g. 720h (0: until revoked)")
	if err := fs.Parse(rest); err != nil {
		return err
	}
	switch {
	case verb == "create" && (!validRoles[*role] || *expires < 0 || fs.NArg() != 0):
		fmt.Fprintln(errOut, "sohoa keys create: --role must be uploader, reader, clerk or admin, and --expires not negative")
		return errUsage
	case verb == "list" && fs.NArg() != 0, verb == "revoke" && fs.NArg() != 1:
		fs.Usage()
		return errUsage
	case verb != "create" && verb != "list" && verb != "revoke":
		fmt.Fprintf(errOut, "sohoa keys: unknown action %q\n\n%s\n", verb, keysUsage)
		return errUsage
	}

	db, err := store.Open(ctx, cfg.DatabaseURL) // keys live in the SQL store only: no blob store to open
	if err != nil {
		return err
	}
	defer db.Close()

	switch verb {
	case "create":
		k, secret, err := db.CreateKey(ctx, *role, *label, *expires)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "id:      %s\nrole:    %s\nexpires: %s\nsecret:  %s\n", k.ID, k.Role, orDash(k.ExpiresAt), secret)
		fmt.Fprintln(errOut, "Keep the secret now: it is not stored and cannot be shown again. Send it as Authorization: Bearer <secret>.")
	case "list":
		keys, err := db.Keys(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tLABEL\tCREATED\tEXPIRES\tREVOKED")
		for _, k := range keys {
			label := strings.Map(func(r rune) rune { // one key, one line
				if r == '\t' || r == '\n' || r == '\r' {
					return ' '
				}
				return r
			}, k.Label)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Role, orDash(label), orDash(k.CreatedAt), orDash(k.ExpiresAt), orDash(k.RevokedAt))
		}
		return tw.Flush()
	case "revoke":
		if err := db.RevokeKey(ctx, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(out, "revoked %s\n", fs.Arg(0))
	}
	return nil
}

// orDash shows an empty label or a zero time as "-".
func orDash[T string | time.Time](v T) string {
	switch v := any(v).(type) {
	case string:
		if v != "" {
			return v
		}
	case time.Time:
		if !v.IsZero() {
			return v.UTC().Format(time.RFC3339)
		}
	}
	return "-"
}
