package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/sohoa/sohoa/inproc"
)

// cost is what one path took for the whole set: wall time and CPU time (user+system).
type cost struct {
	wall, cpu time.Duration
}

func (c cost) line(pages int) string {
	return fmt.Sprintf("%8.1f pages/min %6.2f CPU s/page", float64(pages)/c.wall.Minutes(), c.cpu.Seconds()/float64(pages))
}

// ratio is one path's throughput over another's (speed), then the other's CPU per page over
// the path's: above 1 means the path does better.
type ratio struct{ speed, cpu float64 }

func ratios(c, base cost) ratio {
	return ratio{base.wall.Seconds() / c.wall.Seconds(), base.cpu.Seconds() / c.cpu.Seconds()}
}

func (r ratio) String() string { return fmt.Sprintf("%.2f (CPU %.2f)", r.speed, r.cpu) }

// cpuTime is the user+system time of this process (syscall.RUSAGE_SELF) or of its
// children that have ended (syscall.RUSAGE_CHILDREN).
func cpuTime(who int) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(who, &u); err != nil {
		return 0
	}
	return rusageCPU(&u)
}

func rusageCPU(u *syscall.Rusage) time.Duration {
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// rawTesseract runs the tesseract command on each page, as many processes at once as OCR workers.
func rawTesseract(ctx context.Context, files []string, workers int, lang string) (cost, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	start, cpu := time.Now(), cpuTime(syscall.RUSAGE_CHILDREN)
	for _, f := range files {
		g.Go(func() error {
			cmd := exec.CommandContext(gctx, "tesseract", f, "stdout", "-l", lang, "--psm", "3")
			cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("tesseract %s: %v: %s", f, err, out)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return cost{}, err
	}
	return cost{time.Since(start), cpuTime(syscall.RUSAGE_CHILDREN) - cpu}, nil
}

// inProcess runs the pages through the pipeline in this process, o.Workers files at once.
func (o Options) inProcess(ctx context.Context, files []string) (cost, error) {
	stages, pool, err := o.NewStages()
	if err != nil {
		return cost{}, err
	}
	defer pool.Close()
	if err := pool.Loaded(ctx); err != nil {
		return cost{}, err
	}
	start, cpu := time.Now(), cpuTime(syscall.RUSAGE_SELF)
	for _, r := range inproc.Files(ctx, stages, files, o.Workers, o.MaxFileBytes) {
		if r.Error != "" {
			return cost{}, fmt.Errorf("%s: %s", r.File, r.Error)
		}
	}
	return cost{time.Since(start), cpuTime(syscall.RUSAGE_SELF) - cpu}, nil
}
