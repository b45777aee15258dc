package train

import (
	"math"

	"github.com/sohoa/sohoa/eval"
)

// fitLogistic returns the weights of the most probable logistic model of the outcomes under a
// Gaussian prior centred on prior with precision ridge, by Newton's method with a halving
// step. eval.FitLogistic takes full Newton steps, which on a few hundred fields whose
// features are nearly constant (type confidence and score both at their cap) can overshoot
// and leave weights in the hundreds; a step that does not lower the penalised loss is halved
// until it does.
func fitLogistic(out []eval.Outcome, prior []float64, ridge float64) []float64 {
	w := append([]float64(nil), prior...)
	if len(out) == 0 {
		return w
	}
	k := len(prior)
	for range 100 {
		g := make([]float64, k)
		h := make([][]float64, k)
		for i := range h {
			h[i] = make([]float64, k)
			h[i][i] = ridge
			g[i] = ridge * (w[i] - prior[i])
		}
		for _, o := range out {
			p := sigmoid(dot(w, o.Features))
			y := 0.0
			if o.Correct {
				y = 1
			}
			for i, xi := range o.Features {
				g[i] += (p - y) * xi
				for j, xj := range o.Features {
					h[i][j] += p * (1 - p) * xi * xj
				}
			}
		}
		step := solve(h, g)
		before := loss(out, w, prior, ridge)
		next := make([]float64, k)
		for t := 1.0; t > 1e-6; t /= 2 {
			for i := range w {
				next[i] = w[i] - t*step[i]
			}
			if loss(out, next, prior, ridge) <= before {
				break
			}
		}
		moved := 0.0
		for i := range w {
			moved = max(moved, math.Abs(next[i]-w[i]))
			w[i] = next[i]
		}
		if moved < 1e-9 {
			break
		}
	}
	return w
}

// loss is the negative log-likelihood of the outcomes plus the prior's penalty.
func loss(out []eval.Outcome, w, prior []float64, ridge float64) float64 {
	l := 0.0
	for i := range w {
		l += ridge / 2 * (w[i] - prior[i]) * (w[i] - prior[i])
	}
	for _, o := range out {
		z := dot(w, o.Features)
		if o.Correct {
			l += math.Log1p(math.Exp(-z))
		} else {
			l += math.Log1p(math.Exp(z))
		}
	}
	return l
}

func dot(w, x []float64) float64 {
	z := 0.0
	for i := range x {
		z += w[i] * x[i]
	}
	return z
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

// solve returns x with a·x = b by Gaussian elimination with partial pivoting (a is positive
// definite here: the prior's precision is on its diagonal).
func solve(a [][]float64, b []float64) []float64 {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(append([]float64{}, a[i]...), b[i])
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		m[c], m[p] = m[p], m[c]
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k <= n; k++ {
				m[r][k] -= f * m[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := m[r][n]
		for k := r + 1; k < n; k++ {
			s -= m[r][k] * x[k]
		}
		x[r] = s / m[r][r]
	}
	return x
}
