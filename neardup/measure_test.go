package neardup_test

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sohoa/sohoa/neardup"
)

var (
	measureSeeds = flag.String("measure-seeds", "", "comma-separated fixture seeds to measure the decision on (TestMeasure)")
	measureCount = flag.Int("measure-count", 50, "documents per seed")
	measureCache = flag.String("measure-cache", "", "directory keeping recognised pages between runs")
)

// measureTypes are ten templates, five documents each in a set of 50: every document has
// four others of its own template to be confused with.
var measureTypes = []string{
	"giay_khai_sinh", "giay_chung_nhan_ket_hon", "trich_luc_khai_tu", "can_cuoc", "xac_nhan_cu_tru",
	"don", "gcn_dang_ky_doanh_nghiep", "quyet_dinh", "cong_van", "thong_bao",
}

// TestMeasure counts false and missed links over every pair of pages of the scanned sets:
// go test ./neardup -run TestMeasure -v -args -measure-seeds=111 -measure-count=50 -measure-cache=DIR
func TestMeasure(t *testing.T) {
	if *measureSeeds == "" {
		t.Skip("no -measure-seeds")
	}
	for _, f := range strings.Split(*measureSeeds, ",") {
		seed, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		var pages []scanned
		for _, v := range []variant{clean300, clean200, degraded200, recropped300} {
			pages = append(pages, recognised(t, *measureCache, seed, *measureCount, measureTypes, v)...)
		}
		t.Logf("seed %d: %s", seed, tally(pages))
	}
}

// pairStats are the comparisons of one kind of pair.
type pairStats struct {
	n, linked int
	dists     []int
	sims      []float64
	// closest is the pair of highest text similarity.
	closest    string
	closestSim float64
}

func (p *pairStats) add(a, b scanned, m neardup.Match) {
	p.n++
	if m.Same {
		p.linked++
	}
	if m.TextSimilarity >= p.closestSim {
		p.closestSim = m.TextSimilarity
		p.closest = fmt.Sprintf("%d %s %s ~ %d %s %s", a.Doc, a.Type, a.Variant, b.Doc, b.Type, b.Variant)
	}
	p.dists = append(p.dists, m.ImageDistance)
	p.sims = append(p.sims, m.TextSimilarity)
}

func (p *pairStats) String() string {
	slices.Sort(p.dists)
	slices.Sort(p.sims)
	q := func(xs []int, f float64) int { return xs[int(f*float64(len(xs)-1))] }
	qf := func(xs []float64, f float64) float64 { return xs[int(f*float64(len(xs)-1))] }
	if p.n == 0 {
		return "none"
	}
	return fmt.Sprintf("%d pairs, %d linked; image bits min/p5/p50/p95/max %d/%d/%d/%d/%d; text sim min/p5/p50/p95/max %.2f/%.2f/%.2f/%.2f/%.2f (highest: %s)",
		p.n, p.linked, p.dists[0], q(p.dists, .05), q(p.dists, .5), q(p.dists, .95), p.dists[len(p.dists)-1],
		p.sims[0], qf(p.sims, .05), qf(p.sims, .5), qf(p.sims, .95), p.sims[len(p.sims)-1], p.closest)
}

// tally compares every pair of pages: the same document in two variants must be linked
// (missed otherwise), two documents never (a false link), reported by kind of pair.
func tally(pages []scanned) string {
	same := map[string]*pairStats{}
	var sameType, otherType pairStats
	sigs := make([]neardup.Signature, len(pages))
	for i, p := range pages {
		sigs[i] = p.signature()
	}
	var missed []string
	for i := range pages {
		for j := i + 1; j < len(pages); j++ {
			a, b := pages[i], pages[j]
			m := neardup.Compare(sigs[i], sigs[j])
			switch {
			case a.Doc == b.Doc && a.Variant != b.Variant:
				k := a.Variant + "~" + b.Variant
				if same[k] == nil {
					same[k] = &pairStats{}
				}
				same[k].add(a, b, m)
				if !m.Same {
					missed = append(missed, fmt.Sprintf("%d %s %s~%s bits %d sim %.2f shingles %d/%d", a.Doc, a.Type, a.Variant, b.Variant, m.ImageDistance, m.TextSimilarity, sigs[i].Text.Shingles, sigs[j].Text.Shingles))
				}
			case a.Doc != b.Doc && a.Type == b.Type:
				sameType.add(a, b, m)
			case a.Doc != b.Doc:
				otherType.add(a, b, m)
			}
		}
	}
	var sb strings.Builder
	keys := make([]string, 0, len(same))
	for k := range same {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&sb, "\n  same paper %s: %s", k, same[k])
	}
	fmt.Fprintf(&sb, "\n  different papers, same template: %s", &sameType)
	fmt.Fprintf(&sb, "\n  different papers, other templates: %s", &otherType)
	for _, m := range missed {
		fmt.Fprintf(&sb, "\n  missed: %s", m)
	}
	return sb.String()
}
