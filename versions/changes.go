package versions

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/render"
)

// ChangeOptions describe a change from one version of a policy to the
// next, as a release or a comparison assesses it.
type ChangeOptions struct {
	Old, New *policy.Policy
	// From and To name the two sides in the verdict ("v2", a directory).
	From, To string
	// Meta is the newer version's number and dates.
	Meta render.Meta
	// Locale of the sentences stored in the verdict (default: the newer
	// model's first).
	Locale string
	// Release applies the notice-period gate: a significant or reconsent
	// change must take effect at least the policy's notice period after its
	// update date (Meta.Updated, Meta.Effective), unless ShortNoticeReason
	// is given.
	Release           bool
	ShortNoticeReason string
	// Notice renders the notice pack; it is an error when the change is
	// not significant, unless Release is set (a release has a pack only
	// when it is significant).
	Notice bool
	// Renderer renders the notice pack (nil: render.New()).
	Renderer *render.Renderer
	// RedlineDOCX adds to the notice pack the Word redline in each locale
	// both versions have (notice/redline.<locale>.docx): the newer version
	// with every change against the older as a tracked change, dated with
	// Meta's update date. OldMeta is the older version's number and dates.
	RedlineDOCX bool
	OldMeta     render.Meta
}

// Validate checks the options before anything is assessed.
func (o ChangeOptions) Validate() error {
	switch {
	case o.Old == nil || o.New == nil:
		return errors.New("a change needs both models")
	case len(o.New.Locales) == 0:
		return errors.New("the newer model has no locale")
	case o.Locale != "" && !slices.Contains(o.New.Locales, policy.Locale(o.Locale)):
		return fmt.Errorf("locale %s is not one of the policy's (%v)", o.Locale, o.New.Locales)
	case o.Release && (o.Meta.Updated.IsZero() || o.Meta.Effective.IsZero()):
		return errors.New("a release needs its updated and effective dates")
	case o.Release && o.Meta.Effective.Before(o.Meta.Updated):
		return fmt.Errorf("effective date %s is before the updated date %s", o.Meta.Effective, o.Meta.Updated)
	case o.ShortNoticeReason != "" && !o.Release:
		return errors.New("a short-notice reason applies to a release only")
	}
	return nil
}

// ChangeSet is an assessed change: the verdict, each change worded, and
// the files a release stores with it.
type ChangeSet struct {
	Assessment policy.Assessment
	// Verdict is verdict.json (policyc.verdict/v1).
	Verdict []byte
	// Files are the notice pack's files as archive paths
	// (notice/summary.<locale>.md, notice/email.<locale>.txt,
	// notice/banner.<locale>.html, notice/notice.json), when asked for and
	// the change is significant.
	Files map[string][]byte
}

// AssessChange assesses the change from o.Old to o.New, words every change,
// applies the notice gate for a release and renders the notice pack.
func AssessChange(o ChangeOptions) (ChangeSet, error) {
	if err := o.Validate(); err != nil {
		return ChangeSet{}, err
	}
	r := o.Renderer
	if r == nil {
		r = render.New()
	}
	as := policy.Assess(o.Old, o.New)
	loc := o.Locale
	if loc == "" {
		loc = string(o.New.Locales[0])
	}
	words, err := r.Wording(o.Old, o.New, loc)
	if err != nil {
		return ChangeSet{}, err
	}
	for i := range as.Changes {
		as.Changes[i].Sentence = words.Sentence(as.Changes[i].Change)
	}
	if o.Release {
		if err := NoticeGate(o.New, as, o.Meta.Updated, o.Meta.Effective, o.ShortNoticeReason); err != nil {
			return ChangeSet{}, err
		}
	}
	cs := ChangeSet{Assessment: as, Files: map[string][]byte{}}
	if cs.Verdict, err = policy.VerdictJSON(o.From, o.To, as); err != nil {
		return ChangeSet{}, err
	}
	if o.Notice || o.Release {
		if as.Level < policy.Significant {
			if !o.Release {
				return ChangeSet{}, fmt.Errorf("no notification pack: the change is %s, not significant", as.Level)
			}
			return cs, nil
		}
		if cs.Files, err = noticeFiles(r, o.Old, o.New, as, o.Meta); err != nil {
			return ChangeSet{}, err
		}
		if o.RedlineDOCX {
			if err := redlineFiles(r, o, as, cs.Files); err != nil {
				return ChangeSet{}, err
			}
		}
	}
	return cs, nil
}

