package policy

import "fmt"

type checkFinding struct {
	pos Pos
	msg string
}

// checks are the consistency checks lint rule files can name: facts of
// the model that must agree with each other.
var checks = map[string]func(p *Policy, o LintOptions) []checkFinding{
	// An SDK collects a category that no activity declares using.
	"sdk-undeclared-category": func(p *Policy, _ LintOptions) []checkFinding {
		used := map[ID]bool{}
		for _, a := range p.Activities {
			for _, r := range a.Uses {
				used[r.ID] = true
			}
		}
		var out []checkFinding
		for _, s := range p.SDKs {
			for _, r := range s.Collects {
				if !used[r.ID] {
					out = append(out, checkFinding{r.pos, fmt.Sprintf("SDK %q collects %q, which no activity declares using", s.ID, r.ID)})
				}
			}
		}
		return out
	},
	// Children's data is collected but the policy has no children's rules.
	"children-without-rules": func(p *Policy, _ LintOptions) []checkFinding {
		if p.Children != nil {
			return nil
		}
		var out []checkFinding
		for _, c := range p.DataCategories {
			if c.Children {
				out = append(out, checkFinding{c.FieldPos("children"), fmt.Sprintf("data category %q holds children's information, but there is no children section", c.ID)})
			}
		}
		for _, a := range p.Activities {
			if a.Children {
				out = append(out, checkFinding{a.FieldPos("children"), fmt.Sprintf("activity %q collects from children, but there is no children section", a.ID)})
			}
		}
		return out
	},
	// A transfer abroad whose recipient is not described enough to contact.
	"cross-border-recipient": func(p *Policy, _ LintOptions) []checkFinding {
		var out []checkFinding
		for _, rt := range p.Storage.CrossBorder.Routes {
			for _, r := range p.Recipients {
				if r.ID == rt.Recipient.ID && (r.Contact.IsZero() || r.Region.IsZero()) {
					out = append(out, checkFinding{r.Pos(), fmt.Sprintf("recipient %q receives data abroad (route %q) but lacks contact details or region", r.ID, rt.ID)})
				}
			}
		}
		return out
	},
	// A recipient with no purpose (authorities and successors act under the
	// law or the transaction, which the cases describe).
	"recipient-without-purpose": func(p *Policy, _ LintOptions) []checkFinding {
		var out []checkFinding
		for _, r := range p.Recipients {
			if len(r.Purposes) == 0 && r.Kind != "authority" && r.Kind != "acquirer" && r.Kind != "public" {
				out = append(out, checkFinding{r.Pos(), fmt.Sprintf("recipient %q has no purpose", r.ID)})
			}
		}
		return out
	},
	// A right with no way to exercise it.
	"right-without-way": func(p *Policy, _ LintOptions) []checkFinding {
		var out []checkFinding
		for _, r := range p.Rights {
			if len(r.Channels) == 0 && r.How.IsZero() {
				out = append(out, checkFinding{r.Pos(), fmt.Sprintf("right %q has neither channels nor how", r.ID)})
			}
		}
		return out
	},
	// The policy was last updated more than 12 months before the date lint
	// measures from (only with --as-of: lint does not read the clock).
	"updated-within-12-months": func(p *Policy, o LintOptions) []checkFinding {
		if o.AsOf.IsZero() || p.Updated.IsZero() {
			return nil
		}
		if limit := p.Updated.Time().AddDate(1, 0, 0); o.AsOf.Time().After(limit) {
			return []checkFinding{{p.FieldPos("updated"), fmt.Sprintf("last updated %s, more than 12 months before %s", p.Updated, o.AsOf)}}
		}
		return nil
	},
	// A contact channel taking requests or complaints with no reply time
	// (its own or the general one).
	"channel-without-response-time": func(p *Policy, _ LintOptions) []checkFinding {
		if !p.Contacts.ResponseTime.IsZero() {
			return nil
		}
		var out []checkFinding
		for _, c := range p.Contacts.Channels {
			if c.ResponseTime.IsZero() {
				out = append(out, checkFinding{c.Pos(), fmt.Sprintf("channel %q has no response time", c.ID)})
			}
		}
		return out
	},
}
