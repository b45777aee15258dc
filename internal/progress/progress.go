// Package progress draws the progress bar the commands redraw on a terminal line
// (`sohoa ingest --wait`, `sohoa eval`). It imports only the standard library.
package progress

import "strings"

// width is the bar's length in characters.
const width = 30

// Bar returns n of total as a bar of width characters between brackets: █ for what is done,
// · for what is left. A total of 0 draws a full bar (nothing left to do).
func Bar(n, total int) string {
	filled := width
	if total > 0 {
		filled = min(width, max(0, n*width/total))
	}
	return "[" + strings.Repeat("█", filled) + strings.Repeat("·", width-filled) + "]"
}
