package site_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/policyc/policyc/site"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitFor polls until the server has built more than gen times (bounded).
func waitFor(t *testing.T, s *site.Server, gen int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for s.Generation() <= gen {
		if time.Now().After(deadline) {
			t.Fatal("no rebuild within 20 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPreviewRebuildsOnChangeAndReloads(t *testing.T) {
	_, pdir := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := &site.Server{Dir: pdir, Addr: "127.0.0.1:0"}
	addr, err := s.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + addr
	if code, body := get(t, base+"/"); code != 200 || !strings.Contains(body, "EventSource") {
		t.Fatalf("landing page: %d", code)
	}
	// Listen for the reload event.
	events := make(chan string, 4)
	resp, err := http.Get(base + "/_policyc/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data:") {
				events <- sc.Text()
			}
		}
	}()
	// Save as many editors do: a new file renamed over the old one.
	gen := s.Generation()
	file := filepath.Join(pdir, "sections", "introduction.en.md")
	tmp := file + ".swp"
	os.WriteFile(tmp, []byte("Welcome to the preview of {{ short_name }}.\n"), 0o644)
	if err := os.Rename(tmp, file); err != nil {
		t.Fatal(err)
	}
	waitFor(t, s, gen)
	if _, body := get(t, base+"/draft/policy.en.html"); !strings.Contains(body, "Welcome to the preview of BeaconDev.") {
		t.Error("the draft does not show the edit")
	}
	if _, body := get(t, base+"/draft/compare.html"); !strings.Contains(body, "<ins>") {
		t.Error("the draft comparison does not show the edit")
	}
	select {
	case e := <-events:
		if e != "data: rebuilt" {
			t.Errorf("event %q", e)
		}
	case <-time.After(10 * time.Second):
		t.Error("no reload event")
	}
	// A broken policy shows its problems, positioned.
	gen = s.Generation()
	os.WriteFile(filepath.Join(pdir, "policy.yaml"), []byte("id: beacondev-privacy\ntitel: x\n"), 0o644)
	waitFor(t, s, gen)
	if code, body := get(t, base+"/draft/policy.en.html"); code != 500 || !strings.Contains(body, "policy.yaml:2:1: unknown field &#34;titel&#34;") {
		t.Errorf("broken policy: %d %.300s", code, body)
	}
}
