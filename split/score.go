package split

// Score counts document boundaries found against the true ones. A boundary is the first
// page of every document but the file's first (which is always right and would flatter the
// figures).
type Score struct {
	Correct, Found, True int
}

// Add compares the parts found in one file with the true parts and adds the counts.
func (s *Score) Add(truth, found []Part) {
	want := map[int]bool{}
	for _, p := range truth[min(1, len(truth)):] {
		want[p.First] = true
	}
	s.True += len(want)
	for _, p := range found[min(1, len(found)):] {
		s.Found++
		if want[p.First] {
			s.Correct++
		}
	}
}

// Precision is the share of boundaries found that are true (1 when none was found).
func (s Score) Precision() float64 { return ratio(s.Correct, s.Found) }

// Recall is the share of true boundaries found (1 when there were none).
func (s Score) Recall() float64 { return ratio(s.Correct, s.True) }

// F1 is the harmonic mean of precision and recall.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}
