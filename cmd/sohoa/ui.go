package main

import (
	"net/http"

	"github.com/sohoa/sohoa/web"
)

// newUI returns the clerk and upload UI.
func newUI() http.Handler { return web.New() }
