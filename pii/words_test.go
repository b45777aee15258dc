package pii

import (
	"image"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sohoa/sohoa/record"
)

// line makes the words of one OCR line, 100 pixels wide each with 10 between, 30 high.
func line(n int, texts ...string) []record.Word {
	var out []record.Word
	for i, t := range texts {
		x := 110 * i
		out = append(out, record.Word{Text: t, Confidence: 90, Box: record.Box{x, 40 * n, x + 100, 40*n + 30}, Line: n})
	}
	return out
}

func texts(words []record.Word) []string {
	out := []string{}
	for _, w := range words {
		out = append(out, w.Text)
	}
	return out
}

func TestMaskWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		words []record.Word
		want  []string
	}{
		{"grouped number", line(0, "Số:", "001", "085", "012", "345"), []string{"Số:", "001", "***", "***", "*45"}},
		{"one word", line(0, "CCCD:001085012345"), []string{"CCCD:001*******45"}},
		{"dotted in one word", line(0, "001.085.012.345"), []string{"001.***.***.*45"}},
		{"fours", line(0, "0010", "8501", "2345"), []string{"001*", "****", "**45"}},
		{"CMND", line(0, "CMND", "012", "345", "678"), []string{"CMND", "012", "***", "*78"}},
		{"money stays", line(0, "150.000.000", "đồng"), []string{"150.000.000", "đồng"}},
		{"phone stays", line(0, "0912", "345", "678"), []string{"0912", "345", "678"}},
		{"MRZ", append(line(0, "IDVNM0850123452001085012345<<8"), line(1, "8501013M3001013VNM<<<<<<<<<<<6")...),
			[]string{"IDVNM**********************<<*", "***************VNM<<<<<<<<<<<*"}},
		{"MRZ split in words", line(0, "IDVNM", "085012345", "2001085012345", "<<8"),
			[]string{"IDVNM", "*********", "*************", "<<*"}},
		{"lines are not joined", append(line(0, "Số", "001", "085"), line(1, "012", "345")...),
			[]string{"Số", "001", "085", "012", "345"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, texts(MaskWords(tt.words))); diff != "" {
				t.Errorf("MaskWords (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMaskWordsReadsLeftToRight(t *testing.T) {
	t.Parallel()
	words := line(3, "001", "085", "012", "345")
	words[0], words[3] = words[3], words[0]
	want := []string{"*45", "***", "***", "001"}
	if diff := cmp.Diff(want, texts(MaskWords(words))); diff != "" {
		t.Errorf("MaskWords (-want +got):\n%s", diff)
	}
}

func TestMaskWordsKeepsInput(t *testing.T) {
	t.Parallel()
	words := line(0, "Số:", "001", "085", "012", "345")
	before := append([]record.Word(nil), words...)
	got := MaskWords(words)
	if diff := cmp.Diff(before, words); diff != "" {
		t.Errorf("MaskWords changed its input (-before +after):\n%s", diff)
	}
	if got[1].Box != words[1].Box || got[1].Line != words[1].Line || got[1].Confidence != words[1].Confidence {
		t.Errorf("MaskWords changed more than the text: %+v", got[1])
	}
	if MaskWords(nil) != nil {
		t.Error("MaskWords(nil) != nil")
	}
}

func TestBoxes(t *testing.T) {
	t.Parallel()
	mrz := append(line(5, "IDVNM0850123452001085012345<<8"), line(6, "8501013M3001013VNM<<<<<<<<<<<6")...)
	mrz = append(mrz, line(7, "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<")...)
	tests := []struct {
		name  string
		words []record.Word
		want  []record.Box
	}{
		{"grouped number", line(1, "Số:", "001", "085", "012", "345"),
			[]record.Box{{105, 35, 215, 75}, {215, 35, 325, 75}, {325, 35, 435, 75}, {435, 35, 545, 75}}},
		{"glued word", line(0, "CCCD:001085012345", "cấp"), []record.Box{{0, 0, 105, 35}}},
		{"money", line(0, "150.000.000", "đồng"), nil},
		{"MRZ with its name line", mrz,
			[]record.Box{{0, 195, 105, 235}, {0, 235, 105, 275}, {0, 275, 105, 315}}},
		{"name line without the zone", line(7, "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, Boxes(tt.words)); diff != "" {
				t.Errorf("Boxes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	img := image.NewGray(image.Rect(0, 0, 10, 8))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	Redact(img, []record.Box{
		{2, 1, 4, 3},     // inside
		{8, 6, 20, 20},   // past the bottom right corner: clipped
		{-5, -5, 1, 1},   // before the top left corner: clipped
		{30, 30, 40, 40}, // outside: nothing
		{6, 4, 5, 5},     // inverted: nothing
	})
	var got []string
	for y := range 8 {
		row := ""
		for x := range 10 {
			if img.GrayAt(x, y).Y == 0 {
				row += "#"
			} else {
				row += "."
			}
		}
		got = append(got, row)
	}
	want := []string{
		"#.........",
		"..##......",
		"..##......",
		"..........",
		"..........",
		"..........",
		"........##",
		"........##",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Redact (-want +got):\n%s", diff)
	}
}
