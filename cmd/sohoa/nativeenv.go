package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
)

// nativeEnv are variables that the C libraries read when they load, before main runs, so
// that os.Setenv would come too late.
var nativeEnv = []struct{ name, value string }{
	// libgomp: with OpenMP on, Tesseract runs 3–5× slower on pages recognised in parallel
	// (shared/notes/libraries.md §2).
	{"OMP_THREAD_LIMIT", "1"},
	// glibc: Tesseract allocates on whichever threads Go runs cgo calls on, and glibc gives
	// up to 8 threads per core an arena of their own, each keeping the memory of the largest
	// page it has seen. With 2 OCR clients on 2 cores (`sohoa process` on the 40 pages of
	// `sohoa bench`, 2–3 runs each), the default 16 arenas peaked at 527–579 MB RSS; 4 at
	// 507–521 MB, for CPU time within the runs' spread; 2 at 473–482 MB, but for 3 % more
	// CPU time, the OCR threads waiting for each other's arena.
	{"MALLOC_ARENA_MAX", strconv.Itoa(2 * runtime.NumCPU())},
}

// ensureNativeEnv re-executes the process with the variables of nativeEnv that
// are unset (OMP_THREAD_LIMIT=1 first of all); values already in the environment are kept.
func ensureNativeEnv() error {
	var missing []string
	for _, v := range nativeEnv {
		if _, set := os.LookupEnv(v.name); !set {
			missing = append(missing, v.name+"="+v.value)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding own executable to set %s: %w", strings.Join(missing, " "), err)
	}
	if err := syscall.Exec(exe, os.Args, append(os.Environ(), missing...)); err != nil {
		return fmt.Errorf("re-executing with %s (set them in the environment to skip this): %w", strings.Join(missing, " "), err)
	}
	return nil // not reached
}
