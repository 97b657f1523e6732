//go:build unix

package versions

import (
	"errors"
	"os"
	"syscall"
)

// processGone reports whether no process has the number pid.
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// lockExclusive takes an exclusive advisory lock on f, waiting for it; the
// lock goes when the last descriptor of f is closed.
func lockExclusive(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
