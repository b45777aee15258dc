package scan

import (
	"archive/zip"
	"bytes"
	"errors"

	"io"
	"path"
	"strings"
)

// File is one entry of an archive, read into memory.
type File struct {
	Name string // slash-separated path inside the archive, cleaned
	Data []byte
}

// maxZipRatio is the compression ratio above which a large entry is taken for a bomb.
// Scans are already compressed (JPEG, PNG, PDF, G4 TIFF) and shrink little; even a blank
// uncompressed 8-bit page stays under it, while bombs reach the deflate limit of ~1000.
const (
	maxZipRatio     = 400
	zipRatioMinSize = 1 << 20
)

// Unzip lists the entries of a zip archive as files, refusing entries whose paths climb out,
// archives whose compression ratio or total size looks like a bomb, and nested zips.
//
// The archive as a whole gets the budget of one upload: the entries together may hold at
// most Limits.MaxFileBytes and Limits.MaxPages files. Folders and the clutter operating
// systems add (__MACOSX/, ._*, .DS_Store, Thumbs.db) are skipped. Sizes are enforced on
// the bytes actually inflated, not on the sizes the archive declares.
func Unzip(data []byte, lim Limits) ([]File, error) {
	lim = lim.withDefaults()
	if len(data) == 0 {
		return nil, inputErr(ErrEmpty, "the file is empty (0 bytes): upload it again")
	}
	if err := lim.checkFileSize(int64(len(data))); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, inputErr(ErrCorrupt, "the zip archive is damaged (%v): create it again", err)
	}
	var entries []*zip.File
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || strings.HasSuffix(f.Name, "/") || clutter(f.Name) {
			continue
		}
		entries = append(entries, f)
	}
	if len(entries) > lim.MaxPages {
		return nil, inputErr(ErrTooManyPages, "the zip archive holds %d files, more than the limit of %d: split it into smaller archives",
			len(entries), lim.MaxPages)
	}
	budget := lim.MaxFileBytes
	files := make([]File, 0, len(entries))
	for _, f := range entries {
		name, err := entryName(f.Name)
		if err != nil {
			return nil, err
		}
		if f.Flags&0x1 != 0 {
			return nil, inputErr(ErrEncrypted, "the zip archive is password-protected (%s): create it again without a password", name)
		}
		if formatFromName(name) == fmtZip {
			return nil, inputErr(ErrUnsupported, "the zip archive contains another archive (%s): unpack it and upload the files directly", name)
		}
		if f.UncompressedSize64 > uint64(budget) {
			return nil, zipTooLarge(lim)
		}
		if bombRatio(f.UncompressedSize64, f.CompressedSize64) {
			return nil, zipBomb(name)
		}
		b, err := readEntry(f, budget)
		if err != nil {
			return nil, err
		}
		budget -= int64(len(b))
		if bombRatio(uint64(len(b)), f.CompressedSize64) {
			return nil, zipBomb(name)
		}
		if sniff(b) == fmtZip && formatFromName(name) == fmtUnknown {
			return nil, inputErr(ErrUnsupported, "the zip archive contains another archive (%s): unpack it and upload the files directly", name)
		}
		files = append(files, File{Name: name, Data: b})
	}
	return files, nil
}

func readEntry(f *zip.File, budget int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		if errors.Is(err, zip.ErrAlgorithm) {
			return nil, inputErr(ErrUnsupported, "the zip archive uses a compression method that cannot be read (%s): create it again with the standard method", f.Name)
		}
		return nil, inputErr(ErrCorrupt, "the zip archive is damaged at %s (%v): create it again", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, budget+1))
	if err != nil {
		return nil, inputErr(ErrCorrupt, "the zip archive is damaged at %s (%v): create it again", f.Name, err)
	}
	if int64(len(b)) > budget {
		return nil, inputErr(ErrTooLarge, "the zip archive unpacks to more than the limit of %s: split it into smaller archives", humanBytes(budget))
	}
	return b, nil
}

func bombRatio(size, compressed uint64) bool {
	return size > zipRatioMinSize && size > maxZipRatio*max(compressed, 1)
}

func zipBomb(name string) error {
	return inputErr(ErrTooLarge, "the zip archive entry %s expands more than %d times, which looks like a zip bomb: zip the scans themselves", name, maxZipRatio)
}

func zipTooLarge(lim Limits) error {
	return inputErr(ErrTooLarge, "the zip archive unpacks to more than the limit of %s: split it into smaller archives", humanBytes(lim.MaxFileBytes))
}

// entryName refuses names that would land outside the folder the archive is unpacked in,
// were anyone to write them to disk ("zip slip"), and returns the cleaned name.
func entryName(raw string) (string, error) {
	n := strings.ReplaceAll(raw, "\\", "/")
	bad := strings.HasPrefix(n, "/") || strings.ContainsRune(n, 0) ||
		(len(n) >= 2 && n[1] == ':') // a Windows drive letter
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			bad = true
		}
	}
	if bad {
		return "", inputErr(ErrUnsupported, "the zip archive entry %q points outside the archive: create the archive again from the folder of scans", raw)
	}
	return path.Clean(n), nil
}

func clutter(name string) bool {
	n := strings.ReplaceAll(name, "\\", "/")
	base := path.Base(n)
	return strings.HasPrefix(n, "__MACOSX/") || strings.HasPrefix(base, "._") ||
		base == ".DS_Store" || strings.EqualFold(base, "Thumbs.db") || base == "desktop.ini"
}
