// Package policy owns the privacy-policy model: its Go types, loading a
// policy directory (YAML with source positions, Markdown sections), validation
// that reports every problem at file:line:col, and the JSON Schema of the model.
//
// It must not render, print or exit: callers get values and errors. It imports
// only the standard library and the YAML parser.
package policy
