// openbrick.c replaces Leptonica's pixOpenBrick, the opening of a 1-bpp image by a
// rectangle, with one that gives the same pixels in a fraction of the work. As in
// interpose.c, the executable's own symbol comes first when the dynamic linker binds
// libtesseract's calls.
//
// Tesseract's line finder (LineFinder::FindAndRemoveLines, in every page layout and in every
// orientation detection) opens the whole binarised page three times: by a square of a
// twentieth of an inch, and by a line of a quarter inch across and down. Leptonica erodes and
// dilates by one shifted copy of the image per pixel of the brick, 75 full-page rasterops
// each way for a quarter inch at 300 dpi: on the clean vbpl pages that was 5 % of sohoa's
// CPU time (perf), against 2 % for the tesseract command, which runs its line finder at
// 70 dpi on pages that carry no resolution.
//
// With Leptonica's default boundary condition (pixels outside the image are OFF for erosion
// and dilation alike), the opening by a w × h brick keeps exactly the ON pixels that lie in a
// w × h rectangle of ON pixels inside the image, wherever the brick's origin is. Below, the
// erosion finds those rectangles (each marked at its top left corner) and the dilation spreads
// them back, each in steps that double the length covered (1, 2, 4 … then the rest with one
// overlapping step): 7 shifted copies for 75 pixels instead of 75. Any other use (another
// boundary condition, an existing destination, a brick of one pixel, an error) goes to
// Leptonica.

#define _GNU_SOURCE
#include <dlfcn.h>
#include <leptonica/allheaders.h>
#include <stdatomic.h>

extern l_int32 MORPH_BC; // Leptonica's boundary condition for binary morphology (morph.c)

typedef PIX *(*open_brick_fn)(PIX *, PIX *, l_int32, l_int32);

static open_brick_fn leptonica_open_brick;

__attribute__((constructor)) static void find_open_brick(void) {
    leptonica_open_brick = (open_brick_fn)dlsym(RTLD_NEXT, "pixOpenBrick");
}

// Openings done here so far, for the test that checks Tesseract's calls reach this file.
static atomic_ulong fast_openings;

unsigned long ocr_fast_openings(void) { return atomic_load(&fast_openings); }

// shift_op combines into pix, at every position p along one axis, the copy's pixel at p + by
// (by may be negative): pix = pix op copy shifted. Positions whose partner lies outside the
// image are left as they are.
static void shift_op(PIX *pix, PIX *copy, l_int32 by, l_int32 op, int down) {
    l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix);
    l_int32 len = down ? h : w;
    l_int32 n = len - (by < 0 ? -by : by);
    if (n <= 0) {
        return;
    }
    l_int32 at = by < 0 ? -by : 0, from = by < 0 ? 0 : by;
    if (down) {
        pixRasterop(pix, 0, at, w, n, op, copy, 0, from);
    } else {
        pixRasterop(pix, at, 0, n, h, op, copy, from, 0);
    }
}

// clear_end clears the last n positions along one axis.
static void clear_end(PIX *pix, l_int32 n, int down) {
    l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix);
    if (down) {
        n = n < h ? n : h;
        pixRasterop(pix, 0, h - n, w, n, PIX_CLR, NULL, 0, 0);
    } else {
        n = n < w ? n : w;
        pixRasterop(pix, w - n, 0, n, h, PIX_CLR, NULL, 0, 0);
    }
}

// erode_runs keeps the pixels of pix that start a run of at least size ON pixels along the
// axis, the whole run inside the image. tmp is scratch of pix's size.
static void erode_runs(PIX *pix, PIX *tmp, l_int32 size, int down) {
    l_int32 k = 1;
    for (; 2 * k <= size; k *= 2) {
        pixCopy(tmp, pix);
        shift_op(pix, tmp, k, PIX_SRC & PIX_DST, down);
        clear_end(pix, k, down);
    }
    if (size > k) { // the rest, by a step that overlaps the length already covered
        pixCopy(tmp, pix);
        shift_op(pix, tmp, size - k, PIX_SRC & PIX_DST, down);
        clear_end(pix, size - k, down);
    }
}

