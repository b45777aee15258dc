package bench

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// processCPU must read this process's own CPU time as getrusage does, to the tick.
func TestProcessCPU(t *testing.T) {
	for end := time.Now().Add(50 * time.Millisecond); time.Now().Before(end); { // spend some CPU
	}
	before := cpuTime(syscall.RUSAGE_SELF)
	got, err := processCPU(os.Getpid())
	after := cpuTime(syscall.RUSAGE_SELF)
	if err != nil {
		t.Fatal(err)
	}
	tick := 10 * time.Millisecond
	if got < 40*time.Millisecond || got < before-2*tick || got > after+tick {
		t.Errorf("processCPU = %v; getrusage says %v to %v", got, before, after)
	}
}
