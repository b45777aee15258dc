package harness

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sohoa/sohoa/eval"
)

// sideBySide reads --json reports given as NAME=FILE pairs and prints them as one table.
func sideBySide(out io.Writer, spec string) error {
	var names []string
	var rs []eval.Report
	for _, kv := range strings.Split(spec, ",") {
		name, path, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("--side-by-side: %q is not NAME=FILE", kv)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var r eval.Report
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("--side-by-side: %s: %w", path, err)
		}
		names, rs = append(names, name), append(rs, r)
	}
	return eval.WriteSideBySide(out, names, rs)
}
