//go:build !unix

package site

import (
	"os"
	"time"
)

// ownerGone says whether the process numbered pid, which made a temporary
// file, has ended: no process has the number now. This process is never
// gone.
func ownerGone(pid int, _ time.Time) bool {
	if pid == os.Getpid() {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return true
	}
	p.Release()
	return false
}
