package ocr

// #include <malloc.h>
//
// // keep_heap makes glibc keep freed memory for the next page instead of handing it back:
// // blocks of up to 32 MB come from the heap rather than from mmap (which unmaps them on
// // free), and up to 64 MB free at a heap's top are kept rather than trimmed.
// static void keep_heap(void) {
//     mallopt(M_MMAP_THRESHOLD, 32 << 20);
//     mallopt(M_TRIM_THRESHOLD, 64 << 20);
// }
import "C"

import "sync"

// keepHeap tunes glibc's allocator, which Tesseract and Leptonica allocate through, for a
// process that recognises page after page. With glibc's defaults each page's large buffers
// (a page image is 8.7 MB at A4 300 dpi) are mapped afresh and returned on free, and every
// 4 KB of them faults on first touch; on this project's virtual machines a fault costs about
// 8 µs, and faults were 7% of `sohoa process`'s CPU on clean pages, of which glibc's memset
// and its heap growth caused over half.
var keepHeap = sync.OnceFunc(func() { C.keep_heap() })
