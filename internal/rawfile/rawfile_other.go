//go:build !linux

package rawfile

import (
	"io/fs"
	"os"
)

func readFile(name string, _ []byte) ([]byte, error) { return os.ReadFile(name) }

func writeNew(name string, data []byte, perm fs.FileMode) (int64, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return 0, err
	}
	_, err = f.Write(data)
	var st fs.FileInfo
	if err == nil {
		st, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return 0, err
	}
	return st.ModTime().UnixNano(), nil
}
