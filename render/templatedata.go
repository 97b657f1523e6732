package render

import (
	"html/template"
	"slices"

	"github.com/policyc/policyc/policy"
)

// The data each default template receives. A project's override of a
// template receives the same; docs/templates.md lists them, generated from
// these types (their fields' doc tags), and a test keeps it current.

// DocumentData is what md/document.md receives: one document of the
// policy with its sections already composed.
type DocumentData struct {
	Title        string        `doc:"The document's title, Markdown-escaped."`
	Meta         string        `doc:"The status line: version or draft, last-updated and effective dates."`
	Summary      string        `doc:"The summary, composed (fact references replaced), in Markdown."`
	Scope        string        `doc:"The scope, inline Markdown; empty in separate documents."`
	Sections     []SectionView `doc:"The sections in order."`
	HasSensitive bool          `doc:"Whether any data category is sensitive (the note that sensitive information is in bold)."`
}

// SectionView is one composed section of a document.
type SectionView struct {
	ID    string `doc:"The section's id, its heading's anchor."`
	Title string `doc:"The title, Markdown-escaped."`
	Body  string `doc:"The body, composed, in Markdown."`
}

// BlockData is what every block template (md/<name>.md, called from prose
// as {{ name }}) receives.
type BlockData struct {
	P   *policy.Policy    `doc:"The whole model (see docs/model.md for its fields)."`
	Arg string            `doc:"The argument of a block that takes one, e.g. \"sharing\" in {{ exceptions \"sharing\" }}."`
	D   policy.Disclosure `doc:"In md/disclosure.md: the sharing, transfer or public disclosure being printed."`
}

// PageData is what html/page.html receives: a rendered document as a
// standalone page.
type PageData struct {
	Lang           string        `doc:"The page's language tag (en, zh-CN)."`
	Title          string        `doc:"The document's title."`
	Body           template.HTML `doc:"The document, rendered from its Markdown (raw HTML never passes)."`
	CSS            template.CSS  `doc:"The stylesheet: style.css and the project's extra.css after it."`
	Skip           string        `doc:"The label of the skip link."`
	Version        string        `doc:"The version number; empty for a draft."`
	Draft          bool          `doc:"Whether the page is a draft, not a released version."`
	DraftLabel     string        `doc:"The draft banner's text."`
	VersionLabel   string        `doc:"The word for version."`
	Alternates     []Alternate   `doc:"The same document in other languages (links already judged safe)."`
	OtherLanguages string        `doc:"The label of the language links."`
	TOC            []TOCEntry    `doc:"The contents: one entry per section."`
}

// TOCEntry is one entry of a page's contents.
type TOCEntry struct {
	ID       string `doc:"The section's anchor."`
	Title    string `doc:"The section's title."`
	Appendix bool   `doc:"Whether the section is an appendix."`
}

// DiffPageData is what html/diff.html receives: a comparison of two
// versions.
type DiffPageData struct {
	Lang        string                     `doc:"The page's language tag."`
	From        string                     `doc:"The older side's name (v2, a directory)."`
	To          string                     `doc:"The newer side's name."`
	Level       string                     `doc:"The overall level: editorial, notable, significant or reconsent."`
	LevelLabel  string                     `doc:"The overall level, in the page's language."`
	Advice      string                     `doc:"What the level calls for, in words."`
	NotAssessed string                     `doc:"The verdict in words when the change was not assessed structurally (a side has no model: Level, LevelLabel, Advice and Groups are then empty); empty otherwise."`
	Changed     bool                       `doc:"Whether anything changed (a comparison with no change says only that)."`
	Groups      [][]policy.Verdict         `doc:"The changes grouped by level, highest first (empty groups included)."`
	Redline     []SectionRedline           `doc:"The text redline as segments of Markdown source, one entry per changed section (.Sections is the same as it reads)."`
	Sections    []DiffSection              `doc:"The changed sections as they read, changes marked, in order."`
	Sentence    func(policy.Change) string `doc:"Says a change in words with its old and new values: {{ call $.Sentence .Change }}."`
	Links       DiffLinks                  `doc:"The pages around the comparison in a site (.Archive, .Current, .From, .To, relative to the page; empty when standalone or unknown)."`
	L           map[string]string          `doc:"The page's labels (templates/i18n: the diff.* keys, and rule.ID, a rule's summary in the page's language when the labels have it, else the rule's own English summary): {{ index .L \"diff.next\" }}."`
}

// DiffSection is one changed section on the comparison page.
type DiffSection struct {
	ID          string        `doc:"The section's anchor on the page."`
	Title       string        `doc:"The section's title."`
	Status      string        `doc:"changed, added or removed."`
	StatusLabel string        `doc:"The status, in the page's language."`
	Before      string        `doc:"Where the text first changed, as it read: the changed words with a few words around them (… where text is left out)."`
	After       string        `doc:"The same place as it reads now."`
	Spacing     bool          `doc:"Whether only spacing or line breaks changed."`
	Changes     int           `doc:"How many changes (runs of changed paragraphs, items or rows) it holds."`
	First       string        `doc:"The anchor of its first change."`
	Body        template.HTML `doc:"The section as it reads, rendered by the policy's HTML writer: inserted words in ins elements, deleted ones in del elements, a block inserted or deleted whole with class rl-inserted or rl-deleted, each change's first block with id change-N and a link (class rl-next) to the next, unchanged stretches in a details element of class rl-same."`
}

// TemplateFuncs are the names of the functions the Markdown templates may
// call, sorted.
func TemplateFuncs() []string {
	var out []string
	for name := range templateFuncStubs {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}
