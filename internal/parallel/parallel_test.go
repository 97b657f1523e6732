package parallel

import (
	"errors"
	"sync/atomic"
	"testing"
)

func TestRunRunsEveryTaskAndStopsAtAnError(t *testing.T) {
	var ran atomic.Int64
	tasks := make([]func() error, 1000)
	for i := range tasks {
		tasks[i] = func() error { ran.Add(1); return nil }
	}
	if err := Run(tasks); err != nil || ran.Load() != 1000 {
		t.Fatalf("ran %d of 1000 tasks: %v", ran.Load(), err)
	}
	if err := Run(nil); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	ran.Store(0)
	tasks[10] = func() error { return boom }
	if err := Run(tasks); !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	if n := ran.Load(); n >= 999 {
		t.Errorf("%d tasks ran after the error", n)
	}
}
