package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Server previews a policy's site: it builds into a temporary directory
// (with the draft), serves it on localhost, rebuilds whenever a file of the
// policy directory changes (editors that save by writing a new file and
// renaming it included) and tells open pages to reload. Only the preview
// injects a script; the built site has none.
//
// It answers only requests addressed to its own address (a page elsewhere
// that has a name of its own resolve to 127.0.0.1 must not read the
// preview), shows no absolute path, and leaves nothing behind: when its
// context ends, or when it cannot start, the temporary directory and the
// build state kept for it are removed.
type Server struct {
	Dir  string
	Addr string // host:port; "127.0.0.1:0" picks a free port
	// Log receives a line for each build (what changed, the time it took)
	// and each error; nil discards them.
	Log io.Writer

	root     string // the temporary directory
	out      string // the site, in root
	absDir   string
	manifest string // the build state kept for out, once known
	hosts    map[string]bool
	done     chan struct{}

	mu       sync.Mutex
	logMu    sync.Mutex
	gen      int    // build generation, bumped after each rebuild
	failure  string // the last build's error, shown instead of the pages
	changed  chan struct{}
	listener net.Listener
}

const reloadScript = `<script>new EventSource("/_policyc/events").onmessage=function(){location.reload()}</script>`

// Start listens, builds once and starts watching. It returns the address.
// When ctx ends the server stops and removes what it made (Wait waits for
// that); when Start fails, nothing it made is left.
func (s *Server) Start(ctx context.Context) (_ string, err error) {
	addr := s.Addr
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	if host, _, err := net.SplitHostPort(addr); err != nil || (host != "127.0.0.1" && host != "localhost" && host != "::1") {
		return "", fmt.Errorf("the preview serves on localhost only, not %q", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			ln.Close()
			s.cleanup()
		}
	}()
	s.listener, s.hosts = ln, hostNames(ln.Addr())
	if s.absDir, err = filepath.Abs(s.Dir); err != nil {
		return "", err
	}
	if s.root, err = os.MkdirTemp("", "policyc-preview-*"); err != nil {
		return "", err
	}
	// The site in a directory of its own, so that whatever a build puts
	// beside it is inside root too.
	s.out, s.changed, s.done = filepath.Join(s.root, "site"), make(chan struct{}), make(chan struct{})
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return "", err
	}
	if err := s.watchTree(w); err != nil {
		w.Close()
		return "", err
	}
	s.rebuild(nil)
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second, ErrorLog: log.New(logWriter{s}, "", 0)}
	go srv.Serve(ln)
	looped := make(chan struct{})
	go func() {
		s.loop(ctx, w)
		close(looped)
	}()
	go func() {
		<-ctx.Done()
		srv.Close()
		w.Close()
		<-looped // no build is running
		s.cleanup()
		close(s.done)
	}()
	return ln.Addr().String(), nil
}

// Wait returns when the server, its context ended, has removed what it
// made.
func (s *Server) Wait() {
	if s.done != nil {
		<-s.done
	}
}

// cleanup removes the temporary directory and the build state kept for it.
func (s *Server) cleanup() {
	if s.root != "" {
		if err := os.RemoveAll(s.root); err != nil {
			s.logf("removing the preview: %s", s.relative(err.Error()))
		}
	}
	if s.manifest != "" {
		os.Remove(s.manifest)
	}
}

// hostNames are the Host header values of requests addressed to the
// server: a browser sends the name it was given, so a page whose own name
// resolves to 127.0.0.1 (DNS rebinding) is refused.
func hostNames(a net.Addr) map[string]bool {
	port := "80"
	if t, ok := a.(*net.TCPAddr); ok {
		port = strconv.Itoa(t.Port)
	}
	m := map[string]bool{}
	for _, h := range []string{"127.0.0.1", "localhost", "[::1]"} {
		m[h+":"+port] = true
		if port == "80" {
			m[h] = true
		}
	}
	return m
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
	changed := map[string]bool{} // the files changed since the last build, true if created
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
			if rel, err := filepath.Rel(s.Dir, ev.Name); err == nil {
				changed[filepath.ToSlash(rel)] = changed[filepath.ToSlash(rel)] || ev.Op&fsnotify.Create != 0
			}
			// Editors write several events per save: build once they settle.
			timer = time.After(150 * time.Millisecond)
		case err, ok := <-w.Errors:
			if ok {
				s.logf("watching %s: %s", s.Dir, s.relative(err.Error()))
			}
		case <-timer:
			timer = nil
			var names []string
			for name, created := range changed {
				// A file made and gone within the same save is an
				// editor's temporary file, not a change.
				if _, err := os.Lstat(filepath.Join(s.Dir, name)); err == nil || !created {
					names = append(names, name)
				}
			}
			slices.Sort(names)
			s.rebuild(names)
			clear(changed)
		}
	}
}

