package client

import (
	"context"

	"github.com/sohoa/sohoa/api"
)

// UploadWhole is UploadFiles asking for every file to stay one document (split=false),
// whatever c.KeepWhole says: for a caller that decides file by file (the hot folder).
func (c *Client) UploadWhole(ctx context.Context, dossier string, files []File) (api.UploadResult, error) {
	whole := *c
	whole.KeepWhole = true
	return whole.UploadFiles(ctx, dossier, files)
}
