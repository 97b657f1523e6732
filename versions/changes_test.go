package versions

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

func loadExample(t *testing.T, name string) *policy.Policy {
	t.Helper()
	p, err := policy.Load(filepath.Join("..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestChangeOptionsAreCheckedBeforeAnythingIsAssessed(t *testing.T) {
	p := loadExample(t, "website")
	day := func(d int) policy.Date { return policy.Date{Year: 2026, Month: 5, Day: d} }
	for _, tc := range []struct {
		o    ChangeOptions
		want string
	}{
		{ChangeOptions{New: p}, "both models"},
		{ChangeOptions{Old: p, New: p, Locale: "fr"}, "locale fr"},
		{ChangeOptions{Old: p, New: p, Release: true}, "updated and effective"},
		{ChangeOptions{Old: p, New: p, Release: true, Meta: render.Meta{Updated: day(9), Effective: day(2)}}, "before the updated date"},
		{ChangeOptions{Old: p, New: p, ShortNoticeReason: "court order"}, "release only"},
	} {
		err := tc.o.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate() = %v, want %q", err, tc.want)
		}
		if _, err := AssessChange(tc.o); err == nil {
			t.Errorf("AssessChange accepted options Validate refuses (%s)", tc.want)
		}
	}
}

func TestASignificantReleaseNeedsItsNoticePeriod(t *testing.T) {
	old, new := loadExample(t, "sdk-provider"), loadExample(t, "sdk-provider")
	new.Contacts.Channels[0].Value = "dpo@beacondev.example"
	meta := render.Meta{Version: "2", Updated: policy.Date{Year: 2026, Month: 5, Day: 1}, Effective: policy.Date{Year: 2026, Month: 5, Day: 6}}
	o := ChangeOptions{Old: old, New: new, From: "v1", To: "v2", Meta: meta, Release: true}
	_, err := AssessChange(o)
	var gate *NoticeGateError
	if !errors.As(err, &gate) || !strings.Contains(err.Error(), "only 5 days after its update date") {
		t.Fatalf("a significant release 5 days after its update (7 days promised): %v", err)
	}
	o.ShortNoticeReason = "court order"
	cs, err := AssessChange(o)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Assessment.Level != policy.Significant {
		t.Fatalf("level %s", cs.Assessment.Level)
	}
	for _, name := range []string{"notice/summary.en.md", "notice/email.zh-CN.txt", "notice/banner.en.html", "notice/notice.json"} {
		if len(cs.Files[name]) == 0 {
			t.Errorf("the notice pack lacks %s", name)
		}
	}
	if !strings.Contains(string(cs.Files["notice/summary.en.md"]), "dpo@beacondev.example") {
		t.Errorf("the summary does not give the new contact:\n%s", cs.Files["notice/summary.en.md"])
	}
	// The stored verdict words each change and still reads back.
	_, _, as, err := policy.ParseVerdict(cs.Verdict)
	if err != nil {
		t.Fatal(err)
	}
	if len(as.Changes) != 1 || as.Changes[0].Path.String() != "contacts.channels[privacy-email].value" || !strings.Contains(as.Changes[0].Sentence, "dpo@beacondev.example") {
		t.Errorf("verdict changes: %+v", as.Changes)
	}
}

func TestANoticePackIsRefusedForAChangeThatIsNotSignificant(t *testing.T) {
	old, new := loadExample(t, "website"), loadExample(t, "website")
	new.Security.Certifications = append(new.Security.Certifications, policy.Certification{ID: "iso", Name: policy.NeutralText("ISO/IEC 27001")})
	_, err := AssessChange(ChangeOptions{Old: old, New: new, Notice: true})
	if err == nil || !strings.Contains(err.Error(), "the change is notable, not significant") {
		t.Errorf("notice pack for a notable change: %v", err)
	}
	cs, err := AssessChange(ChangeOptions{Old: old, New: new, Release: true, Meta: render.Meta{Updated: policy.Date{Year: 2026, Month: 1, Day: 1}, Effective: policy.Date{Year: 2026, Month: 1, Day: 1}}})
	if err != nil || len(cs.Files) != 0 || len(cs.Verdict) == 0 {
		t.Errorf("a notable release: files %d, verdict %d bytes, %v", len(cs.Files), len(cs.Verdict), err)
	}
}

// TestNoticePackCanHoldTheWordRedline asks for the Word redline with the
// notice pack: one per locale, the new contact an inserted run, dated with
// the newer version's update date; without asking, the pack has none.
func TestNoticePackCanHoldTheWordRedline(t *testing.T) {
	old, new := loadExample(t, "sdk-provider"), loadExample(t, "sdk-provider")
	new.Contacts.Channels[0].Value = "dpo@beacondev.example"
	meta := render.Meta{Version: "2", Updated: policy.Date{Year: 2026, Month: 5, Day: 1}, Effective: policy.Date{Year: 2026, Month: 6, Day: 1}}
	o := ChangeOptions{Old: old, New: new, From: "v1", To: "v2", Meta: meta, OldMeta: render.Meta{Version: "1"}, Notice: true}
	cs, err := AssessChange(o)
	if err != nil {
		t.Fatal(err)
	}
	for name := range cs.Files {
		if strings.HasSuffix(name, ".docx") {
			t.Errorf("%s in a pack that did not ask for the redline", name)
		}
	}
	o.RedlineDOCX = true
	if cs, err = AssessChange(o); err != nil {
		t.Fatal(err)
	}
	for _, loc := range []string{"en", "zh-CN"} {
		data := cs.Files["notice/redline."+loc+".docx"]
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: %v", loc, err)
		}
		var doc []byte
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, _ := f.Open()
				doc, _ = io.ReadAll(rc)
				rc.Close()
			}
		}
		ins := regexp.MustCompile(`<w:ins w:id="\d+" w:author="policyc" w:date="2026-05-01T00:00:00Z">(?:<w:hyperlink[^>]*>)?<w:r>(?:<w:rPr>.*?</w:rPr>)?<w:t xml:space="preserve">[^<]*beacondev`)
		if !ins.Match(doc) {
			t.Errorf("%s: the new contact is not an insertion of 1 May 2026", loc)
		}
	}
}
