package testenv

import (
	"net"
	"strconv"
	"testing"
)

func TestFreeAddr(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 50 {
		addr := FreeAddr(t)
		_, p, err := net.SplitHostPort(addr)
		port, _ := strconv.Atoi(p)
		if err != nil || port < portLow || port >= portHigh {
			t.Fatalf("FreeAddr = %q, want a port in [%d, %d)", addr, portLow, portHigh)
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("FreeAddr gave %s, which cannot be bound: %v", addr, err)
		}
		ln.Close()
		seen[addr] = true
	}
	if len(seen) < 40 {
		t.Errorf("50 calls gave only %d distinct addresses", len(seen))
	}
}
