package site

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/policyc/policyc/policy"
	"github.com/policyc/policyc/versions"
)

// A reader can compare any two versions. The archive page has a form that
// names two; its target, compare/pick.html, works without JavaScript as an
// index of every comparison the site holds (each version with the one
// before it and with the current one). With JavaScript, it goes straight to
// the comparison of the two versions picked when the site holds it, and
// otherwise lists the releases between them, each with its level, its
// summary and its comparison with the one before: what changed, release by
// release, as recorded.

// pickForm writes the form that picks two versions to compare.
func (b *builder) pickForm(w *strings.Builder, sfx string, labels map[string]string) {
	var choices []versions.Version // newest first
	for i := len(b.vs) - 1; i >= 0; i-- {
		choices = append(choices, b.vs[i])
	}
	if len(choices) < 2 {
		return
	}
	options := func(selected int) string {
		var o strings.Builder
		for _, v := range choices {
			sel := ""
			if v.Version == selected {
				sel = " selected"
			}
			fmt.Fprintf(&o, "<option value=\"%d\"%s>%s</option>\n", v.Version, sel, esc(fmt.Sprintf(labels["site.version"], strconv.Itoa(v.Version))))
		}
		return o.String()
	}
	fmt.Fprintf(w, "<h2 id=\"pick\">%s</h2>\n<form class=\"pick\" action=\"compare/pick%s.html\" method=\"get\">\n", esc(labels["site.pick"]), sfx)
	fmt.Fprintf(w, "<label for=\"pick-from\">%s</label>\n<select id=\"pick-from\" name=\"from\">\n%s</select>\n", esc(labels["site.pick_from"]), options(choices[1].Version))
	fmt.Fprintf(w, "<label for=\"pick-to\">%s</label>\n<select id=\"pick-to\" name=\"to\">\n%s</select>\n", esc(labels["site.pick_to"]), options(choices[0].Version))
	fmt.Fprintf(w, "<button type=\"submit\">%s</button>\n</form>\n", esc(labels["site.pick_go"]))
}

// pickStep is what the picker knows of a version.
type pickStep struct {
	Version int      `json:"v"`
	Level   string   `json:"level"` // as the page's readers call it
	Name    string   `json:"name"`
	Summary []string `json:"summary"`
	Prev    string   `json:"prev,omitempty"`    // its comparison with the one before
	Current string   `json:"current,omitempty"` // its comparison with the current one
}

// pickPage writes compare/pick.html in a locale.
func (b *builder) pickPage(loc, sfx string, labels map[string]string, alts []Alternate) error {
	if len(b.vs) == 0 {
		return nil
	}
	latest := b.vs[len(b.vs)-1]
	var steps []pickStep
	var body strings.Builder
	fmt.Fprintf(&body, "<h1>%s</h1>\n<div id=\"picked\" hidden></div>\n", esc(labels["site.pick"]))
	fmt.Fprintf(&body, "<h2>%s</h2>\n<table>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
		esc(labels["site.pick_all"]), esc(strings.TrimSpace(fmt.Sprintf(labels["site.version"], ""))), esc(labels["site.level"]), esc(labels["site.compare_prev"]), esc(labels["site.compare_current"]))
	for i := len(b.vs) - 1; i >= 0; i-- {
		v := b.vs[i]
		level := levelName(labels, v.Level)
		if v.Imported {
			level = labels["site.imported"]
		}
		st := pickStep{Version: v.Version, Level: level, Name: fmt.Sprintf(labels["site.version"], strconv.Itoa(v.Version)), Summary: b.summary(v, loc, labels)}
		prev, current := b.comparePages(v)
		// The script goes to these: they are judged like the page's links.
		st.Prev, st.Current = safeOrNone(strings.TrimPrefix(prev, "compare/")), safeOrNone(strings.TrimPrefix(current, "compare/"))
		steps = append(steps, st)
		link := func(href, text string) string {
			if href == "" {
				return ""
			}
			return anchor(href, esc(text))
		}
		fmt.Fprintf(&body, "<tr><td>%s</td><td class=\"level-%s\">%s</td><td>%s</td><td>%s</td></tr>\n",
			anchor("../"+vdir(v.Version)+"index"+sfx+".html", esc(st.Name)), esc(v.Level), esc(level),
			link(st.Prev, fmt.Sprintf("v%d → v%d", v.Version-1, v.Version)), link(st.Current, fmt.Sprintf("v%d → v%d", v.Version, latest.Version)))
	}
	body.WriteString("</tbody>\n</table>\n")
	data, err := json.Marshal(map[string]any{
		"steps": steps, "latest": latest.Version,
		"labels": map[string]string{"between": labels["site.pick_between"], "same": labels["site.pick_same"], "compare": labels["site.compare_prev"]},
	})
	if err != nil {
		return err
	}
	// JSON in a script element: "<" is escaped by json.Marshal, so the
	// data cannot end the element.
	fmt.Fprintf(&body, "<script type=\"application/json\" id=\"pick-data\">%s</script>\n<script>%s</script>\n", data, pickScript)
	return b.page("compare/pick"+sfx+".html", loc, labels["site.pick"], "../", sfx, alts, body.String())
}

// safeOrNone is href if policy.SafeLink allows it, else "".
func safeOrNone(href string) string {
	if !policy.SafeLink(href) {
		return ""
	}
	return href
}

// pickScript goes to the picked comparison, or lists the releases between
// the two versions picked. It writes text only (textContent), never markup.
const pickScript = `(function () {
  var q = new URLSearchParams(location.search), a = parseInt(q.get("from"), 10), b = parseInt(q.get("to"), 10);
  if (!a || !b) return;
  // The other languages' pickers show the same pair.
  document.querySelectorAll("a[hreflang]").forEach(function (l) {
    l.setAttribute("href", l.getAttribute("href").split("?")[0] + location.search);
  });
  if (a > b) { var t = a; a = b; b = t; }
  var d = JSON.parse(document.getElementById("pick-data").textContent), by = {};
  d.steps.forEach(function (s) { by[s.v] = s; });
  if (!by[a] || !by[b]) return;
  if (b === a + 1 && by[b].prev) { location.replace(by[b].prev); return; }
  if (b === d.latest && by[a].current) { location.replace(by[a].current); return; }
  var out = document.getElementById("picked"), h = document.createElement("h2");
  h.textContent = a === b ? d.labels.same : d.labels.between.replace("%s", by[a].name).replace("%s", by[b].name);
  out.appendChild(h);
  var ol = document.createElement("ol");
  for (var v = a + 1; v <= b; v++) {
    var s = by[v], li = document.createElement("li");
    if (!s) continue;
    var head = document.createElement("strong");
    head.textContent = s.name + " (" + s.level + ")";
    li.appendChild(head);
    (s.summary || []).forEach(function (x) { li.appendChild(document.createTextNode(" " + x)); });
    if (s.prev) {
      var l = document.createElement("a");
      l.href = s.prev; l.textContent = d.labels.compare;
      li.appendChild(document.createTextNode(" "));
      li.appendChild(l);
    }
    ol.appendChild(li);
  }
  if (a !== b) out.appendChild(ol);
  out.hidden = false;
  h.tabIndex = -1; h.focus();
})();`
