package render_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// TestNoticePackSaysTheChangesPlainly builds the pack for a release that
// adds an SDK, a recipient and a collected item, in English and Chinese.
func TestNoticePackSaysTheChangesPlainly(t *testing.T) {
	old, new := loadExample(t, "sdk-provider"), loadExample(t, "sdk-provider")
	new.Recipients = append(new.Recipients, policy.Recipient{ID: "brokers", Name: policy.LocalizedText(map[string]string{"en": "Example Data Brokers Ltd.", "zh-CN": "示例数据经纪公司"}),
		Named: true, Kind: "partner", Data: policy.Refs{{ID: "device-ids"}}})
	s := new.SDKs[2]
	s.ID, s.Name = "beacon-maps", policy.NeutralText("BeaconMaps")
	new.SDKs = append(new.SDKs, s)
	for i := range new.DataCategories {
		if new.DataCategories[i].ID == "device-ids" {
			new.DataCategories[i].Items = append(new.DataCategories[i].Items, policy.NeutralText("Android ID"))
		}
	}
	new.SDKs[0].Collects = slices.DeleteFunc(slices.Clone(new.SDKs[0].Collects), func(r policy.Ref) bool { return r.ID == "location" })
	as := policy.Assess(old, new)
	if as.Level != policy.Reconsent {
		t.Fatalf("level %s", as.Level)
	}
	r := render.New()
	meta := render.Meta{Version: "4", Effective: policy.Date{Year: 2026, Month: 7, Day: 1}}
	en, err := r.Notice(old, new, as, "en", meta, "https://beacondev.example/privacy/compare/v3-v4")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"We now share device identifiers with Example Data Brokers Ltd.\n",
		"We now use BeaconMaps, provided by Hangzhou Beacon Developer Services Co., Ltd., which collects link and attribution data, device identifiers and device and app information.",
		"We now collect Android ID as part of device identifiers.",
		"BeaconShare no longer collects geographic location.",
	}
	for _, w := range want {
		if !strings.Contains(strings.Join(en.Sentences, "\n"), w) {
			t.Errorf("English pack lacks %q:\n%s", w, strings.Join(en.Sentences, "\n"))
		}
	}
	for _, sentence := range en.Sentences {
		if strings.ContainsAny(sentence, "[]:") {
			t.Errorf("a sentence names a path, not the change: %q", sentence)
		}
	}
	for _, part := range []string{en.Summary, en.Email, en.Banner} {
		if !strings.Contains(part, "1 July 2026") {
			t.Errorf("pack part lacks the effective date:\n%s", part)
		}
	}
	if !strings.Contains(en.Email, "We will ask for your consent") || !strings.Contains(en.Banner, `<a href="https://beacondev.example/privacy/compare/v3-v4">`) {
		t.Errorf("email or banner incomplete:\n%s\n%s", en.Email, en.Banner)
	}
	checkInert(t, "banner", []byte("<html><head><style></style></head><body>"+en.Banner+"</body></html>"))
	zh, err := r.Notice(old, new, as, "zh-CN", meta, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(zh.Sentences, "\n"), "我们现在会与示例数据经纪公司共享设备标识符。") {
		t.Errorf("Chinese pack:\n%s", strings.Join(zh.Sentences, "\n"))
	}
	rec, err := render.NoticeJSON(new, as, meta, []render.NoticePack{en, zh})
	if err != nil {
		t.Fatal(err)
	}
	var got render.NoticeRecord
	if err := json.Unmarshal(rec, &got); err != nil {
		t.Fatal(err)
	}
	if !got.Reconsent || got.Level != "reconsent" || got.Effective != "2026-07-01" || len(got.Summary["zh-CN"]) != len(zh.Sentences) {
		t.Errorf("record: %+v", got)
	}
}
