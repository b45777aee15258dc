package testenv

import (
	"fmt"
	"math/rand/v2"
	"net"
	"testing"
)

// Ports for servers a test starts as child processes are drawn from below Linux's ephemeral
// range (32768–60999 by default). A port the kernel hands out for ":0" is in that range, and
// once the probe closes it, any outgoing connection of the busy test run may take it as its
// source port before the child binds it: a clean-clone `make test` once failed so, with
// "bind: address already in use" from a serve started by the fault tests.
const (
	portLow  = 20000
	portHigh = 32000
)

// FreeAddr returns a 127.0.0.1 address whose port was free a moment ago, for a child process
// to listen on. Tests that listen themselves should keep their own ":0" listener instead.
func FreeAddr(t testing.TB) string {
	t.Helper()
	for range 100 {
		addr := fmt.Sprintf("127.0.0.1:%d", portLow+rand.IntN(portHigh-portLow))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			continue
		}
		ln.Close()
		return addr
	}
	t.Fatalf("no free port in %d–%d on 127.0.0.1", portLow, portHigh)
	return ""
}
