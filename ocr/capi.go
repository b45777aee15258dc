package ocr

// What gosseract (v2.4.1) has no call for, through Tesseract's C API: orientation detection,
// the types of the blocks the last recognition laid out (pictures are read again on their
// own, engine.rereadPictures), and freeing a page's results once it is read. The last two
// act on the TessBaseAPI inside a gosseract Client, which gosseract keeps unexported.

// #cgo LDFLAGS: -ltesseract
// #include <stdlib.h>
// #include <tesseract/capi.h>
//
// // osd_detect runs orientation detection on the image already set. The script name is
// // not asked for: Tesseract 5.3 returns a pointer into its own unicharset there, so the
// // capi.h advice to free it with TessDeleteText would corrupt the heap.
// static int osd_detect(TessBaseAPI *h, int *deg, float *conf) {
//     return TessBaseAPIDetectOrientationScript(h, deg, conf, NULL, NULL) ? 1 : 0;
// }
//
// // picture_blocks writes the boxes (x1, y1, x2, y2) of up to max blocks that Tesseract's
// // layout took for pictures in the last recognition, and returns how many it wrote.
// static int picture_blocks(TessBaseAPI *h, int *boxes, int max) {
//     TessResultIterator *it = TessBaseAPIGetIterator(h);
//     if (it == NULL) return 0;
//     TessPageIterator *pit = TessResultIteratorGetPageIterator(it);
//     int n = 0;
//     do {
//         TessPolyBlockType t = TessPageIteratorBlockType(pit);
//         if (n < max && (t == PT_FLOWING_IMAGE || t == PT_HEADING_IMAGE || t == PT_PULLOUT_IMAGE)) {
//             int *b = &boxes[4 * n++];
//             TessPageIteratorBoundingBox(pit, RIL_BLOCK, &b[0], &b[1], &b[2], &b[3]);
//         }
//     } while (TessPageIteratorNext(pit, RIL_BLOCK));
//     TessResultIteratorDelete(it);
//     return n;
// }
import "C"

import (
	"fmt"
	"image"
	"reflect"
	"strconv"
	"unsafe"

	"github.com/otiai10/gosseract/v2"

	"github.com/sohoa/sohoa/record"
)

// handleOf returns the tesseract::TessBaseAPI that c drives (gosseract's unexported
// Client.api), or nil if gosseract no longer keeps it there.
func handleOf(c *gosseract.Client) *C.TessBaseAPI {
	v := reflect.ValueOf(c).Elem().FieldByName("api")
	if !v.IsValid() || v.Kind() != reflect.UnsafePointer {
		return nil
	}
	return (*C.TessBaseAPI)(v.UnsafePointer())
}

// pictureBlocks returns up to max blocks that c's last recognition laid out as pictures.
func pictureBlocks(c *gosseract.Client, max int) []record.Box {
	h := handleOf(c)
	if h == nil {
		return nil
	}
	boxes := make([]C.int, 4*max)
	n := int(C.picture_blocks(h, &boxes[0], C.int(max)))
	out := make([]record.Box, n)
	for i := range out {
		b := boxes[4*i:]
		out[i] = record.Box{int(b[0]), int(b[1]), int(b[2]), int(b[3])}
	}
	return out
}

// clearResults frees the image and results c's Tesseract holds after a page, so an idle
// client holds only its models (gosseract keeps them until the next image).
func clearResults(c *gosseract.Client) {
	if h := handleOf(c); h != nil {
		C.TessBaseAPIClear(h)
	}
}

// osdHandle is a Tesseract API initialised with osd.traineddata, for orientation detection.
// Like an engine it must be used by one goroutine at a time.
type osdHandle struct {
	api *C.TessBaseAPI
}

// newOSDHandle creates and initialises a handle. The caller serialises it with every
// other Tesseract Init in the process.
func newOSDHandle(tessdataDir string) (*osdHandle, error) {
	api := C.TessBaseAPICreate()
	if api == nil {
		return nil, fmt.Errorf("creating osd handle: %w", ErrEngine)
	}
	var dir *C.char
	if tessdataDir != "" {
		dir = C.CString(tessdataDir)
		defer C.free(unsafe.Pointer(dir))
	}
	lang := C.CString("osd")
	defer C.free(unsafe.Pointer(lang))
	if rc := C.TessBaseAPIInit3(api, dir, lang); rc != 0 {
		C.TessBaseAPIDelete(api)
		return nil, fmt.Errorf("initialising osd handle (code %d): %w", int(rc), ErrEngine)
	}
	C.TessBaseAPISetPageSegMode(api, C.PSM_OSD_ONLY)
	return &osdHandle{api: api}, nil
}

// detect returns Tesseract's orientation of the content (the counter-clockwise angle the
// text was turned by, 0/90/180/270) and its confidence from at most 5 × minLetters letters
// (Tesseract's min_characters_to_try); ok is false when Tesseract found too little text to
// decide.
func (h *osdHandle) detect(g *image.Gray, dpi, minLetters int) (deg int, conf float64, ok bool) {
	name, val := C.CString("min_characters_to_try"), C.CString(strconv.Itoa(minLetters))
	C.TessBaseAPISetVariable(h.api, name, val)
	C.free(unsafe.Pointer(name))
	C.free(unsafe.Pointer(val))
	w, ht := g.Rect.Dx(), g.Rect.Dy()
	// Tesseract copies the pixels into its own Pix inside SetImage, so the Go memory is
	// not kept past this call.
	pix := unsafe.Pointer(&g.Pix[g.PixOffset(g.Rect.Min.X, g.Rect.Min.Y)])
	C.TessBaseAPISetImage(h.api, (*C.uchar)(pix), C.int(w), C.int(ht), 1, C.int(g.Stride))
	C.TessBaseAPISetSourceResolution(h.api, C.int(dpi))
	var cdeg C.int
	var cconf C.float
	found := C.osd_detect(h.api, &cdeg, &cconf) != 0
	C.TessBaseAPIClear(h.api)
	if !found {
		return 0, 0, false
	}
	return int(cdeg), float64(cconf), true
}

// close frees the handle; it is safe on a nil or closed handle.
func (h *osdHandle) close() {
	if h == nil || h.api == nil {
		return
	}
	C.TessBaseAPIEnd(h.api)
	C.TessBaseAPIDelete(h.api)
	h.api = nil
}
