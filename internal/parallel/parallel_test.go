package parallel

import (
	"errors"
	"strings"
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

// TestAPanicInATaskReachesTheCaller checks that a task's panic is raised
// again in Run's caller, where it can be recovered, with the task's value
// and stack, instead of ending the process from a goroutine.
func TestAPanicInATaskReachesTheCaller(t *testing.T) {
	tasks := make([]func() error, 100)
	for i := range tasks {
		tasks[i] = func() error { return nil }
	}
	tasks[7] = func() error { panic("broken invariant") }
	defer func() {
		p, ok := recover().(*TaskPanic)
		if !ok {
			t.Fatalf("Run did not panic with a *TaskPanic")
		}
		if p.Value != "broken invariant" || !strings.Contains(string(p.Stack), "parallel_test.go") {
			t.Errorf("panic value %v, stack:\n%s", p.Value, p.Stack)
		}
	}()
	Run(tasks)
}
