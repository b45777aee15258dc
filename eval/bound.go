package eval

import "math"

// UpperBound95 is the one-sided 95% Clopper-Pearson upper bound on a rate observed as k of
// n: the largest p under which seeing k or fewer in n still has a 5% chance. With k = 0 it is
// 1 − 0.05^(1/n), about 3/n (the rule of three), so 300 documents bound a rate near 1%. It is
// 1 for n = 0.
func UpperBound95(k, n int) float64 {
	if n <= 0 {
		return 1
	}
	if k >= n {
		return 1
	}
	lo, hi := float64(k)/float64(n), 1.0
	for range 60 {
		mid := (lo + hi) / 2
		if binomialCDF(k, n, mid) > 0.05 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// binomialCDF is P(X ≤ k) for X ~ Binomial(n, p), summed in logs.
func binomialCDF(k, n int, p float64) float64 {
	if p <= 0 {
		return 1
	}
	if p >= 1 {
		return 0
	}
	sum := 0.0
	for i := 0; i <= k; i++ {
		lg := lgammaInt(n+1) - lgammaInt(i+1) - lgammaInt(n-i+1) + float64(i)*math.Log(p) + float64(n-i)*math.Log1p(-p)
		sum += math.Exp(lg)
	}
	return sum
}

func lgammaInt(n int) float64 {
	v, _ := math.Lgamma(float64(n))
	return v
}
