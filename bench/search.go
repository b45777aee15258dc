package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/sohoa/sohoa/api"
	"github.com/sohoa/sohoa/fixtures"
	"github.com/sohoa/sohoa/index"
	"github.com/sohoa/sohoa/store"
)

// searchQueries are what clerks type: document kinds, bodies, places and common names. The
// bench also sends each without diacritics, as many people type on a phone. Full names
// drawn from the generated documents are added to them.
var searchQueries = []string{
	"quyết định", "ủy ban nhân dân", "giấy khai sinh", "đăng ký kết hôn", "căn cước công dân",
	"thủ tục hành chính", "quyền sử dụng đất", "xác nhận cư trú", "trích lục khai tử",
	"đăng ký doanh nghiệp", "đơn đề nghị", "kế hoạch", "báo cáo kết quả", "giấy mời họp",
	"Thái Bình", "Hồ Chí Minh", "Đông Hưng", "Nguyễn Thị", "Trần Văn", "nơi cư trú",
}

// search indexes o.SearchDocs generated documents into a fresh index, then times GET /v1/search
// through the real API (SQLite store, hashed API keys, the audit log of every search)
// served on loopback, as a reader (masked search) and as a clerk, with and without
// diacritics.
func (o Options) search(ctx context.Context, dir string) error {
	n, requests := o.SearchDocs, o.SearchRequests
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	docs, names, err := searchDocs(ctx, filepath.Join(dir, "fixtures"), n)
	if err != nil {
		return err
	}
	ix := index.New(o.MeiliURL, o.MeiliKey, fmt.Sprintf("bench_search_%d", time.Now().Unix()))
	if err := ix.EnsureSettings(ctx); err != nil {
		return err
	}
	defer ix.Drop(context.WithoutCancel(ctx))
	chars := 0
	for _, d := range docs {
		chars += len([]rune(d.Text))
	}
	start := time.Now()
	for batch := range slices.Chunk(docs, 1000) {
		if err := ix.Upsert(ctx, batch...); err != nil {
			return fmt.Errorf("indexing: %w", err)
		}
	}
	took := time.Since(start)
	fmt.Fprintf(o.Out, "\nsearch: %d generated documents (%d characters of text on average, indexed with a masked copy)\n", len(docs), chars/len(docs))
	fmt.Fprintf(o.Out, "%-34s %8.0f docs/s (%.1f s)\n", "indexing", float64(len(docs))/took.Seconds(), took.Seconds())

	db, err := store.OpenSQLite(ctx, filepath.Join(dir, "sohoa.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	_, readerKey, err := db.CreateKey(ctx, "reader", "bench reader", 0)
	if err != nil {
		return err
	}
	_, clerkKey, err := db.CreateKey(ctx, "clerk", "bench clerk", 0)
	if err != nil {
		return err
	}
	srv := httptest.NewServer(api.New(api.Config{Store: db, Index: ix, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Handler())
	defer srv.Close()
	// The API's clients keep their connections, as a browser does.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}

	withMarks := append(slices.Clone(searchQueries), names...)
	without := make([]string, len(withMarks))
	for i, q := range withMarks {
		without[i] = foldVietnamese(q)
	}
	for _, key := range []struct{ role, token string }{{"reader", readerKey}, {"clerk", clerkKey}} {
		for _, set := range []struct {
			name    string
			queries []string
		}{{"with diacritics", withMarks}, {"without diacritics", without}} {
			lat, meili, hits, err := timeSearches(ctx, client, srv.URL, key.token, set.queries, requests)
			if err != nil {
				return fmt.Errorf("searching as %s: %w", key.role, err)
			}
			fmt.Fprintf(o.Out, "%-34s p50 %5.1f ms  p95 %5.1f ms  max %5.1f ms  (Meilisearch's own p50 %.0f ms, p95 %.0f ms; %.1f hits)\n",
				"API "+key.role+", "+set.name, ms(lat, 50), ms(lat, 95), ms(lat, 100), ms(meili, 50), ms(meili, 95), float64(hits)/float64(len(lat)))
		}
	}

	// What the API adds to Meilisearch: the same queries on the index directly, and the
	// audit entry of a search returning 20 documents on its own.
	var direct []time.Duration
	for i := range requests {
		s := time.Now()
		if _, err := ix.Search(ctx, index.Query{Text: withMarks[i%len(withMarks)], Masked: i%2 == 0}); err != nil {
			return err
		}
		direct = append(direct, time.Since(s))
	}
	ids := make([]string, 20)
	for i := range ids {
		ids[i] = docs[i].ID
	}
	var audit []time.Duration
	for range requests {
		s := time.Now()
		if err := db.Audit(ctx, store.AuditEntry{Actor: store.Actor{Name: "bench", Role: "reader"}, Action: "search", DocIDs: ids}); err != nil {
			return err
		}
		audit = append(audit, time.Since(s))
	}
	fmt.Fprintf(o.Out, "%-34s p50 %5.1f ms  p95 %5.1f ms\n", "index.Search alone", ms(direct, 50), ms(direct, 95))
	fmt.Fprintf(o.Out, "%-34s p50 %5.1f ms  p95 %5.1f ms\n", "audit entry of 20 documents alone", ms(audit, 50), ms(audit, 95))
	return nil
}

// timeSearches sends requests searches, going round queries, one at a time. It returns
// their latencies, the processing times Meilisearch reported for them, and the hits in all.
func timeSearches(ctx context.Context, client *http.Client, base, token string, queries []string, requests int) (lat, meili []time.Duration, hits int, err error) {
	for i := range requests {
		u := base + "/v1/search?" + url.Values{"q": {queries[i%len(queries)]}}.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, nil, 0, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		s := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return nil, nil, 0, err
		}
		var res index.Results
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		lat = append(lat, time.Since(s))
		if resp.StatusCode != http.StatusOK || err != nil {
			return nil, nil, 0, fmt.Errorf("GET %s: %s (%v)", u, resp.Status, err)
		}
		hits += len(res.Hits)
		meili = append(meili, time.Duration(res.ProcessingTimeMs)*time.Millisecond)
	}
	return lat, meili, hits, nil
}

// ms is the p-th percentile of d in milliseconds (nearest rank).
func ms(d []time.Duration, p int) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	i := max(0, (len(s)*p+99)/100-1)
	return float64(s[i].Microseconds()) / 1000
}

// searchDocs makes n varied documents cheaply: n/10 generated ones (text, fields, dossier
// and names as the fixtures print them, rendered at 72 DPI so generating stays quick) are
// each varied ten times, with new digits and a few lines of another document, so every
// number differs and no two texts are the same. It also returns up to ten full names
// found in the generated fields.
func searchDocs(ctx context.Context, dir string, n int) ([]index.Doc, []string, error) {
	base, err := fixtures.Generate(ctx, dir, fixtures.Options{Seed: 14, Count: max(n/10, len(fixtures.AllTypes)), DPI: 72})
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	var names []string
	for _, t := range base {
		for k, v := range t.Fields {
			if len(names) < 10 && strings.Contains(k, "name") && len(strings.Fields(v)) == 3 && !slices.Contains(names, v) {
				names = append(names, v)
			}
		}
	}
	r := rand.New(rand.NewPCG(14, 14))
	digits := func(s string) string {
		return strings.Map(func(c rune) rune {
			if c >= '0' && c <= '9' {
				return '0' + rune(r.IntN(10))
			}
			return c
		}, s)
	}
	docs := make([]index.Doc, n)
	for i := range docs {
		t := base[i%len(base)]
		other := base[r.IntN(len(base))]
		var lines []string
		for _, p := range t.Pages {
			lines = append(lines, strings.Split(p.Text, "\n")...)
		}
		var extra []string
		for _, p := range other.Pages {
			extra = append(extra, strings.Split(p.Text, "\n")...)
		}
		for range 5 {
			at := r.IntN(len(lines) + 1)
			lines = slices.Insert(lines, at, extra[r.IntN(len(extra))])
		}
		fields := map[string]string{}
		var people []string
		for k, v := range t.Fields {
			fields[k] = v
			if !strings.Contains(k, "date") {
				fields[k] = digits(v)
			}
			if strings.Contains(k, "name") {
				people = append(people, v)
			}
		}
		docs[i] = index.Doc{
			ID: fmt.Sprintf("bench%05d", i), DossierID: t.DossierID, FileName: fmt.Sprintf("%05d_%s.pdf", i, t.DocType),
			DocType: t.DocType, ReviewState: "approved", Number: fields["number"], Issuer: fields["issuer"],
			IssuedDate: fields["issued_date"], Subject: fields["subject"], Names: people, Fields: fields,
			Text: digits(strings.Join(lines, "\n")), PageCount: len(t.Pages),
		}
	}
	return docs, names, nil
}

// foldVietnamese drops the diacritics of s (đ becomes d), as a query typed without them.
func foldVietnamese(s string) string {
	out, _, _ := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	return strings.NewReplacer("đ", "d", "Đ", "D").Replace(out)
}
