// Package parallel runs independent tasks on every core.
package parallel

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// TaskPanic is a panic in a task, raised again by Run in its caller's
// goroutine: a panic in a goroutine of its own would end the process
// before the caller could recover it and report a bug.
type TaskPanic struct {
	Value any
	Stack []byte // the task's goroutine's
}

func (p *TaskPanic) Error() string { return fmt.Sprintf("%v\n\n%s", p.Value, p.Stack) }

var errPanicked = errors.New("a task panicked")

// Run runs the tasks on as many goroutines as there are cores, in order of
// the list, and stops starting new ones at the first error, which it
// returns. A task that panics stops the others too, and Run panics with
// a *TaskPanic once they have returned.
func Run(tasks []func() error) error {
	var (
		next     atomic.Int64
		first    atomic.Pointer[error]
		panicked atomic.Pointer[TaskPanic]
		wg       sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), len(tasks)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					panicked.CompareAndSwap(nil, &TaskPanic{Value: r, Stack: debug.Stack()})
					err := errPanicked
					first.CompareAndSwap(nil, &err)
				}
			}()
			for first.Load() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(tasks) {
					return
				}
				if err := tasks[i](); err != nil {
					first.CompareAndSwap(nil, &err)
				}
			}
		}()
	}
	wg.Wait()
	if p := panicked.Load(); p != nil {
		panic(p)
	}
	if err := first.Load(); err != nil {
		return *err
	}
	return nil
}
