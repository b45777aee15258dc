// nativeenv.c sets the variables that C libraries read when they load (see nativeenv.go)
// and, when one was missing, executes the program again so that they see it. It runs as
// the program is loaded, before the Go runtime starts: re-executing from Go's main, after
// every package's initialisation, cost a second start-up of the whole program (0.3 s of
// CPU time on this project's 2-core machines).

#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

// glibc calls a program's constructors with its arguments and environment.
__attribute__((constructor)) static void native_env(int argc, char **argv, char **envp) {
    (void)argc;
    (void)envp;
    int missing = 0;
    // libgomp: every Tesseract client gets one thread (nativeenv.go).
    if (getenv("OMP_THREAD_LIMIT") == NULL) {
        setenv("OMP_THREAD_LIMIT", "1", 0);
        missing = 1;
    }
    // glibc: two malloc arenas per core (nativeenv.go).
    if (getenv("MALLOC_ARENA_MAX") == NULL) {
        cpu_set_t cpus;
        int n = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
        char value[16];
        snprintf(value, sizeof value, "%d", 2 * (n > 0 ? n : 1));
        setenv("MALLOC_ARENA_MAX", value, 0);
        missing = 1;
    }
    if (missing) {
        execv("/proc/self/exe", argv);
        // Not reached unless exec failed: go on with the libraries as they loaded, slower.
        perror("sohoa: re-executing with OMP_THREAD_LIMIT and MALLOC_ARENA_MAX set");
    }
}
