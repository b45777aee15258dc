package main

import (
	"net/http"

	"github.com/sohoa/sohoa/web"
)

// newUI returns the clerk and upload UI, signing clerks in through sessions (the API server).
func newUI(sessions web.Sessions) http.Handler { return web.New(sessions) }