// rebuild builds the site again after the named files changed (none for
// the first build) and logs what it did.
func (s *Server) rebuild(changed []string) {
	if s.manifest == "" {
		s.manifest = manifestOf(s.Dir, s.out)
	}
	start := time.Now()
	rep, err := Build(Options{Dir: s.Dir, Out: s.out, Draft: true})
	took := time.Since(start).Round(time.Millisecond)
	what := "built"
	if len(changed) == 0 && changed != nil {
		what = "rebuilt"
	} else if changed != nil {
		what = "rebuilt after " + listChanges(changed) + " changed,"
	}
	failure := ""
	if err != nil {
		failure = s.relative(err.Error())
		s.logf("%s in %v: the policy does not build:\n%s", what, took, indent(failure))
	} else {
		s.logf("%s in %v: %d files, %d written, %d unchanged, %d removed", what, took, rep.Files, rep.Written, rep.Unchanged, rep.Removed)
	}
	s.mu.Lock()
	s.failure = failure
	s.gen++
	old := s.changed
	s.changed = make(chan struct{})
	s.mu.Unlock()
	close(old)
}

// listChanges names the changed files, at most a few.
func listChanges(names []string) string {
	const most = 5
	if len(names) <= most {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:most], ", "), len(names)-most)
}

func indent(text string) string {
	return "  " + strings.ReplaceAll(strings.TrimRight(text, "\n"), "\n", "\n  ")
}

func (s *Server) logf(format string, args ...any) {
	if s.Log == nil {
		return
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.Log, "policyc: "+format+"\n", args...)
}

// logWriter passes the HTTP server's own error lines to the log.
type logWriter struct{ s *Server }

func (w logWriter) Write(p []byte) (int, error) {
	w.s.logf("%s", w.s.relative(strings.TrimRight(string(p), "\n")))
	return len(p), nil
}

// absPath finds absolute paths in a message: a slash after the start, a
// space, a quote, a parenthesis or an equals sign (not after a colon,
// which would be a URL's), up to the next such delimiter or colon.
var absPath = regexp.MustCompile(`(^|[\s"'(=])(/[^/\s"'(),;:][^\s"'(),;:]*)`)

// relative rewrites the absolute paths in a message shown or logged: a
// file of the preview by its name in the site, anything else relative to
// the policy directory. Error pages are read in a browser; the
// temporary directory's path means nothing there and tells a page more
// about the machine than it needs.
func (s *Server) relative(msg string) string {
	return absPath.ReplaceAllStringFunc(msg, func(m string) string {
		i := strings.IndexByte(m, '/')
		lead, p := m[:i], filepath.Clean(m[i:])
		switch {
		case s.out != "" && inDir(s.out, p):
			rel, _ := filepath.Rel(s.out, p)
			return lead + filepath.ToSlash(rel)
		case s.root != "" && inDir(s.root, p):
			return lead + filepath.Base(p)
		}
		if rel, err := filepath.Rel(s.absDir, p); err == nil && s.absDir != "" {
			return lead + filepath.ToSlash(rel)
		}
		return lead + filepath.Base(p)
	})
}

// inDir says whether p is dir or under it.
func inDir(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

// Generation is the number of builds so far, for tests.
func (s *Server) Generation() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hosts[strings.ToLower(r.Host)] {
		s.logf("refused a request for %q: the preview answers only to %s", r.Host, s.listener.Addr())
		http.Error(w, "this preview answers only requests addressed to "+s.listener.Addr().String(), http.StatusMisdirectedRequest)
		return
	}
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
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		w.WriteHeader(http.StatusNotFound)
		data, _ = os.ReadFile(filepath.Join(s.out, "404.html"))
	} else if err != nil {
		msg := s.relative(err.Error())
		s.logf("%s: %s", r.URL.Path, msg)
		http.Error(w, msg, http.StatusInternalServerError)
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
