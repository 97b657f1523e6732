package policy_test

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/policyc/policyc/policy"
)

// exportAll exports every unit of loc.
func exportAll(t *testing.T, p *policy.Policy, loc policy.Locale) []byte {
	t.Helper()
	sts, _ := policy.TranslationStatus(p, nil)
	units := policy.TranslationUnits(p)
	var xs []policy.ExportUnit
	for _, s := range sts {
		if s.Locale == loc {
			u, _ := policy.UnitByKey(units, s.Key)
			xs = append(xs, policy.ExportUnit{UnitStatus: s, Target: u.Text.Get(string(loc))})
		}
	}
	return policy.ExportXLIFF(p, loc, xs)
}

func TestExportedXLIFFValidatesAgainstTheOASISSchema(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint not found: install it with apt-get install -y libxml2-utils (.ci/run does)")
	}
	schema, err := filepath.Abs(filepath.Join("testdata", "xliff", "xliff_core_2.0.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(schema); err != nil {
		t.Fatalf("the vendored XLIFF 2.0 core schema is missing: %v", err)
	}
	p := linked(t)
	sts, _ := policy.TranslationStatus(p, nil)
	units := policy.TranslationUnits(p)
	var xs []policy.ExportUnit
	for i, s := range sts {
		u, _ := policy.UnitByKey(units, s.Key)
		x := policy.ExportUnit{UnitStatus: s, Target: u.Text.Get("zh-CN")}
		switch i {
		case 0: // a stale unit carries its source change as a note
			x.State, x.Change = policy.Stale, "BeaconDev [-Privacy-]{+Data+} Policy <&>"
		case 1: // a missing one has no target
			x.State, x.Target = policy.Missing, ""
		}
		xs = append(xs, x)
	}
	b := policy.ExportXLIFF(p, "zh-CN", xs)
	for _, code := range []string{`<note category="policyc:source-change">BeaconDev [-Privacy-]{+Data+} Policy &lt;&amp;&gt;</note>`, `<segment state="initial">`} {
		if !strings.Contains(string(b), code) {
			t.Errorf("the export has no %s", code)
		}
	}
	for _, code := range []string{"<ph ", "<pc ", "<originalData>"} {
		if !strings.Contains(string(b), code) {
			t.Errorf("the export has no %s: the example's expressions and links are not protected", code)
		}
	}
	f := filepath.Join(t.TempDir(), "zh.xlf")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", schema, f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

// linked is the SDK provider's policy with a Markdown link in the
// introduction, in both locales.
func linked(t *testing.T) *policy.Policy {
	t.Helper()
	fsys := exampleFS(t, "sdk-provider", nil)
	for _, f := range []string{"sections/introduction.en.md", "sections/introduction.zh-CN.md"} {
		fsys[f].Data = append(fsys[f].Data, "\n[BeaconDev {{ controller }}](https://beacondev.example/privacy)\n"...)
	}
	return loadFS(t, fsys)
}

func TestLinkDestinationsAndExpressionsAreProtectedCodes(t *testing.T) {
	p := linked(t)
	good := string(exportAll(t, p, "zh-CN"))
	if !strings.Contains(good, `<data id="d10" xml:space="preserve">](https://beacondev.example/privacy)</data>`) ||
		!strings.Contains(good, `<pc id="9" dataRefStart="d9" dataRefEnd="d10">BeaconDev <ph id="10" dataRef="d2"/></pc>`) {
		t.Fatalf("the link is not a paired code around its text:\n%s", good[strings.Index(good, `name="sections[introduction].body"`):][:3000])
	}
	// The link's text translates; its destination cannot change.
	ts, err := policy.ReadXLIFF(p, "zh.xlf", []byte(strings.Replace(good, `dataRefEnd="d10">BeaconDev <ph`, `dataRefEnd="d10">毕肯 <ph`, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(ts, func(x policy.Translation) bool { return x.Key == "sections[introduction].body" }); i < 0 ||
		!strings.HasSuffix(ts[i].Text, "[毕肯 {{ controller }}](https://beacondev.example/privacy)\n") {
		t.Errorf("the link reads back wrong")
	}
	bad := strings.Replace(good, `<data id="d10" xml:space="preserve">](https://beacondev.example/privacy)</data>`, `<data id="d10" xml:space="preserve">](https://evil.example/)</data>`, 1)
	if _, err := policy.ReadXLIFF(p, "zh.xlf", []byte(bad)); err == nil || !strings.Contains(err.Error(), "inline codes of sections[introduction].body were altered") {
		t.Errorf("a changed link destination is accepted: %v", err)
	}
}

func TestXLIFFRoundTripChangesNothingWhenNothingChanged(t *testing.T) {
	fsys := exampleFS(t, "sdk-provider", nil)
	p := loadFS(t, fsys)
	ts, err := policy.ReadXLIFF(p, "zh.xlf", exportAll(t, p, "zh-CN"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != len(policy.TranslationUnits(p)) {
		t.Errorf("read %d targets, want one per unit (%d)", len(ts), len(policy.TranslationUnits(p)))
	}
	files, err := policy.ApplyTranslations(p, fsys, ts)
	if err != nil || len(files) != 0 {
		t.Fatalf("unchanged targets change %d files (%v)", len(files), err)
	}
}

func TestXLIFFImportRewritesOnlyTheChangedTexts(t *testing.T) {
	fsys := exampleFS(t, "sdk-provider", nil)
	p := loadFS(t, fsys)
	b := string(exportAll(t, p, "zh-CN"))
	b = strings.Replace(b, `<target xml:space="preserve">BeaconDev 隐私政策</target>`, `<target xml:space="preserve">BeaconDev 隐私政策: "新"</target>`, 1)
	// The summary is a literal block: a line is added after its last one.
	lines := strings.Split(strings.TrimSuffix(p.Summary.Get("zh-CN"), "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.Contains(b, last+"\n</target>") {
		t.Fatalf("the export lacks the summary's last line %q", last)
	}
	b = strings.Replace(b, last+"\n</target>", last+"\n第二行。\n</target>", 1)
	ts, err := policy.ReadXLIFF(p, "zh.xlf", []byte(b))
	if err != nil {
		t.Fatal(err)
	}
	files, err := policy.ApplyTranslations(p, fsys, ts)
	if err != nil {
		t.Fatal(err)
	}
	// Every other byte is as it was: the title re-quoted in place, one
	// line added to the literal block.
	want := strings.Replace(string(fsys["policy.yaml"].Data), "title: {en: BeaconDev Privacy Policy, zh-CN: BeaconDev 隐私政策}",
		`title: {en: BeaconDev Privacy Policy, zh-CN: "BeaconDev 隐私政策: \"新\""}`, 1)
	want = strings.Replace(want, last+"\n", last+"\n    第二行。\n", 1)
	if len(files) != 1 || string(files["policy.yaml"]) != want {
		t.Fatalf("changed %d files; policy.yaml:\n%s", len(files), files["policy.yaml"])
	}
	fsys["policy.yaml"].Data = files["policy.yaml"]
	q := loadFS(t, fsys)
	if got := q.Title.Get("zh-CN"); got != `BeaconDev 隐私政策: "新"` {
		t.Errorf("title reads back as %q", got)
	}
	if got := q.Summary.Get("zh-CN"); !strings.HasSuffix(got, last+"\n第二行。\n") {
		t.Errorf("summary reads back as %q", got)
	}
}

func TestHostileXLIFFIsRefusedWithPositions(t *testing.T) {
	fsys := exampleFS(t, "sdk-provider", nil)
	fsys["sections/introduction.en.md"].Data = append(fsys["sections/introduction.en.md"].Data, "\n[BeaconDev privacy](https://beacondev.example/privacy) [terms](https://beacondev.example/terms)\n"...)
	fsys["sections/introduction.zh-CN.md"].Data = append(fsys["sections/introduction.zh-CN.md"].Data, "\n[BeaconDev 隐私](https://beacondev.example/privacy) [条款](https://beacondev.example/terms)\n"...)
	p := loadFS(t, fsys)
	twoLinks := string(exportAll(t, p, "zh-CN"))
	p = loadExample(t, "sdk-provider")
	good := string(exportAll(t, p, "zh-CN"))
	cases := []struct {
		name, doc, want string
	}{
		{"wrong key", strings.Replace(good, `name="scope"`, `name="scopes"`, 1), `zh.xlf:26:5: unknown translation unit "scopes"; did you mean "scope"?`},
		{"stale fingerprint", strings.Replace(good, "c68ae629499aca63", "0000000000000000", 1), `zh.xlf:26:5: the source of scope changed since this file was exported`},
		{"altered ph", strings.Replace(good, `<target xml:space="preserve">欢迎使用 <ph id="1" dataRef="d1"/>`, `<target xml:space="preserve">欢迎使用 <ph id="1" dataRef="d2"/>`, 1), "the inline codes of sections[introduction].body were altered"},
		{"ph dropped", strings.Replace(good, `<target xml:space="preserve">欢迎使用 <ph id="1" dataRef="d1"/>`, `<target xml:space="preserve">欢迎使用 `, 1), "the inline codes of sections[introduction].body were altered"},
		{"link destinations swapped", strings.Replace(twoLinks, `<pc id="9" dataRefStart="d9" dataRefEnd="d10">BeaconDev 隐私</pc> <pc id="10" dataRefStart="d9" dataRefEnd="d11">条款</pc>`, `<pc id="9" dataRefStart="d9" dataRefEnd="d11">BeaconDev 隐私</pc> <pc id="10" dataRefStart="d9" dataRefEnd="d10">条款</pc>`, 1), `zh.xlf:3413:1: the inline codes of sections[introduction].body were altered: <pc id="9"> stands for "[…](https://beacondev.example/privacy)" in the source, "[…](https://beacondev.example/terms)" here`},
		{"billion laughs", `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="zh-CN">&lol2;</xliff>`, "zh.xlf:2:1: <!DOCTYPE is not allowed"},
		{"external entity", `<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="zh-CN">&xxe;</xliff>`, "zh.xlf:2:15: <!ENTITY is not allowed"},
		{"undeclared entity", strings.Replace(good, "BeaconDev 隐私政策</target>", "&xxe;</target>", 1), "zh.xlf:11:"},
		{"latin-1", strings.Replace(good, "BeaconDev Privacy Policy</source>", "BeaconDev Privacy Policy caf\xe9</source>", 1), "zh.xlf:10:66: the file is not UTF-8: byte 0xe9"},
		{"declared latin-1", strings.Replace(good, `encoding="UTF-8"`, `encoding="ISO-8859-1"`, 1), `zh.xlf:1:1: encoding "ISO-8859-1" is not allowed`},
		{"not well-formed", strings.Replace(good, "</target>", "</targ>", 1), "zh.xlf:11:"},
		{"wrong language", strings.Replace(good, `trgLang="zh-CN"`, `trgLang="fr"`, 1), `zh.xlf:2:1: trgLang "fr" is not a declared locale`},
	}
	for _, c := range cases {
		if c.doc == good || c.doc == twoLinks {
			t.Fatalf("%s: the case does not change the document", c.name)
		}
		q := p
		if strings.Contains(c.doc, "beacondev.example/terms") {
			q = loadFS(t, fsys)
		}
		ts, err := policy.ReadXLIFF(q, "zh.xlf", []byte(c.doc))
		if err == nil || ts != nil {
			t.Errorf("%s: accepted (%d targets)", c.name, len(ts))
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error\n%v\nlacks %q", c.name, err, c.want)
		}
	}
}

func TestXLIFFWithAUnitTwiceIsRefused(t *testing.T) {
	p := loadExample(t, "sdk-provider")
	good := string(exportAll(t, p, "zh-CN"))
	i := strings.Index(good, `    <unit id="u1"`)
	j := strings.Index(good, `    <unit id="u2"`)
	doubled := good[:j] + strings.Replace(good[i:j], `id="u1"`, `id="u1b"`, 1) + good[j:]
	if _, err := policy.ReadXLIFF(p, "zh.xlf", []byte(doubled)); err == nil || !strings.Contains(err.Error(), `unit "title" is given twice (first at line 4)`) {
		t.Errorf("a unit given twice: %v", err)
	}
}

func FuzzReadXLIFF(f *testing.F) {
	fsys := exampleFS(f, "sdk-provider", nil)
	p, err := policy.LoadFS(fsys)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`<?xml version="1.0"?><xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="zh-CN"><file id="f"><unit id="u" name="title"><segment><source>x</source><target><pc id="1" dataRefStart="d1" dataRefEnd="d2">y</pc></target></segment></unit></file></xliff>`))
	f.Add([]byte(`<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="zh-CN"><file id="f"><unit id="u" name="scope"><originalData><data id="d1">{{ x }}</data></originalData><segment><source/><target><ph id="1" dataRef="d1"/></target></segment></unit></file></xliff>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, err := policy.ReadXLIFF(p, "f.xlf", b)
		if err != nil && ts != nil {
			t.Fatal("targets returned with an error")
		}
		if err == nil {
			// What it accepts applies, or is refused; it never panics.
			_, _ = policy.ApplyTranslations(p, fsys, ts)
		}
	})
}

// TestXLIFFImportAddsMissingTranslations strips translations from the
// example in every shape they take (a {…} entry, a plain entry a line, a
// literal block, a section file the policy names by {locale}, a section
// whose file field lacks the locale) and imports them back: the files come
// out byte for byte as the complete example.
func TestXLIFFImportAddsMissingTranslations(t *testing.T) {
	full := exampleFS(t, "sdk-provider", nil)
	mapped := replaceIn(t, full, "policy.yaml", "    file: sections/rights.{locale}.md\n", "    file:\n      en: \"sections/rights.en.md\"\n      zh-CN: \"sections/rights.zh-CN.md\"\n")
	full["policy.yaml"].Data = []byte(mapped)
	complete := loadFS(t, full)
	cut := exampleFS(t, "sdk-provider", nil)
	y := mapped
	for _, c := range [][2]string{
		{"title: {en: BeaconDev Privacy Policy, zh-CN: BeaconDev 隐私政策}", "title: {en: BeaconDev Privacy Policy}"},
		{"  zh-CN: 开发者平台 beacondev.example", "#"},
		{"  zh-CN: |\n    本政策说明", "  #|\n    #"},
		{"      zh-CN: \"sections/rights.zh-CN.md\"\n", ""},
	} {
		if !strings.Contains(y, c[0]) {
			t.Fatalf("policy.yaml lacks %q", c[0])
		}
		y = strings.Replace(y, c[0], c[1], 1)
	}
	// Drop the commented-out lines the replacements left.
	var keep []string
	for _, l := range strings.SplitAfter(y, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") || strings.HasPrefix(l, "# ") {
			keep = append(keep, l)
		}
	}
	cut["policy.yaml"].Data = []byte(strings.Join(keep, ""))
	delete(cut, "sections/cookies.zh-CN.md")
	delete(cut, "sections/rights.zh-CN.md")
	p, err := policy.LoadFS(cut)
	var list policy.ErrorList
	if !errors.As(err, &list) || len(list) != 5 || !list.OnlyUntranslated() {
		t.Fatalf("the cut policy loads with %v; want 5 translations not yet made", err)
	}
	ts, err := policy.ReadXLIFF(p, "zh.xlf", exportAll(t, complete, "zh-CN"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := policy.ApplyTranslations(p, cut, ts)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(files["policy.yaml"]); got != mapped {
		t.Errorf("policy.yaml differs from the complete one:\n%s", lineDiff(mapped, got))
	}
	for _, f := range []string{"sections/cookies.zh-CN.md", "sections/rights.zh-CN.md"} {
		if got, want := string(files[f]), string(full[f].Data); got != want {
			t.Errorf("%s = %q, want %q", f, got, want)
		}
	}
	if len(files) != 3 {
		t.Errorf("changed %d files, want 3: %v", len(files), slices.Sorted(maps.Keys(files)))
	}
	for name, b := range files {
		cut[name] = &fstest.MapFile{Data: b}
	}
	q := loadFS(t, cut) // validates
	for _, u := range policy.TranslationUnits(complete) {
		v, _ := policy.UnitByKey(policy.TranslationUnits(q), u.Key)
		if v.Text.Get("zh-CN") != u.Text.Get("zh-CN") {
			t.Errorf("%s reads back as %q, want %q", u.Key, v.Text.Get("zh-CN"), u.Text.Get("zh-CN"))
		}
	}
}

// lineDiff shows the first line where two texts differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\n want %q\n  got %q", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(g), len(w))
}

// bilingualWebsite is the website example with zh-CN declared and every
// text translated by import: the targets are the English texts marked
// "译 ". It returns the files before and after the import.
func bilingualWebsite(t *testing.T) (before, after fstest.MapFS) {
	t.Helper()
	before = exampleFS(t, "website", nil)
	before["policy.yaml"].Data = []byte(replaceIn(t, before, "policy.yaml", "locales: [en]\n", "locales: [en, zh-CN]\n"))
	p, err := policy.LoadFS(before)
	var list policy.ErrorList
	if !errors.As(err, &list) || !list.OnlyUntranslated() {
		t.Fatalf("declaring zh-CN: %v; want only translations not yet made", err)
	}
	sts, _ := policy.TranslationStatus(p, nil)
	var xs []policy.ExportUnit
	for _, s := range sts {
		if s.State != policy.Missing {
			t.Fatalf("%s is %s before any translation", s.Key, s.State)
		}
		xs = append(xs, policy.ExportUnit{UnitStatus: s})
	}
	// Every problem is a text to translate, and every text to translate
	// is a problem.
	if len(xs) != len(list) || len(xs) < 200 {
		t.Fatalf("%d units missing, %d problems", len(xs), len(list))
	}
	b := string(policy.ExportXLIFF(p, "zh-CN", xs))
	b = regexp.MustCompile(`(?s)<source xml:space="preserve">(.*?)</source>`).ReplaceAllString(b, `$0<target xml:space="preserve">译 $1</target>`)
	ts, err := policy.ReadXLIFF(p, "zh.xlf", []byte(b))
	if err != nil {
		t.Fatal(err)
	}
	files, err := policy.ApplyTranslations(p, before, ts)
	if err != nil {
		t.Fatal(err)
	}
	after = exampleFS(t, "website", nil)
	after["policy.yaml"].Data = before["policy.yaml"].Data
	for name, b := range files {
		after[name] = &fstest.MapFile{Data: b}
	}
	return before, after
}

// TestImportTranslatesAPolicyWrittenForOneLocale declares a second locale
// in the website example, whose texts are plain strings and whose section
// files serve every locale: every text is missing, and importing them
// turns each into a mapping from locale to text, keeping the English.
func TestImportTranslatesAPolicyWrittenForOneLocale(t *testing.T) {
	before, after := bilingualWebsite(t)
	p, _ := policy.LoadFS(before)
	q := loadFS(t, after) // validates
	sts, _ := policy.TranslationStatus(q, nil)
	sameStates(t, states(sts), map[string]string{})
	us, vs := policy.TranslationUnits(p), policy.TranslationUnits(q)
	if len(us) != len(vs) {
		t.Fatalf("%d units before, %d after", len(us), len(vs))
	}
	for i, u := range us {
		if vs[i].Key != u.Key || vs[i].Text.Get("en") != u.Text.Get("en") || vs[i].Text.Get("zh-CN") != "译 "+u.Text.Get("en") {
			t.Errorf("%s: en %q, zh-CN %q after import; en was %q", u.Key, vs[i].Text.Get("en"), vs[i].Text.Get("zh-CN"), u.Text.Get("en"))
		}
	}
	// The section files stay; each gains a zh-CN file beside it.
	for _, f := range []string{"sections/collection.md", "children/scope.md"} {
		if string(after[f].Data) != string(before[f].Data) {
			t.Errorf("%s changed", f)
		}
		zh := strings.TrimSuffix(f, ".md") + ".zh-CN.md"
		if got := string(after[zh].Data); got != "译 "+string(before[f].Data) {
			t.Errorf("%s = %q", zh, got)
		}
	}
	for _, want := range []string{
		"title:\n  en: Pixelgrove Privacy Policy\n  zh-CN: 译 Pixelgrove Privacy Policy\n",
		"summary:\n  en: |\n    Shanghai Pixelgrove",
		"    file:\n      en: sections/collection.md\n      zh-CN: sections/collection.zh-CN.md\n",
	} {
		if !strings.Contains(string(after["policy.yaml"].Data), want) {
			t.Errorf("policy.yaml lacks %q", want)
		}
	}
}

// TestTranslationStatesOnTheWebsiteExample: stale after a source-only
// change in a model field and in a section body, reviewed, missing.
func TestTranslationStatesOnTheWebsiteExample(t *testing.T) {
	_, fsys := bilingualWebsite(t)
	_, rec := policy.TranslationStatus(loadFS(t, fsys), nil)
	fsys["policy.yaml"].Data = []byte(replaceIn(t, fsys, "policy.yaml", "  en: Pixelgrove Privacy Policy\n", "  en: Pixelgrove Privacy Notice\n"))
	fsys["sections/collection.md"].Data = append(fsys["sections/collection.md"].Data, "\nWe also keep a record of your consent.\n"...)
	p := loadFS(t, fsys)
	sts, _ := policy.TranslationStatus(p, &rec)
	sameStates(t, states(sts), map[string]string{"zh-CN title": "stale", "zh-CN sections[collection].body": "stale"})
	var r policy.Reviews
	r.Mark("zh-CN", "title", policy.Fingerprint(p.Title.Get("en")))
	fsys[policy.ReviewsFile] = &fstest.MapFile{Data: r.Marshal()}
	delete(fsys, "children/scope.zh-CN.md")
	p, err := policy.LoadFS(fsys)
	var list policy.ErrorList
	if !errors.As(err, &list) || len(list) != 1 || !list.OnlyUntranslated() {
		t.Fatalf("without a zh-CN file: %v", err)
	}
	sts, _ = policy.TranslationStatus(p, &rec)
	sameStates(t, states(sts), map[string]string{"zh-CN title": "up to date, reviewed", "zh-CN sections[collection].body": "stale", "zh-CN documents[children-rules].sections[cr-scope].body": "missing"})
}

// TestImportAddsAMissingTranslationInTheStyleOfItsNeighbours adds a fr
// title to each shape a localised text takes in YAML, and a title written
// once for every locale, and checks the exact bytes and that they read back.
func TestImportAddsAMissingTranslationInTheStyleOfItsNeighbours(t *testing.T) {
	const head = "id: acme\n"
	const rest = `locales: [en, fr]
jurisdictions: [cn-pipl]
controller: {legal_name: Acme Ltd., registered_address: 1 Main Street}
contacts:
  channels: [{id: mail, kind: email, value: privacy@acme.example, uses: [privacy]}]
  response_time: 15 days
purposes: [{id: account, name: {en: running your account, fr: gérer votre compte}}]
data_categories: [{id: email, name: {en: E-mail address, fr: Adresse e-mail}, sources: [provided]}]
sections: [{id: intro, title: {en: Intro, fr: Intro}, body: {en: Hello., fr: Bonjour.}}]
`
	for _, c := range []struct{ name, title, fr, want string }{
		{"flow plain", "title: {en: Acme policy}\n", "Politique", "title: {en: Acme policy, fr: Politique}\n"},
		{"flow plain, text needs quotes", "title: {en: Acme policy}\n", "Politique: «Acme», 2026", `title: {en: Acme policy, fr: "Politique: «Acme», 2026"}` + "\n"},
		{"flow double-quoted", `title: {en: "Acme policy"}` + "\n", "Politique", `title: {en: "Acme policy", fr: "Politique"}` + "\n"},
		{"flow single-quoted", "title: {en: 'Acme policy'}\n", "Politique d'Acme", "title: {en: 'Acme policy', fr: 'Politique d''Acme'}\n"},
		{"block plain, comment kept", "title:\n  en: Acme policy  # the name\n", "Politique", "title:\n  en: Acme policy  # the name\n  fr: Politique\n"},
		{"block double-quoted", "title:\n    en: \"Acme policy\"\n", "Politique", "title:\n    en: \"Acme policy\"\n    fr: \"Politique\"\n"},
		{"block literal", "title:\n  en: |-\n      Acme policy\n", "Politique\nd'Acme", "title:\n  en: |-\n      Acme policy\n  fr: |-\n      Politique\n      d'Acme\n"},
		{"written once, block", "title: Acme policy\n", "Politique", "title:\n  en: Acme policy\n  fr: Politique\n"},
		{"written once, the same in fr", "title: Acme policy\n", "Acme policy", "title:\n  en: Acme policy\n  fr: Acme policy\n"},
		{"written once, quoted", "title: \"Acme policy\"   # the name\n", "Politique", "title:\n  en: \"Acme policy\"   # the name\n  fr: \"Politique\"\n"},
		{"written once, literal", "title: |\n  Acme\n  policy\n", "Politique\n", "title:\n  en: |\n    Acme\n    policy\n  fr: |\n    Politique\n"},
		// fr declared before the source locale: its entry comes first.
		{"fr first, flow", "source_locale: en\ntitle: {en: Acme policy}\n", "Politique", "source_locale: en\ntitle: {fr: Politique, en: Acme policy}\n"},
		{"fr first, block", "source_locale: en\ntitle:\n  en: Acme policy\n", "Politique", "source_locale: en\ntitle:\n  fr: Politique\n  en: Acme policy\n"},
		{"fr first, written once", "source_locale: en\ntitle: Acme policy\n", "Politique", "source_locale: en\ntitle:\n  fr: Politique\n  en: Acme policy\n"},
	} {
		for _, eol := range []string{"\n", "\r\n"} { // CR LF: as git on Windows checks files out
			t.Run(c.name+strings.Repeat(", CR LF", len(eol)-1), func(t *testing.T) {
				rest := rest
				if strings.HasPrefix(c.title, "source_locale") {
					rest = strings.Replace(rest, "locales: [en, fr]", "locales: [fr, en]", 1)
				}
				head, rest, c := strings.ReplaceAll(head, "\n", eol), strings.ReplaceAll(rest, "\n", eol), c
				c.title, c.want = strings.ReplaceAll(c.title, "\n", eol), strings.ReplaceAll(c.want, "\n", eol)
				fsys := fstest.MapFS{"policy.yaml": {Data: []byte(head + c.title + rest)}}
				p, err := policy.LoadFS(fsys)
				var list policy.ErrorList
				if !errors.As(err, &list) || len(list) != 1 || !list.OnlyUntranslated() {
					t.Fatalf("loads with %v; want one translation not yet made", err)
				}
				files, err := policy.ApplyTranslations(p, fsys, []policy.Translation{{Key: "title", Locale: "fr", Text: c.fr}})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := string(files["policy.yaml"]), head+c.want+rest; got != want {
					t.Fatalf("policy.yaml:\n%s", lineDiff(want, got))
				}
				fsys["policy.yaml"].Data = files["policy.yaml"]
				q := loadFS(t, fsys)
				if q.Title.Get("fr") != c.fr || q.Title.Get("en") != p.Title.Get("en") {
					t.Errorf("reads back as en %q, fr %q", q.Title.Get("en"), q.Title.Get("fr"))
				}
			})
		}
	}
}
