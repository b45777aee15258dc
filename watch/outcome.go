package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Codes of a failed file, written in its note beside the Vietnamese explanation: stable, so
// an office's scripts can sort failures.
const (
	codeNoDossier = "missing_dossier"   // no folder, dossier.txt or sidecar names the dossier
	codeRefused   = "upload_refused"    // the API refused the request (key, dossier code …)
	codeRejected  = "file_rejected"     // the API refused the file on arrival (type, size …)
	codeFailed    = "processing_failed" // accepted, then processing found it unreadable
)

// hints say what a clerk can do about each kind of failure.
var hints = map[string]string{
	codeNoDossier: "Đặt lại tệp vào thư mục mang mã hồ sơ (hoặc thêm dossier.txt / tệp kèm .json), rồi chép tệp vào thư mục theo dõi một lần nữa.",
	codeRefused:   "Báo quản trị viên: máy chủ từ chối yêu cầu tải lên (khóa API, mã hồ sơ hoặc giới hạn dung lượng). Sửa xong thì chép tệp vào lại thư mục theo dõi.",
	codeRejected:  "Kiểm tra tệp: định dạng được nhận là PDF, TIFF, JPEG, PNG, WebP, BMP hoặc ZIP, và tệp không quá lớn. Quét lại hoặc lưu lại tệp rồi chép vào thư mục theo dõi.",
	codeFailed:    "Tệp đã được nhận nhưng không xử lý được (hỏng, bị khóa mật khẩu hoặc trang trắng). Quét lại bản giấy rồi chép tệp mới vào thư mục theo dõi.",
}

// outcome is how a file finished.
type outcome struct {
	ok     bool
	code   string
	detail string // the reason, as the API or the watcher gave it
}

// finish moves the file at rel to done/ or failed/ under the same relative path; a failed
// file gets <name>.error.txt beside it. A name already taken there gets a numbered suffix, so
// no earlier file is overwritten.
func (w *Watcher) finish(dir, rel string, out outcome) {
	dest := DoneDir
	if !out.ok {
		dest = FailedDir
	}
	target := freeName(filepath.Join(dir, dest, rel))
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		w.Log.Error("hot folder: cannot make "+dest+"/", "err", err)
		return
	}
	src := filepath.Join(dir, rel)
	if err := os.Rename(src, target); err != nil {
		w.Log.Error("hot folder: cannot move a finished file", "to", dest, "err", err)
		return
	}
	if side := src + sidecarExt; fileExists(side) {
		os.Rename(side, target+sidecarExt)
	}
	delete(w.seen, src)
	if out.ok {
		return
	}
	note := fmt.Sprintf("Không đưa được tệp %s vào hồ sơ.\nLý do: %s\nCách xử lý: %s\nMã lỗi (code): %s\n",
		filepath.Base(rel), strings.TrimSpace(out.detail), hints[out.code], out.code)
	if err := os.WriteFile(target+errorExt, []byte(note), 0o644); err != nil {
		w.Log.Error("hot folder: cannot write the error note", "err", err)
	}
	// The file name may hold an ID number: it is logged at debug level only.
	w.Log.Warn("hot folder: file failed", "code", out.code)
	w.Log.Debug("hot folder: file failed", "file", rel, "reason", out.detail)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// freeName returns p, or p with " (2)", " (3)" … before its extension when p is taken.
func freeName(p string) string {
	if !fileExists(p) {
		return p
	}
	ext := filepath.Ext(p)
	base := strings.TrimSuffix(p, ext)
	for i := 2; ; i++ {
		q := fmt.Sprintf("%s (%d)%s", base, i, ext)
		if !fileExists(q) {
			return q
		}
	}
}
