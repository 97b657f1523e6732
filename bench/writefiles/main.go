// Command writefiles measures what creating a site's files costs on this
// machine, apart from making them: it reads every file under SRC into
// memory (leaving out names ending in -skip's suffix, keeping only names
// containing -match's text when it is given), then writes them all
// under DST, which must not exist, with two workers, and prints how long
// the writing took.
//
//	writefiles [-skip .pdf] [-match TEXT] [-empty] SRC DST
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

func main() {
	skip := flag.String("skip", "", "leave out files whose names end with this")
	match := flag.String("match", "", "keep only files whose paths contain this")
	empty := flag.Bool("empty", false, "create the files empty")
	flag.Parse()
	if flag.NArg() != 2 {
		log.Fatal("usage: writefiles [-skip SUFFIX] [-match TEXT] [-empty] SRC DST")
	}
	src, dst := flag.Arg(0), flag.Arg(1)
	if _, err := os.Stat(dst); err == nil {
		log.Fatalf("%s exists", dst)
	}
	type file struct {
		rel  string
		data []byte
	}
	var files []file
	var dirs []string
	var size int64
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			dirs = append(dirs, rel)
			return nil
		}
		if *skip != "" && strings.HasSuffix(p, *skip) || !strings.Contains(rel, *match) {
			return nil
		}
		b, err := os.ReadFile(p)
		if *empty {
			b = nil
		}
		size += int64(len(b))
		files = append(files, file{rel, b})
		return err
	})
	if err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(dst, d), 0o755); err != nil {
			log.Fatal(err)
		}
	}
	work := make(chan file)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for f := range work {
				if err := os.WriteFile(filepath.Join(dst, f.rel), f.data, 0o644); err != nil {
					log.Fatal(err)
				}
			}
		})
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	fmt.Printf("%d files, %d directories, %.1f MB: %.3f s\n", len(files), len(dirs), float64(size)/1e6, time.Since(start).Seconds())
}
