//go:build unix

package site

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ownerGone says whether the process numbered pid, which made a temporary
// file last modified at written, has ended: no process has the number, or
// the one that has it started after the file was written (the number was
// reused). This process is never gone.
func ownerGone(pid int, written time.Time) bool {
	if pid == os.Getpid() {
		return false
	}
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	start, ok := processStart(pid)
	// Two seconds' margin: the boot time is counted in whole seconds.
	return ok && start.After(written.Add(2*time.Second))
}

// processStart is when a process started, from /proc (Linux); false where
// there is no /proc.
func processStart(pid int) (time.Time, bool) {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return time.Time{}, false
	}
	// The command name, in parentheses, may hold spaces; the fields after
	// it start with the third, and the start time is the twenty-second
	// (proc(5)), in clock ticks since boot.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return time.Time{}, false
	}
	fields := strings.Fields(string(stat[i+1:]))
	if len(fields) < 20 {
		return time.Time{}, false
	}
	ticks, err := strconv.ParseInt(fields[19], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	boot, ok := bootTime()
	if !ok {
		return time.Time{}, false
	}
	// USER_HZ is 100 on every Linux architecture Go supports.
	return boot.Add(time.Duration(ticks) * 10 * time.Millisecond), true
}

func bootTime() (time.Time, bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return time.Time{}, false
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "btime "); ok {
			s, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			return time.Unix(s, 0), err == nil
		}
	}
	return time.Time{}, false
}
