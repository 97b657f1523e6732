//go:build linux

package rawfile

import (
	"io"
	"io/fs"
	"syscall"
)

func readFile(name string, buf []byte) ([]byte, error) {
	fd, err := open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	// One byte more than the size, so that a file that grew is noticed and
	// read to its end.
	if int64(cap(buf)) < st.Size+1 {
		buf = make([]byte, 0, st.Size+1)
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
		if int64(len(buf)) == st.Size {
			return buf, nil
		}
	}
}

func writeNew(name string, data []byte, perm fs.FileMode) (int64, error) {
	fd, err := open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, uint32(perm.Perm()))
	if err != nil {
		return 0, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 {
		n, werr := syscall.Write(fd, data)
		if werr == syscall.EINTR {
			continue
		}
		if werr != nil {
			err = werr
			break
		}
		if n == 0 {
			err = io.ErrShortWrite
			break
		}
		data = data[n:]
	}
	var st syscall.Stat_t
	if err == nil {
		err = syscall.Fstat(fd, &st)
	}
	if cerr := syscall.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		syscall.Unlink(name)
		return 0, &fs.PathError{Op: "write", Path: name, Err: err}
	}
	return st.Mtim.Nano(), nil
}

func open(name string, mode int, perm uint32) (int, error) {
	for {
		fd, err := syscall.Open(name, mode, perm)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}
