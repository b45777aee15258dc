package store

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAuditQuery(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t)
	clock := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	s.now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	reader := Actor{Name: "key:r", Role: "reader"}
	clerk := Actor{Name: "key:c", Role: "clerk"}
	for _, e := range []AuditEntry{
		{Actor: reader, Action: "search", DocIDs: []string{"d1", "d2"}}, // 08:01
		{Actor: clerk, Action: "read_document", DocID: "d2"},            // 08:02
		{Actor: reader, Action: "export", DocIDs: []string{"d3"}},       // 08:03
		{Actor: clerk, Action: "read_person", Subject: "001*******56"},  // 08:04
	} {
		if err := s.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	actions := func(f AuditFilter) []string {
		t.Helper()
		got, err := s.AuditQuery(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, e := range got {
			out = append(out, e.Action)
		}
		return out
	}
	for name, tc := range map[string]struct {
		f    AuditFilter
		want []string
	}{
		"all, newest first":          {AuditFilter{}, []string{"read_person", "export", "read_document", "search"}},
		"by actor":                   {AuditFilter{Actor: "key:r"}, []string{"export", "search"}},
		"by document, either column": {AuditFilter{DocID: "d2"}, []string{"read_document", "search"}},
		"by time":                    {AuditFilter{Since: Stamp(time.Date(2026, 12, 1, 8, 2, 0, 0, time.UTC)), Until: Stamp(time.Date(2026, 12, 1, 8, 4, 0, 0, time.UTC))}, []string{"export", "read_document"}},
		"paged":                      {AuditFilter{Limit: 2}, []string{"read_person", "export"}},
	} {
		if got := actions(tc.f); !cmp.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", name, got, tc.want)
		}
	}
	got, _ := s.AuditQuery(ctx, AuditFilter{Actor: "key:r"})
	if len(got) != 2 || !cmp.Equal(got[1].DocIDs, []string{"d1", "d2"}) || !cmp.Equal(got[0].DocIDs, []string{"d3"}) {
		t.Errorf("documents of the entries: %+v", got)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM audit_docs`); err == nil {
		t.Error("audit_docs rows could be deleted")
	}
}
