package versions

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// owner identifies the process holding a lock well enough to tell, later,
// whether it still runs: a PID alone may have been reused.
type owner struct {
	PID int `json:"pid"`
	// Start is the process's start time in clock ticks since boot
	// (/proc/PID/stat field 22); 0 where /proc is not available.
	Start uint64 `json:"start"`
	Host  string `json:"host"`
	// Boot is the kernel's boot id: after a reboot no owner survives.
	Boot string `json:"boot,omitempty"`
	// Token tells apart the holders of one process (goroutines).
	Token string `json:"token"`
}

func self() owner {
	host, _ := os.Hostname()
	tok := make([]byte, 8)
	rand.Read(tok)
	return owner{PID: os.Getpid(), Start: startTime(os.Getpid()), Host: host, Boot: bootID(), Token: hex.EncodeToString(tok)}
}

// startTime reads a process's start time from /proc/PID/stat; 0 when the
// process does not exist or /proc is not there.
func startTime(pid int) uint64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name (field 2) is in parentheses and may hold spaces or
	// parentheses itself: the fields after it start after the last ')'.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 {
		return 0
	}
	n, _ := strconv.ParseUint(f[19], 10, 64) // field 22; f[0] is field 3
	return n
}

func bootID() string {
	b, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	return strings.TrimSpace(string(b))
}

// gone reports whether the owner certainly no longer runs. An owner on
// another host cannot be checked from here and is never gone.
func (o owner) gone(me owner) bool {
	if o.Host != me.Host {
		return false
	}
	if o.Boot != "" && me.Boot != "" && o.Boot != me.Boot {
		return true // the machine restarted since
	}
	if o.Start != 0 && me.Start != 0 {
		// Its PID now names no process, or one started at another time.
		return startTime(o.PID) != o.Start
	}
	return processGone(o.PID)
}

func (o owner) String() string {
	return fmt.Sprintf("process %d on %s", o.PID, o.Host)
}

// fileLock is a lock file holding its owner's record.
type fileLock struct {
	path  string
	guard string
	me    owner
	since time.Time
}

// acquire takes the lock at path. A lock whose owner is gone, and an empty
// or unreadable one (its process was killed while creating it, by an
// earlier policyc that wrote the record after creating the file), is taken
// over, and note is told. Deciding and taking happen under an flock(2) on
// a guard file beside it, which the kernel releases if the process dies:
// two processes never both take over the same stale lock.
func acquire(path string, note func(string)) (*fileLock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	l := &fileLock{path: path, guard: filepath.Join(filepath.Dir(path), "locks.guard"), me: self()}
	unguard, err := l.lockGuard()
	if err != nil {
		return nil, err
	}
	defer unguard()
	// A record is written to a temporary file only under the guard, which
	// is now ours: any such file is from a process killed while writing it.
	if olds, err := filepath.Glob(path + ".tmp-*"); err == nil {
		for _, f := range olds {
			os.Remove(f)
		}
	}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		var o owner
		switch jerr := json.Unmarshal(b, &o); {
		case len(strings.TrimSpace(string(b))) == 0:
			note(fmt.Sprintf("took over the empty lock %s (its process was killed while creating it)", path))
		case jerr != nil || o.PID <= 0:
			note(fmt.Sprintf("took over the unreadable lock %s", path))
		case !o.gone(l.me):
			return nil, fmt.Errorf("%w (%s holds %s)", ErrBusy, o, path)
		default:
			note(fmt.Sprintf("took over the lock %s left by %s, which no longer runs", path, o))
		}
	}
	rec, err := json.Marshal(l.me)
	if err != nil {
		return nil, err
	}
	// Written whole, then renamed into place: a lock is never seen empty.
	tmp := fmt.Sprintf("%s.tmp-%d-%s", path, l.me.PID, l.me.Token)
	if err := writeSynced(tmp, append(rec, '\n')); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	l.since = time.Now()
	return l, nil
}

// release removes the lock if it is still this holder's.
func (l *fileLock) release() {
	unguard, err := l.lockGuard()
	if err != nil {
		return
	}
	defer unguard()
	var o owner
	if b, err := os.ReadFile(l.path); err == nil && json.Unmarshal(b, &o) == nil && o == l.me {
		os.Remove(l.path)
	}
}

func (l *fileLock) lockGuard() (func(), error) {
	g, err := os.OpenFile(l.guard, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lockExclusive(g); err != nil {
		g.Close()
		return nil, fmt.Errorf("locking %s: %w", l.guard, err)
	}
	return func() { g.Close() }, nil // closing the last descriptor releases the flock
}

// writeSynced writes data to a new file and flushes it to disk.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
