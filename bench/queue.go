package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/sohoa/sohoa/queue"
	"github.com/sohoa/sohoa/store"
	"github.com/sohoa/sohoa/task"
)

// queue starts `sohoa worker` as a child process on the configured Redis and
// Meilisearch, stores the pages as documents, queues them, and waits until all are indexed.
// It returns the time that took with the worker's CPU time over its whole life (start-up
// included), and the worker's peak RSS in KB.
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
	return cost{wall, cpu}, rss, nil
}
