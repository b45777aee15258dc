package main

import (
	"strings"
	"testing"
	"time"
)

// The hot folder's split option and the outbox's retention are read from the environment with
// their documented defaults, and a wrong value names its variable.
func TestConfigWatchSplitAndEventsKeep(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		vars      map[string]string
		keepWhole bool
		keep      time.Duration
		err       string
	}{
		{"defaults", nil, false, 30 * 24 * time.Hour, ""},
		{"split off, a week", map[string]string{"SOHOA_WATCH_SPLIT": "false", "SOHOA_EVENTS_KEEP_DAYS": "7"}, true, 7 * 24 * time.Hour, ""},
		{"split on, kept for ever", map[string]string{"SOHOA_WATCH_SPLIT": "true", "SOHOA_EVENTS_KEEP_DAYS": "0"}, false, -1, ""},
		{"not a boolean", map[string]string{"SOHOA_WATCH_SPLIT": "khong"}, false, 0, "SOHOA_WATCH_SPLIT"},
		{"negative days", map[string]string{"SOHOA_EVENTS_KEEP_DAYS": "-3"}, false, 0, "SOHOA_EVENTS_KEEP_DAYS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{"SOHOA_API_KEYS": "k:admin"}
			for k, v := range tc.vars {
				vars[k] = v
			}
			cfg, err := LoadConfig(func(k string) string { return vars[k] })
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one naming %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.WatchKeepWhole != tc.keepWhole || cfg.EventsKeep != tc.keep {
				t.Errorf("keep whole %v, events kept %v; want %v, %v", cfg.WatchKeepWhole, cfg.EventsKeep, tc.keepWhole, tc.keep)
			}
		})
	}
}
