package scan

import (
	"bytes"
	"path"
	"strings"
	"unicode/utf8"
)

// format is a file type recognised from content.
type format int

const (
	fmtUnknown format = iota
	fmtPNG
	fmtJPEG
	fmtPDF
	fmtTIFF
	fmtWebP
	fmtBMP
	fmtGIF
	// Recognised but not decodable here: named so that the message can say what the file is.
	fmtZip
	fmtBigTIFF
	fmtJPEG2000
	fmtHEIC
	fmtText
)

var formatNames = map[format]string{
	fmtUnknown:  "an unknown type",
	fmtPNG:      "PNG",
	fmtJPEG:     "JPEG",
	fmtPDF:      "PDF",
	fmtTIFF:     "TIFF",
	fmtWebP:     "WebP",
	fmtBMP:      "BMP",
	fmtGIF:      "GIF",
	fmtZip:      "a zip archive or Office document",
	fmtBigTIFF:  "BigTIFF",
	fmtJPEG2000: "JPEG 2000",
	fmtHEIC:     "HEIC/HEIF",
	fmtText:     "plain text",
}

func (f format) String() string { return formatNames[f] }

func (f format) decodable() bool { return f >= fmtPNG && f <= fmtGIF }

// sniff recognises the format from the first bytes only; the name is never trusted.
func sniff(data []byte) format {
	has := func(off int, magic string) bool {
		return len(data) >= off+len(magic) && string(data[off:off+len(magic)]) == magic
	}
	switch {
	case has(0, "\x89PNG\r\n\x1a\n"):
		return fmtPNG
	case has(0, "\xff\xd8\xff"):
		return fmtJPEG
	case has(0, "II*\x00"), has(0, "MM\x00*"):
		return fmtTIFF
	case has(0, "II+\x00"), has(0, "MM\x00+"):
		return fmtBigTIFF
	case has(0, "RIFF") && has(8, "WEBP"):
		return fmtWebP
	case has(0, "BM") && len(data) >= 26:
		return fmtBMP
	case has(0, "GIF87a"), has(0, "GIF89a"):
		return fmtGIF
	case has(0, "PK\x03\x04"), has(0, "PK\x05\x06"):
		return fmtZip
	case has(0, "\x00\x00\x00\x0cjP  \r\n\x87\n"), has(0, "\xff\x4f\xff\x51"):
		return fmtJPEG2000
	case has(4, "ftypheic"), has(4, "ftypheix"), has(4, "ftypmif1"), has(4, "ftypmsf1"), has(4, "ftypavif"):
		return fmtHEIC
	}
	// The PDF header may be preceded by junk; readers accept it within the first 1 KiB.
	if bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return fmtPDF
	}
	if looksLikeText(data[:min(len(data), 4096)]) {
		return fmtText
	}
	return fmtUnknown
}

func looksLikeText(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	// A cut in the middle of a multi-byte rune at the end is not evidence of binary.
	for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			return false
		}
	}
	return true
}

// formatFromName maps a file extension to the format it promises, for mislabel detection.
func formatFromName(name string) format {
	switch strings.ToLower(path.Ext(strings.ReplaceAll(name, "\\", "/"))) {
	case ".png":
		return fmtPNG
	case ".jpg", ".jpeg", ".jpe", ".jfif":
		return fmtJPEG
	case ".pdf":
		return fmtPDF
	case ".tif", ".tiff":
		return fmtTIFF
	case ".webp":
		return fmtWebP
	case ".bmp", ".dib":
		return fmtBMP
	case ".gif":
		return fmtGIF
	case ".zip":
		return fmtZip
	}
	return fmtUnknown
}

const acceptedTypes = "PDF, TIFF, JPEG, PNG, WebP or BMP"

// classify applies the size guards and decides what to do with a file: the sniffed format
// if it can be decoded, or the *InputError explaining why not.
func classify(name string, data []byte, lim Limits) (format, error) {
	if len(data) == 0 {
		return fmtUnknown, inputErr(ErrEmpty, "the file is empty (0 bytes): upload it again")
	}
	if err := lim.checkFileSize(int64(len(data))); err != nil {
		return fmtUnknown, err
	}
	f := sniff(data)
	if f.decodable() {
		return f, nil
	}
	switch f {
	case fmtBigTIFF, fmtJPEG2000, fmtHEIC:
		return f, inputErr(ErrUnsupported, "%s images are not supported: convert it to %s", f, acceptedTypes)
	}
	claimed := formatFromName(name)
	if claimed.decodable() && claimed != f {
		return f, inputErr(ErrMislabelled, "the file is named %s but its content is %s, not %s: export it again as %s",
			path.Base(name), f, claimed, acceptedTypes)
	}
	if f == fmtZip {
		return f, inputErr(ErrUnsupported, "the file is %s: upload zip archives as such, or export documents as %s", f, acceptedTypes)
	}
	return f, inputErr(ErrUnsupported, "the file is %s, not a scan: upload %s", f, acceptedTypes)
}
