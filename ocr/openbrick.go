package ocr

// int ocr_open_brick_agrees(int w, int h, int hsize, int vsize, int density, unsigned seed);
// unsigned long ocr_fast_openings(void);
import "C"

// openBrickAgrees opens a random w × h binary image (seeded, about density % ON, with bars)
// by an hsize × vsize brick with openbrick.c and with Leptonica's pixOpenBrick, and reports
// whether the two results are the same to the bit.
func openBrickAgrees(w, h, hsize, vsize, density int, seed uint32) bool {
	return C.ocr_open_brick_agrees(C.int(w), C.int(h), C.int(hsize), C.int(vsize), C.int(density), C.uint(seed)) != 0
}

// fastOpenings returns how many openings openbrick.c has done since the process started.
func fastOpenings() uint64 { return uint64(C.ocr_fast_openings()) }