// NoticeGateError is a release refused for too short a notice period.
type NoticeGateError struct{ msg string }

func (e *NoticeGateError) Error() string { return e.msg }

// NoticeGate refuses a significant or reconsent release that takes effect
// sooner than the policy's notice period after it is announced (its
// updated date), unless a reason is given (recorded with the version).
func NoticeGate(p *policy.Policy, as policy.Assessment, updated, effective policy.Date, reason string) error {
	if as.Level < policy.Significant {
		return nil
	}
	notice := p.Changes.NoticePeriod
	if notice.IsZero() {
		notice = render.DefaultNoticePeriod
	}
	days := effective.Time().Sub(updated.Time()).Hours() / 24
	if days >= notice.ApproxDays() || reason != "" {
		return nil
	}
	return &NoticeGateError{fmt.Sprintf("this change is %s and the policy promises %s' notice, but it takes effect %s, only %.0f days after its update date %s: set a later effective date (in policy.yaml), or release with --short-notice-reason",
		as.Level, notice, effective, days, updated)}
}

// noticeFiles renders the notification pack of a change in every locale of
// the newer model.
func noticeFiles(r *render.Renderer, old, new *policy.Policy, as policy.Assessment, meta render.Meta) (map[string][]byte, error) {
	link := string(new.Changes.ArchiveURL)
	if link == "" {
		link = string(new.Controller.Website)
	}
	files := map[string][]byte{}
	var packs []render.NoticePack
	for _, l := range new.Locales {
		pk, err := r.Notice(old, new, as, string(l), meta, link)
		if err != nil {
			return nil, err
		}
		packs = append(packs, pk)
		files["notice/summary."+string(l)+".md"] = []byte(pk.Summary)
		files["notice/email."+string(l)+".txt"] = []byte(pk.Email)
		files["notice/banner."+string(l)+".html"] = []byte(pk.Banner)
	}
	rec, err := render.NoticeJSON(new, as, meta, packs)
	if err != nil {
		return nil, err
	}
	files["notice/notice.json"] = rec
	return files, nil
}

// redlineFiles adds the Word redline of the change, in each locale both
// versions have, to files.
func redlineFiles(r *render.Renderer, o ChangeOptions, as policy.Assessment, files map[string][]byte) error {
	tree := func(p *policy.Policy, loc string, meta render.Meta) (*render.Tree, error) {
		docs, err := r.Compose(p, loc, meta)
		if err != nil {
			return nil, err
		}
		return render.Parse(docs[0])
	}
	opts := render.DOCXRedlineOptions{From: o.From, To: o.To}
	if d := firstSet(o.Meta.Updated, o.New.Updated, o.Meta.Effective, o.New.Effective); !d.IsZero() {
		opts.Date = d.Time()
	}
	for _, l := range o.New.Locales {
		if !slices.Contains(o.Old.Locales, l) {
			continue
		}
		a, err := tree(o.Old, string(l), o.OldMeta)
		if err != nil {
			return err
		}
		b, err := tree(o.New, string(l), o.Meta)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := r.DOCXRedline(&buf, a, b, as, opts); err != nil {
			return err
		}
		files["notice/redline."+string(l)+".docx"] = buf.Bytes()
	}
	return nil
}

func firstSet(ds ...policy.Date) policy.Date {
	for _, d := range ds {
		if !d.IsZero() {
			return d
		}
	}
	return policy.Date{}
}

// NotAssessed is the change set of a comparison in which a side has no
// model (a version imported as published): no level, no structural
// change, only whether the text changed. why names the side without a
// model; the verdict's not_assessed field carries it.
func NotAssessed(from, to, why string, textChanged bool) (ChangeSet, error) {
	as := policy.Assessment{NotAssessed: why, ProseChanged: textChanged}
	v, err := policy.VerdictJSON(from, to, as)
	return ChangeSet{Assessment: as, Verdict: v, Files: map[string][]byte{}}, err
}
