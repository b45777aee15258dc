package main

import (
	"fmt"
	"os"
	"syscall"
)

// ensureSingleThreadedTesseract re-executes the process with OMP_THREAD_LIMIT=1 when the
// variable is unset. libgomp reads it when libtesseract loads, before main runs, so setting it
// with os.Setenv would come too late; with OpenMP on, Tesseract runs 3–5× slower on pages
// recognised in parallel (shared/notes/libraries.md §2).
func ensureSingleThreadedTesseract() error {
	if _, set := os.LookupEnv("OMP_THREAD_LIMIT"); set {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding own executable to set OMP_THREAD_LIMIT=1: %w", err)
	}
	env := append(os.Environ(), "OMP_THREAD_LIMIT=1")
	if err := syscall.Exec(exe, os.Args, env); err != nil {
		return fmt.Errorf("re-executing with OMP_THREAD_LIMIT=1 (set it in the environment to skip this): %w", err)
	}
	return nil // not reached
}
