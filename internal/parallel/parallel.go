// Package parallel runs independent tasks on every core.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Run runs the tasks on as many goroutines as there are cores, in order of
// the list, and stops starting new ones at the first error, which it
// returns.
func Run(tasks []func() error) error {
	var (
		next  atomic.Int64
		first atomic.Pointer[error]
		wg    sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), len(tasks)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
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
	if err := first.Load(); err != nil {
		return *err
	}
	return nil
}
