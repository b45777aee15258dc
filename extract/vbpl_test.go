package extract

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/classify"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/record"
)

// vbplPath is the real legal-document sample shared by the project (shared/data/README.md).
const vbplPath = "../testdata/shared/vbpl/vbpl_dev.jsonl.gz"

// titleNumber is the number in a vbpl.vn title: "Thông tư số 06/2026/TT-BXD …".
var titleNumber = regexp.MustCompile(`số\s+(\d[^\s/]*/\S+)`)

var cyrillic = strings.NewReplacer("С", "C", "Т", "T", "В", "B", "Н", "H", "А", "A", "Е", "E", "О", "O", "Р", "P", "К", "K", "М", "M", "Х", "X")

// TestVBPLNumberAccuracy measures how often the extracted number equals the number in the
// site's title, on the first and last 40 lines of each full-text record. The floor sits a
// little under the measured value.
func TestVBPLNumberAccuracy(t *testing.T) {
	t.Parallel()
	const (
		// Measured: 0.938 of all, 0.961 of those with a header, valid date 0.905 of those with a
		// header, signer 0.774 (most misses end in an appendix, not a signature).
		allNumberFloor = 0.92
		numberFloor    = 0.95
		dateFloor      = 0.88
		signerFloor    = 0.75
	)
	recs, err := fixtures.ReadVBPL(vbplPath)
	if err != nil {
		t.Fatal(err)
	}
	tax := record.MustTaxonomy()
	c, e := classify.New(tax), newTestExtractor()
	var total, right, headed, headedRight, dated, signed int
	for _, r := range recs {
		title := record.NFC(r.Title)
		ms := titleNumber.FindAllStringSubmatch(title, -1)
		if r.BodyKind != "full_text" || ms == nil {
			continue
		}
		// A law's title names the amended law first and its own number last.
		m := ms[0]
		if strings.HasPrefix(title, "Luật") {
			m = ms[len(ms)-1]
		}
		pages := r.ScanPages(40)
		fields := e.Extract(c.Classify(pages).Type, pages)
		total++
		// Some records start at the type heading: their header, and so their number, date
		// and issuer, were not kept. They count in the total but not in the header rates.
		header := strings.Contains(record.Fold(pages[0].Text), "chu nghia viet nam")
		if header {
			headed++
		}
		want := strings.TrimRight(cyrillic.Replace(m[1]), ".,;")
		if got := fields["number"].Value; got == want {
			right++
			if header {
				headedRight++
			}
		} else {
			t.Logf("%s: number %q, want %q (header %v)", r.Title[:min(60, len(r.Title))], got, want, header)
		}
		if header && fields["issued_date"].Valid {
			dated++
		}
		if fields["signer"].Value != "" {
			signed++
		}
	}
	acc := float64(right) / float64(total)
	headedAcc := float64(headedRight) / float64(headed)
	t.Logf("vbpl number accuracy: all %d/%d = %.3f, with header %d/%d = %.3f; valid issued_date %d/%d; signer found %d/%d",
		right, total, acc, headedRight, headed, headedAcc, dated, headed, signed, total)
	if acc < allNumberFloor {
		t.Errorf("number accuracy %.3f below floor %.2f", acc, allNumberFloor)
	}
	if headedAcc < numberFloor {
		t.Errorf("number accuracy with header %.3f below floor %.2f", headedAcc, numberFloor)
	}
	if r := float64(dated) / float64(headed); r < dateFloor {
		t.Errorf("issued_date rate %.3f below floor %.2f", r, dateFloor)
	}
	if r := float64(signed) / float64(total); r < signerFloor {
		t.Errorf("signer rate %.3f below floor %.2f", r, signerFloor)
	}
}
