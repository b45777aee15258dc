package ocr

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/record"
)

func TestFixMRZ(t *testing.T) {
	t.Parallel()
	line := func(ws ...string) []record.Word {
		var out []record.Word
		for i, w := range ws {
			out = append(out, record.Word{Text: w, Confidence: 90, Box: record.Box{100 * i, 0, 100*i + 90, 40}})
		}
		return out
	}
	lines := [][]record.Word{
		line("Họ", "và", "tên:", "LƯƠNG", "MINH", "LAN"),
		line("Ngày", "sinh:", "27/07/1981"),
		line("s", "TDVNM1811915345026181191534<<7", "ộ"),
		line("81O7271F41O7273VNM<<<<<<<<<<2"),
		line(".LU0NG<<MTNH<LAN<<<<<<<<<<<<<<<"),
	}
	got := fixMRZ(lines)
	var text []string
	for _, l := range got {
		var ws []string
		for _, w := range l {
			ws = append(ws, w.Text)
		}
		text = append(text, strings.Join(ws, " "))
	}
	want := []string{
		"Họ và tên: LƯƠNG MINH LAN",
		"Ngày sinh: 27/07/1981",
		"IDVNM1811915345026181191534<<7",
		"8107271F4107273VNM<<<<<<<<<<<2",
		"LUONG<<MINH<LAN<<<<<<<<<<<<<<<",
	}
	if diff := cmp.Diff(want, text); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if b := got[2][0].Box; b != (record.Box{100, 0, 190, 40}) {
		t.Errorf("zone line 1 box = %v, want the zone word's, without the marks beside it", b)
	}
}
