package ocr

import (
	"strings"

	"github.com/sohoa/sohoa/record"
)

// doubleShare is the share of a Tesseract line's characters that must lie on words of one
// other line for the two to be taken as one printed line read twice.
const doubleShare = 0.5

// doubleMargin is how much more confident, in points of mean confidence, the line on top
// of another must be to be kept instead of the other's stretch.
const doubleMargin = 5

// dropDoubles removes the second reading of a printed line that Tesseract's layout made
// into two lines. An underlined motto in heavy print came out that way on five pages of the
// generated set: "Độc lập - Tự do - Hạnh phúc" once whole and once with its first and last
// letters cut ("ộc lập - Tự do - Hạnh phú"), the two sets of word boxes on top of each
// other. Where half or more of a line's characters lie on words of another line, only the
// more confident of the two readings of that stretch is kept; the rest of the other line
// (the "Số: …" that shared a line with one copy) stays.
func dropDoubles(words []tessWord) []tessWord {
	var keys []lineKey
	lines := map[lineKey][]int{}
	for i, w := range words {
		if strings.TrimSpace(w.Text) == "" {
			continue
		}
		k := keyOf(w)
		if _, ok := lines[k]; !ok {
			keys = append(keys, k)
		}
		lines[k] = append(lines[k], i)
	}
	dropped := make([]bool, len(words))
	kept := func(line []int) []int {
		var out []int
		for _, i := range line {
			if !dropped[i] {
				out = append(out, i)
			}
		}
		return out
	}
	for _, a := range keys {
		for _, b := range keys {
			if a == b {
				continue
			}
			la, lb := kept(lines[a]), kept(lines[b])
			onB := onTopOf(words, la, lb)
			if len(onB) == 0 || float64(textLength(pick(words, onB))) < doubleShare*float64(textLength(pick(words, la))) {
				continue
			}
			// Line a is a second reading of the stretch of line b under it. The two
			// readings' boxes do not line up word for word ("Hạnh" a word's width off,
			// a cut first letter beside the whole one), so the stretch is all of a.
			// Line a goes unless it is clearly the surer reading: the copy standing
			// as a line of its own was the one with boxes out of place, narrow words
			// with wide gaps that look like a column gutter to orderWords.
			extent := lineBox(pick(words, la))
			loser := la
			if stretch := within(words, lb, extent[0], extent[2]); meanConfidence(pick(words, la)) > meanConfidence(pick(words, stretch))+doubleMargin {
				loser = stretch
			}
			for _, i := range loser {
				dropped[i] = true
			}
		}
	}
	out := make([]tessWord, 0, len(words))
	for i, w := range words {
		if !dropped[i] {
			out = append(out, w)
		}
	}
	return out
}

// onTopOf returns the words of line a (indexes into words) that lie on some word of line b.
func onTopOf(words []tessWord, a, b []int) []int {
	var out []int
	for _, i := range a {
		for _, j := range b {
			if sameSpot(words[i].Box, words[j].Box) {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// sameSpot reports whether two word boxes cover the same place: they overlap each way by at
// least half the smaller extent. Neighbouring words on a line, or on adjacent lines, never do.
func sameSpot(a, b record.Box) bool {
	i, ok := a.Intersect(b)
	return ok && 2*(i[2]-i[0]) >= min(a[2]-a[0], b[2]-b[0]) && 2*(i[3]-i[1]) >= min(a[3]-a[1], b[3]-b[1])
}

// within returns the words at at whose centres lie between left and right.
func within(words []tessWord, at []int, left, right int) []int {
	var out []int
	for _, i := range at {
		if c := (words[i].Box[0] + words[i].Box[2]) / 2; c >= left && c <= right {
			out = append(out, i)
		}
	}
	return out
}

// pick returns the words at the indexes at.
func pick(words []tessWord, at []int) []tessWord {
	out := make([]tessWord, len(at))
	for k, i := range at {
		out[k] = words[i]
	}
	return out
}
