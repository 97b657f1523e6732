package policy

import "slices"

// Compose chains the changes between consecutive versions (steps[0] from
// v1 to v2, steps[1] from v2 to v3, ...) into the changes between the
// first and the last, as Diff would give them, without either model. It
// reports false where the records cannot decide the result exactly, and
// the caller must then diff the models:
//
//   - an element, value or pointer disappears and appears again (what
//     changed inside it in between is not recorded);
//   - something inside an element that was added or removed along the way
//     changed (the record of the addition names the element as it was
//     then);
//   - a text's wording ends as it began in the first locale after changing
//     in between (other locales may have changed for good).
//
// A composed change keeps a position only where it is exact: the old one
// when the first step recorded it, the new one when the last step did.
func Compose(steps [][]Change) ([]Change, bool) {
	entries := map[string]*composed{}
	var order []string
	for i, step := range steps {
		for _, c := range step {
			key := c.Path.String()
			e, ok := entries[key]
			if !ok {
				e = &composed{c: c, first: i, oldPresent: c.Kind != Added}
				entries[key] = e
				order = append(order, key)
			} else if e.c.Prose != c.Prose {
				return nil, false
			}
			e.c.New, e.c.NewPos, e.last = c.New, c.NewPos, i
			e.newPresent = c.Kind != Removed
			if c.Kind != Changed {
				e.toggles++
			}
		}
	}
	last := len(steps) - 1
	var out []Change
	for _, key := range order {
		e := entries[key]
		c := e.c
		set := c.Path.Last() == ValueStep
		// Containers added or removed along the way hide what changed inside.
		if e.toggles > 0 && !set && hasDescendant(entries, c.Path) {
			return nil, false
		}
		// Removed and added again: what it became in between is not
		// recorded. (Added and removed again leaves nothing to tell.)
		if e.toggles > 1 && !set && (e.oldPresent || e.newPresent) {
			return nil, false
		}
		switch {
		case !e.oldPresent && !e.newPresent:
			continue // added, then removed
		case !e.oldPresent:
			c.Kind = Added
		case !e.newPresent:
			c.Kind = Removed
		case set:
			continue // removed, then added: the key is its whole value
		case c.Old == c.New:
			if c.Prose {
				return nil, false
			}
			continue
		case c.Prose:
			c.Kind = Changed
		default:
			c.Kind = kindOf(c.Old, c.New)
		}
		if e.first != 0 {
			c.OldPos = Pos{}
		}
		if e.last != last {
			c.NewPos = Pos{}
		}
		out = append(out, c)
	}
	slices.SortStableFunc(out, func(x, y Change) int { return x.Path.Compare(y.Path) })
	return out, true
}

type composed struct {
	c           Change
	first, last int // the steps that changed it
	toggles     int // appearances and disappearances
	oldPresent  bool
	newPresent  bool
}

// hasDescendant says whether any recorded path lies inside path.
func hasDescendant(entries map[string]*composed, path Path) bool {
	for _, e := range entries {
		if e.c.Path.Within(path) {
			return true
		}
	}
	return false
}
