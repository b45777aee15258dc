package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/sohoa/sohoa/api"
	sohoaclient "github.com/sohoa/sohoa/client"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/ingest"
	"github.com/sohoa/sohoa/record"
)

// TestPrivacyAsReader uploads a generated identity card and an application form whose ID
// numbers are written with spaces, dots and dashes (and whose file name carries one), runs the
// real pipeline, then reads everything a reader can reach: document text and words, search
// snippets for prefixes of the numbers, the dossier, the export, the PDF's text layer (through
// pdftotext), the page image (read again by tesseract) and the original. None may hold a
// complete ID number or more of its digits than the masked field shows, and every read must be
// in the audit log with the documents it returned.
func TestPrivacyAsReader(t *testing.T) {
	for _, tool := range []string{"pdftotext", "tesseract"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (make test installs it): %v", tool, err)
		}
	}
	dir := t.TempDir()
	truths, err := fixtures.Generate(context.Background(), dir, fixtures.Options{Seed: 1314, Count: 1, Types: []string{"can_cuoc"}})
	if err != nil {
		t.Fatal(err)
	}
	card := filepath.Join(dir, truths[0].File)
	ids := []string{truths[0].Fields["id_number"], "036184007259", "079190004321", "026387115"}
	// The file name carries an ID number, as scanning stations name files after the applicant.
	form := filepath.Join(dir, "don_de_nghi_036184007259.png")
	writeForm(t, form, []string{
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
		"Độc lập - Tự do - Hạnh phúc",
		"ĐƠN ĐỀ NGHỊ CẤP BẢN SAO",
		"Họ và tên người đề nghị: Nguyễn Văn An",
		"Số định danh cá nhân: 036 184 007 259",
		"Số CCCD người được ủy quyền: 079-190-004-321",
		"Số CMND cũ: 026.387.115",
		"Số tiền lệ phí: 150.000.000 đồng",
	})

	ctx, _, base := startTestStack(t, stackVars(t, dir, "4", "privacy", "up:uploader,cl:clerk,rd:reader,ad:admin", nil))

	dossier := "000.00.15.H29-251206-0014"
	up := &sohoaclient.Client{Base: base, Key: "up", HTTP: http.DefaultClient}
	res, err := up.Upload(ctx, dossier, []string{card, form})
	if err != nil {
		t.Fatal(err)
	}
	noLeak(t, "upload answer (uploader)", mustJSON(t, res), ids)
	if err := ingest.Follow(ctx, up, []string{res.Batch.ID}, os.Stderr); err != nil {
		t.Fatal(err)
	}
	cardID, formID := res.Items[0].DocumentID, res.Items[1].DocumentID
	status, body, _ := rawGet(t, ctx, base, "up", "/v1/batches/"+res.Batch.ID)
	noLeak(t, "batch progress (uploader)", body, ids)
	if status != http.StatusOK {
		t.Fatalf("batch progress: %d", status)
	}

	// The clerk sees the numbers: the test would pass vacuously if OCR had not read them.
	_, clerkView, _ := rawGet(t, ctx, base, "cl", "/v1/documents/"+formID+"?words=1")
	var cv api.DocumentView
	json.Unmarshal(clerkView, &cv)
	if len(cv.Pages) == 0 || len(digitsIn(cv.Pages[0].Text, ids[1])) == 0 {
		t.Fatalf("OCR of the form did not read %s; page text: %.400q", ids[1], pageText(cv))
	}

	reads := map[string]int{} // what the reader read, to find in the audit log
	read := func(what, path string, wantStatus int) []byte {
		t.Helper()
		status, body, header := rawGet(t, ctx, base, "rd", path)
		if status != wantStatus {
			t.Errorf("%s: status %d, want %d (%.200s)", what, status, wantStatus, body)
		}
		var h bytes.Buffer
		header.Write(&h) // a file name in Content-Disposition can carry an ID number
		noLeak(t, what+" headers", h.Bytes(), ids)
		if json.Valid(body) || strings.HasSuffix(path, "documents?dossier_id="+url.QueryEscape(dossier)) {
			// PDFs and images are checked through what pdftotext and tesseract read in them:
			// their raw bytes hold digit runs (xref offsets) that mean nothing.
			noLeak(t, what, body, ids)
		}
		reads[what]++
		return body
	}
	read("card document", "/v1/documents/"+cardID+"?words=1", http.StatusOK)
	read("form document", "/v1/documents/"+formID+"?words=1", http.StatusOK)
	read("dossier", "/v1/dossiers/"+dossier, http.StatusOK)
	read("export", "/v1/exports/documents?dossier_id="+url.QueryEscape(dossier), http.StatusOK)
	for _, id := range ids {
		formatted := id[:3] + " " + id[3:6] + " " + id[6:]
		for _, q := range []string{id[:4], id[:6], id, formatted, id[len(id)-4:]} {
			body := read("search "+q, "/v1/search?q="+url.QueryEscape(q), http.StatusOK)
			var r index.Results
			json.Unmarshal(body, &r)
			if q == id && len(r.Hits) > 0 {
				t.Errorf("a reader's search for the whole number %s found %d documents: it confirms the number exists", record.MaskID(id), len(r.Hits))
			}
		}
	}
	// Digits alone find nothing in the masked copy; words still find the form, and that read
	// must be audited with the document it returned.
	var words index.Results
	json.Unmarshal(read("search words", "/v1/search?q="+url.QueryEscape("đề nghị cấp bản sao"), http.StatusOK), &words)
	if len(words.Hits) == 0 || words.Hits[0].ID != formID {
		t.Errorf("a reader's search for the form's title found %+v, want the form first", words.Hits)
	}
	read("card image", "/v1/documents/"+cardID+"/pages/1/image", http.StatusForbidden)
	read("card pdf", "/v1/documents/"+cardID+"/pdf", http.StatusForbidden)
	read("card original", "/v1/documents/"+cardID+"/original", http.StatusForbidden)
	read("form original", "/v1/documents/"+formID+"/original", http.StatusForbidden)

	pdfBytes := read("form pdf", "/v1/documents/"+formID+"/pdf", http.StatusOK)
	noLeak(t, "form pdf text (pdftotext)", runTool(t, pdfBytes, "in.pdf", "pdftotext", "-layout", "in.pdf", "-"), ids)
	img := read("form image", "/v1/documents/"+formID+"/pages/1/image", http.StatusOK)
	reread := runTool(t, img, "page.png", "tesseract", "page.png", "-", "-l", "vie")
	noLeak(t, "form image read again by tesseract", reread, ids)
	if !bytes.Contains(reread, []byte("đề nghị")) && !bytes.Contains(reread, []byte("ĐỀ NGHỊ")) {
		t.Errorf("the served form image no longer reads as the form (redaction too wide?): %.300q", reread)
	}

	// Every read above is in the audit log, with the documents it returned.
	_, body, _ = rawGet(t, ctx, base, "ad", "/v1/audit?limit=1000")
	var log api.AuditPage
	if err := json.Unmarshal(body, &log); err != nil {
		t.Fatalf("audit log: %v: %.300s", err, body)
	}
	byAction := map[string][]api.AuditRow{}
	for _, e := range log.Entries {
		if e.Role == "reader" {
			byAction[e.Action] = append(byAction[e.Action], e)
		}
	}
	for action, docs := range map[string][]string{
		"read_document": {cardID, formID}, "read_dossier": {cardID, formID}, "export": {cardID, formID},
		"search": {formID}, "read_pdf": {formID}, "read_page_image": {formID},
	} {
		seen := map[string]bool{}
		for _, e := range byAction[action] {
			seen[e.DocID] = true
			for _, d := range e.DocIDs {
				seen[d] = true
			}
		}
		for _, d := range docs {
			if !seen[d] {
				t.Errorf("audit log: no %s entry for document %s (entries: %+v)", action, d, byAction[action])
			}
		}
	}
}

