// interpose.c replaces, for Tesseract only, two library functions whose work sohoa does not
// need on every text line. An executable's own symbols come first when the dynamic linker
// binds a library's calls, so libtesseract calls these instead of libgomp's and Leptonica's.
//
// Both were found with perf on the 40 pages of `sohoa bench`, and neither changes a word of
// the output.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <leptonica/allheaders.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

// ---- OpenMP regions
//
// Tesseract computes each time step of an LSTM layer as an OpenMP "parallel sections" region
// of four sections, one per gate. sohoa gives every Tesseract client one thread
// (OMP_THREAD_LIMIT=1), and libgomp still builds a team of one for each region and ends it
// with a barrier that wakes waiters through a futex system call when there are none: about
// 66,000 regions and system calls per A4 page. On the 40 pages of `sohoa bench` (2-core
// virtual machine), `sohoa process` took 48–50 s of CPU time with the functions below and
// 53–56 s without (two runs each), for the same output.
//
// The functions below take the place of libgomp's. Where libgomp would
// make a team of one (thread limit 1, not inside a team of several), they run the region's
// body on the calling thread and hand out its sections in order, which is what that team
// would do; inside the body omp_get_num_threads() is 1 and omp_get_thread_num() 0. Anywhere
// else they pass the call on to libgomp.

typedef void (*region_fn)(void *);

// libgomp's own functions, looked up when the program loads, before any thread runs.
static void (*libgomp_parallel)(region_fn, void *, unsigned, unsigned);
static void (*libgomp_parallel_sections)(region_fn, void *, unsigned, unsigned, unsigned);
static unsigned (*libgomp_sections_next)(void);
static void (*libgomp_sections_end_nowait)(void);

__attribute__((constructor)) static void find_libgomp(void) {
    libgomp_parallel = dlvsym(RTLD_NEXT, "GOMP_parallel", "GOMP_4.0");
    libgomp_parallel_sections = dlvsym(RTLD_NEXT, "GOMP_parallel_sections", "GOMP_4.0");
    libgomp_sections_next = dlvsym(RTLD_NEXT, "GOMP_sections_next", "GOMP_1.0");
    libgomp_sections_end_nowait = dlvsym(RTLD_NEXT, "GOMP_sections_end_nowait", "GOMP_1.0");
}

// alone reports whether libgomp would run a region started here with a team of one.
static bool alone(void) {
    return omp_get_thread_limit() == 1 && omp_get_num_threads() == 1;
}

// The sections region this thread is running without a team, if active: sections numbered
// 1 to count, next the one to hand out.
struct serial_sections {
    bool active;
    unsigned next, count;
};
static __thread struct serial_sections serial;

// Regions run inline and line images kept raw so far: the tests read them around a
// recognition through a gosseract client, so they fail if the calls of the libtesseract that
// client drives bypass these functions however the symbols resolve.
static atomic_ulong inline_regions, raw_lines;

unsigned long ocr_inline_regions(void) { return atomic_load(&inline_regions); }
unsigned long ocr_raw_lines(void) { return atomic_load(&raw_lines); }

void GOMP_parallel(region_fn fn, void *data, unsigned num_threads, unsigned flags) {
    if (alone() || libgomp_parallel == NULL) {
        fn(data);
        return;
    }
    libgomp_parallel(fn, data, num_threads, flags);
}

void GOMP_parallel_sections(region_fn fn, void *data, unsigned num_threads, unsigned count, unsigned flags) {
    if (!alone() && libgomp_parallel_sections != NULL) {
        libgomp_parallel_sections(fn, data, num_threads, count, flags);
        return;
    }
    atomic_fetch_add_explicit(&inline_regions, 1, memory_order_relaxed);
    struct serial_sections outer = serial; // a region nested in a serial one keeps its place
    serial = (struct serial_sections){.active = true, .next = 1, .count = count};
    fn(data);
    serial = outer;
}

unsigned GOMP_sections_next(void) {
    if (!serial.active) {
        return libgomp_sections_next();
    }
    return serial.next <= serial.count ? serial.next++ : 0;
}

void GOMP_sections_end_nowait(void) {
    if (!serial.active) {
        libgomp_sections_end_nowait();
    }
}

// ocr_openmp_inline reports whether a region Tesseract starts on this thread now runs
// inline: the dynamic linker found these functions first and libgomp would make a team of one.
int ocr_openmp_inline(void) {
    return dlsym(RTLD_DEFAULT, "GOMP_parallel_sections") == (void *)GOMP_parallel_sections && alone();
}

// ---- Line images
//
// Before the LSTM reads a text line, Tesseract 5.3 keeps the line's image in an ImageData,
// which stores it encoded as a PNG (pixWriteMem) and decodes it again to read it
// (pixReadMem): deflate and inflate for every line, 6 % of the pipeline's CPU time. When
// Tesseract asks for a PNG, pixWriteMem below writes Leptonica's own serialisation instead,
// the raster as it is, which pixReadMem reads back by its header. Calls from anywhere but
// libtesseract go to Leptonica unchanged.

typedef l_ok (*write_mem_fn)(l_uint8 **, size_t *, PIX *, l_int32);

static write_mem_fn leptonica_write_mem;

__attribute__((constructor)) static void find_leptonica(void) {
    leptonica_write_mem = (write_mem_fn)dlsym(RTLD_NEXT, "pixWriteMem");
}

// from_tesseract reports whether code address pc lies in libtesseract.
static bool from_tesseract(void *pc) {
    Dl_info info;
    return dladdr(pc, &info) != 0 && info.dli_fname != NULL && strstr(info.dli_fname, "libtesseract") != NULL;
}

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format) {
    if (format == IFF_PNG && from_tesseract(__builtin_return_address(0))) {
        format = IFF_SPIX;
        atomic_fetch_add_explicit(&raw_lines, 1, memory_order_relaxed);
    }
    if (leptonica_write_mem == NULL) {
        return 1; // Leptonica's error code; never, as libtesseract loads Leptonica
    }
    return leptonica_write_mem(pdata, psize, pix, format);
}

// ocr_line_images_raw reports whether Tesseract's calls to pixWriteMem come here.
int ocr_line_images_raw(void) {
    return dlsym(RTLD_DEFAULT, "pixWriteMem") == (void *)pixWriteMem;
}
