package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hibiken/asynq"

	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

// queue starts `sohoa worker` as a child process on the configured Redis and
// Meilisearch, waits until it serves every queue, stores the pages as documents, queues them,
// and waits until all are indexed. It returns the time from the first page stored to the last
// indexed, with the worker's CPU time over the same span, and the worker's peak RSS in KB.
// The worker's start-up (opening the store, loading Tesseract's first model, the language
// and type models) is left out of both, as it is of the in-process path: a production worker
// starts once and serves for days, so what it costs a page is its steady state.
func (o Options) queue(ctx context.Context, dir string, files []string) (cost, int64, error) {
	dataDir := filepath.Join(dir, "data")
	dbPath := filepath.Join(dataDir, "sohoa.db")
	// The blobs too go under the bench's data directory, for this process and the worker
	// alike: SOHOA_BLOBS was resolved against the configured data directory.
	blobsDir := filepath.Join(dataDir, "blobs")
	meiliIndex := fmt.Sprintf("bench_%d", time.Now().Unix())
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		return cost{}, 0, err
	}
	defer db.Close()
	blobs, err := store.NewDirBlobs(blobsDir)
	if err != nil {
		return cost{}, 0, err
	}
	worker := exec.Command(o.Executable, "worker")
	worker.Env = append(os.Environ(), "SOHOA_DATA_DIR="+dataDir, "SOHOA_DATABASE="+dbPath,
		"SOHOA_MEILI_INDEX="+meiliIndex, "SOHOA_BLOBS="+blobsDir, "SOHOA_LOG_LEVEL=warn", "OMP_THREAD_LIMIT=1")
	worker.Stdout, worker.Stderr = o.Stderr, o.Stderr
	if err := worker.Start(); err != nil {
		return cost{}, 0, err
	}
	stopped := false
	stop := func() (cpu time.Duration, rss int64, err error) {
		if stopped {
			return 0, 0, nil
		}
		stopped = true
		worker.Process.Signal(syscall.SIGTERM)
		err = worker.Wait()
		if u, ok := worker.ProcessState.SysUsage().(*syscall.Rusage); ok {
			cpu, rss = rusageCPU(u), u.Maxrss
		}
		return cpu, rss, err
	}
	defer stop()
	startCPU, err := awaitServing(ctx, o.Redis, worker.Process.Pid)
	if err != nil {
		return cost{}, 0, err
	}

	tasks := queue.New(o.Redis, o.TaskTimeout)
	defer tasks.Close()
	batch, err := db.CreateBatch(ctx, store.Batch{ID: fmt.Sprintf("bench%d", time.Now().UnixNano()), DossierID: "000.00.00.H29-261122-0001"})
	if err != nil {
		return cost{}, 0, err
	}
	start := time.Now()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return cost{}, 0, err
		}
		ref, err := blobs.Put(ctx, data)
		if err != nil {
			return cost{}, 0, err
		}
		doc, _, err := db.AddDocument(ctx, store.Document{DossierID: batch.DossierID, BatchID: batch.ID, FileName: filepath.Base(f), Blob: ref, Size: int64(len(data))})
		if err != nil {
			return cost{}, 0, err
		}
		if err := tasks.Enqueue(ctx, task.TypePrepare, task.Payload{DocID: doc.ID}); err != nil {
			return cost{}, 0, err
		}
	}
	for {
		docs, err := db.BatchDocuments(ctx, batch.ID)
		if err != nil {
			return cost{}, 0, err
		}
		left, failed := 0, []string{}
		for _, d := range docs {
			switch d.Status {
			case store.StatusIndexed:
			case store.StatusFailed:
				failed = append(failed, d.FileName+": "+d.Error)
			default:
				left++
			}
		}
		if len(failed) > 0 {
			return cost{}, 0, errors.New(strings.Join(failed, "; "))
		}
		if left == 0 {
			break
		}
		select {
		case <-ctx.Done():
			return cost{}, 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	wall := time.Since(start)
	cpu, rss, _ := stop()
	return cost{wall, cpu - startCPU}, rss, nil
}

// awaitServing waits until the worker process pid has registered asynq servers for every
// queue in Redis, which it does once its stages are built, and returns the CPU time it had
// spent by then.
func awaitServing(ctx context.Context, redis asynq.RedisClientOpt, pid int) (time.Duration, error) {
	insp := asynq.NewInspector(redis)
	defer insp.Close()
	for {
		servers, err := insp.Servers()
		if err != nil {
			return 0, fmt.Errorf("asking Redis for the worker's servers: %w", err)
		}
		served := map[string]bool{}
		for _, s := range servers {
			if s.PID == pid {
				for q := range s.Queues {
					served[q] = true
				}
			}
		}
		if len(served) == len(task.Queues) {
			return processCPU(pid)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// processCPU is the user+system time process pid has spent so far, from /proc/PID/stat
// (fields 14 and 15, in clock ticks of 1/100 s, Linux's USER_HZ on every architecture Go
// builds for).
func processCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) is in parentheses and may hold spaces: count from after it.
	fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields after the name", pid, len(fields))
	}
	var ticks int64
	for _, f := range fields[11:13] { // utime, stime: fields 14 and 15 of the whole line
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil
}