// noLeak fails the test if served holds a complete ID number, or more consecutive digits of
// one than its masked form shows (3 first, 2 last), whatever separates the digits.
func noLeak(t *testing.T, what string, served []byte, ids []string) {
	t.Helper()
	for _, id := range ids {
		if leaked := digitsIn(string(served), id); len(leaked) > 0 {
			t.Errorf("%s leaks %d digits of %s: %q", what, len(leaked[0]), record.MaskID(id), leaked)
		}
	}
}

// digitRun is a run of digits with single spaces, dots or dashes between them.
var digitRun = regexp.MustCompile(`[0-9](?:[ .\-]?[0-9])*`)

// digitsIn returns the runs of served that hold 6 or more consecutive digits of id: more
// than the 5 its masked form shows in all. (Shorter windows match timestamps by chance.)
func digitsIn(served, id string) []string {
	var out []string
	for _, run := range digitRun.FindAllString(served, -1) {
		d := strings.NewReplacer(" ", "", ".", "", "-", "").Replace(run)
		for i := 0; i+6 <= len(id); i++ {
			if strings.Contains(d, id[i:i+6]) {
				out = append(out, run)
				break
			}
		}
	}
	return out
}

func pageText(v api.DocumentView) string {
	if len(v.Pages) == 0 {
		return ""
	}
	return v.Pages[0].Text
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func rawGet(t *testing.T, ctx context.Context, base, key, path string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body, resp.Header
}

// runTool writes input to a temporary file named name and returns what the tool prints.
func runTool(t *testing.T, input []byte, name string, tool string, args ...string) []byte {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), input, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tool, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return out
}

// writeForm renders lines of text as a 300 dpi A4 page: a form typed by an office, drawn
// here rather than by the fixtures generator so its numbers can carry separators.
func writeForm(t *testing.T, path string, lines []string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures.FontDir, "dejavu/DejaVuSerif.ttf"))
	if err != nil {
		t.Fatalf("font (make test installs fonts-dejavu): %v", err)
	}
	f, err := opentype.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 13, DPI: 300, Hinting: font.HintingNone})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, 2480, 3508))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	for i, line := range lines {
		d.Dot = fixed.P(240, 360+i*110)
		d.DrawString(line)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
