package eval

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
)

// PDFTextAvailable returns nil when poppler's pdftotext, which PDFText runs, can be found,
// and otherwise an error that says how to get it.
func PDFTextAvailable() error {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return fmt.Errorf("pdftotext not found (install poppler-utils): %w", err)
	}
	return nil
}

// PDFText returns the text of every page of the PDF in data as poppler's pdftotext gives it
// by default (neither -layout nor -raw): what a user who extracts or copies the text of a
// searchable PDF gets. The texts are as extracted; the metrics normalise them.
func PDFText(ctx context.Context, data []byte) ([]string, error) {
	out, err := runInput(ctx, bytes.NewReader(data), "pdftotext", "-enc", "UTF-8", "-", "-")
	if err != nil {
		return nil, fmt.Errorf("extracting the text of a PDF: %w", err)
	}
	return splitPages(string(out)), nil
}

// splitPages cuts pdftotext's output into pages: it ends every page, the last included,
// with a form feed.
func splitPages(out string) []string {
	pages := strings.Split(out, "\f")
	if pages[len(pages)-1] == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}
