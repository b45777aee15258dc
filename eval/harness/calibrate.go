package harness

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/sohoa/sohoa/eval"
	"github.com/sohoa/sohoa/extract"
)

// writeOutcomes writes each field's evidence and outcome as a JSON line (--fit-out).
func writeOutcomes(path string, out []eval.Outcome) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, o := range out {
		if err := enc.Encode(o); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// fitCalibration fits the logistic coefficients of each field family from the outcomes of
// --fit-out runs (one or more files, comma-separated) and prints them to out as the Go table of
// extract/calibration.go.
func fitCalibration(out io.Writer, paths string) error {
	fams := map[string][]eval.Outcome{}
	for _, path := range strings.Split(paths, ",") {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		for dec.More() {
			var o eval.Outcome
			if err := dec.Decode(&o); err != nil {
				return err
			}
			fams[o.Family] = append(fams[o.Family], o)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(fams)) {
		w := eval.FitLogistic(fams[f], extract.CalibrationPrior, 1)
		fmt.Fprintf(out, "\t%q: {", f)
		for i, x := range w {
			if i > 0 {
				fmt.Fprint(out, ", ")
			}
			fmt.Fprintf(out, "%.3f", x)
		}
		fmt.Fprintf(out, "}, // %d fields\n", len(fams[f]))
	}
	return nil
}