// dilate_runs turns on, after every ON pixel of pix, the size-1 pixels that follow it along
// the axis (inside the image).
static void dilate_runs(PIX *pix, PIX *tmp, l_int32 size, int down) {
    l_int32 k = 1;
    for (; 2 * k <= size; k *= 2) {
        pixCopy(tmp, pix);
        shift_op(pix, tmp, -k, PIX_SRC | PIX_DST, down);
    }
    if (size > k) {
        pixCopy(tmp, pix);
        shift_op(pix, tmp, -(size - k), PIX_SRC | PIX_DST, down);
    }
}

// open_brick is the opening of pixs by an hsize × vsize brick as a new image, or NULL if it
// could not be made.
static PIX *open_brick(PIX *pixs, l_int32 hsize, l_int32 vsize) {
    PIX *pixd = pixCopy(NULL, pixs);
    PIX *tmp = pixCreateTemplate(pixs);
    if (pixd == NULL || tmp == NULL) {
        pixDestroy(&pixd);
        pixDestroy(&tmp);
        return NULL;
    }
    erode_runs(pixd, tmp, hsize, 0);
    erode_runs(pixd, tmp, vsize, 1);
    dilate_runs(pixd, tmp, hsize, 0);
    dilate_runs(pixd, tmp, vsize, 1);
    pixSetPadBits(pixd, 0); // as Leptonica leaves them
    pixDestroy(&tmp);
    return pixd;
}

PIX *pixOpenBrick(PIX *pixd, PIX *pixs, l_int32 hsize, l_int32 vsize) {
    if (pixd == NULL && pixs != NULL && pixGetDepth(pixs) == 1 && hsize >= 1 && vsize >= 1 &&
        hsize * vsize > 1 && MORPH_BC == ASYMMETRIC_MORPH_BC) {
        PIX *out = open_brick(pixs, hsize, vsize);
        if (out != NULL) {
            atomic_fetch_add_explicit(&fast_openings, 1, memory_order_relaxed);
            return out;
        }
    }
    if (leptonica_open_brick == NULL) {
        return NULL; // never: libtesseract loads Leptonica
    }
    return leptonica_open_brick(pixd, pixs, hsize, vsize);
}

// ocr_open_brick_agrees opens a random w × h image (ON with probability density/100, plus
// bars of random lengths so that long runs exist, and the padding bits of its rows set) by an hsize × vsize brick both here and
// in Leptonica, and reports whether every word of the two results is the same.
int ocr_open_brick_agrees(int w, int h, int hsize, int vsize, int density, unsigned seed) {
    PIX *pixs = pixCreate(w, h, 1);
    if (pixs == NULL || leptonica_open_brick == NULL) {
        pixDestroy(&pixs);
        return 0;
    }
    unsigned r = seed * 2654435761u + 1;
#define NEXT() (r = r * 1103515245u + 12345u, (r >> 8) & 0xffffff)
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            if ((int)(NEXT() % 100) < density) {
                pixSetPixel(pixs, x, y, 1);
            }
        }
    }
    for (int i = 0; i < (w + h) / 4; i++) {
        int x = NEXT() % w, y = NEXT() % h, len = 1 + NEXT() % (2 * (hsize > vsize ? hsize : vsize) + 2);
        int across = NEXT() % 2, thick = 1 + NEXT() % (vsize + hsize);
        pixRasterop(pixs, x, y, across ? len : thick, across ? thick : len, PIX_SET, NULL, 0, 0);
    }
#undef NEXT
    pixSetPadBits(pixs, 1); // Leptonica's result has them clear whatever the source holds
    PIX *mine = open_brick(pixs, hsize, vsize);
    PIX *theirs = leptonica_open_brick(NULL, pixs, hsize, vsize);
    int same = mine != NULL && theirs != NULL && pixGetWpl(mine) == pixGetWpl(theirs) &&
               pixGetWidth(mine) == w && pixGetHeight(mine) == h && pixGetWidth(theirs) == w &&
               pixGetHeight(theirs) == h;
    if (same) {
        l_uint32 *a = pixGetData(mine), *b = pixGetData(theirs);
        for (long i = 0; i < (long)pixGetWpl(mine) * h; i++) {
            if (a[i] != b[i]) {
                same = 0;
                break;
            }
        }
    }
    pixDestroy(&mine);
    pixDestroy(&theirs);
    pixDestroy(&pixs);
    return same;
}
