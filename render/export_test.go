package render

import "time"

// PlainText is a node's text, for the tests that compare what readers
// policyc did not write see with the tree.
var PlainText = plainText

// TextMarkdown is textMarkdown, for tests.
var TextMarkdown = textMarkdown

// SetPDFTextTimeout sets how long pdftotext may take, for a test; it
// returns the function that restores it.
func SetPDFTextTimeout(d time.Duration) func() {
	old := pdfTextTimeout
	pdfTextTimeout = d
	return func() { pdfTextTimeout = old }
}
