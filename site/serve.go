package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Server previews a policy's site: it builds into a temporary directory
// (with the draft), serves it on localhost, rebuilds whenever a file of the
// policy directory changes (editors that save by writing a new file and
// renaming it included) and tells open pages to reload. Only the preview
// injects a script; the built site has none.
type Server struct {
	Dir  string
	Addr string // host:port; "127.0.0.1:0" picks a free port

	out      string
	mu       sync.Mutex
	gen      int    // build generation, bumped after each rebuild
	failure  string // the last build's error, shown instead of the pages
	changed  chan struct{}
	listener net.Listener
}

const reloadScript = `<script>new EventSource("/_policyc/events").onmessage=function(){location.reload()}</script>`

// Start builds once, listens, and starts watching. It returns the address.
func (s *Server) Start(ctx context.Context) (string, error) {
	out, err := os.MkdirTemp("", "policyc-preview-*")
	if err != nil {
		return "", err
	}
	s.out, s.changed = out, make(chan struct{})
	s.rebuild()
	addr := s.Addr
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	if host, _, err := net.SplitHostPort(addr); err != nil || (host != "127.0.0.1" && host != "localhost" && host != "::1") {
		return "", fmt.Errorf("the preview serves on localhost only, not %q", addr)
	}
	s.listener, err = net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return "", err
	}
	if err := s.watchTree(w); err != nil {
		return "", err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(s.listener)
	go s.loop(ctx, w)
	go func() {
		<-ctx.Done()
		srv.Close()
		w.Close()
		os.RemoveAll(s.out)
	}()
	return s.listener.Addr().String(), nil
}

// watchTree watches every directory of the policy: watching directories,
// not files, sees editors that replace a file by renaming a new one over it.
func (s *Server) watchTree(w *fsnotify.Watcher) error {
	return filepath.WalkDir(s.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return w.Add(p)
		}
		return nil
	})
}

func (s *Server) loop(ctx context.Context, w *fsnotify.Watcher) {
	var timer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			if ev.Op&fsnotify.Create != 0 {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					w.Add(ev.Name)
				}
			}
			// Editors write several events per save: build once they settle.
			timer = time.After(150 * time.Millisecond)
		case <-w.Errors:
		case <-timer:
			timer = nil
			s.rebuild()
		}
	}
}

func (s *Server) rebuild() {
	_, err := Build(Options{Dir: s.Dir, Out: s.out, Draft: true})
	s.mu.Lock()
	s.failure = ""
	if err != nil {
		s.failure = err.Error()
	}
	s.gen++
	old := s.changed
	s.changed = make(chan struct{})
	s.mu.Unlock()
	close(old)
}

// Generation is the number of builds so far, for tests.
func (s *Server) Generation() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_policyc/events" {
		s.events(w, r)
		return
	}
	s.mu.Lock()
	failure := s.failure
	s.mu.Unlock()
	if failure != "" {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><main><h1>The policy does not build</h1><pre>%s</pre></main>%s</body></html>", html.EscapeString(failure), reloadScript)
		return
	}
	name := filepath.Join(s.out, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
	if r.URL.Path == "/" {
		name = filepath.Join(s.out, "index.html")
		if _, err := os.Stat(name); err != nil {
			http.Redirect(w, r, "/draft/", http.StatusFound)
			return
		}
	}
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		s.draftIndex(w, name)
		return
	}
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		w.WriteHeader(http.StatusNotFound)
		data, _ = os.ReadFile(filepath.Join(s.out, "404.html"))
	} else if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if strings.HasSuffix(name, ".html") || len(data) > 0 && bytes.Contains(data[:min(len(data), 64)], []byte("<!doctype html>")) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		data = bytes.Replace(data, []byte("</body>"), []byte(reloadScript+"</body>"), 1)
	}
	w.Write(data)
}

// draftIndex lists a directory's pages (the draft has no landing page).
func (s *Server) draftIndex(w http.ResponseWriter, dir string) {
	entries, _ := os.ReadDir(dir)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Draft</title></head><body><main><h1>Draft — not yet published</h1><ul>`)
	for _, e := range entries {
		fmt.Fprintf(w, `<li><a href="%s">%s</a></li>`, html.EscapeString(e.Name()), html.EscapeString(e.Name()))
	}
	fmt.Fprint(w, "</ul></main>"+reloadScript+"</body></html>")
}

// events sends one message per rebuild (server-sent events).
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fmt.Fprint(w, ": connected\n\n")
	flusher.Flush()
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-r.Context().Done():
			return
		case <-ch:
			fmt.Fprint(w, "data: rebuilt\n\n")
			flusher.Flush()
		}
	}
}
