package main

// The variables below are set, when the environment does not set them, by nativeenv.c as
// the program loads: the C libraries read them when they load, before any Go code runs.
//
// OMP_THREAD_LIMIT=1: libgomp. With OpenMP on, Tesseract runs 3–5× slower on pages
// recognised in parallel (shared/notes/libraries.md §2).
//
// MALLOC_ARENA_MAX=2×cores: glibc. Tesseract allocates on whichever threads Go runs cgo
// calls on, and glibc gives up to 8 threads per core an arena of their own, each keeping
// the memory of the largest page it has seen. With 2 OCR clients on 2 cores (`sohoa
// process` on the 40 pages of `sohoa bench`, 2–3 runs each), the default 16 arenas peaked
// at 527–579 MB RSS; 4 at 507–521 MB, for CPU time within the runs' spread; 2 at 473–482
// MB, but for 3 % more CPU time, the OCR threads waiting for each other's arena.

import "C"
