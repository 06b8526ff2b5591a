// Package htmlgate holds the tests of internal/htmlgate that need
// golang.org/x/net/html: a differential fuzz test using its parser as the
// oracle for what a browser would run, and the benchmark against its
// tokenizer. They live in the examples module so the library's go.mod stays
// free of the dependency.
package htmlgate
