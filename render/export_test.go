package render

// PlainText is a node's text, for the tests that compare what readers
// policyc did not write see with the tree.
var PlainText = plainText

// TextMarkdown is textMarkdown, for tests.
var TextMarkdown = textMarkdown
