// Package consentlog keeps proof of consent (UK GDPR Art. 7(1)) in a SQL
// database through database/sql.
//
// A consentgate site keeps each visitor's choices in a signed cookie, so any
// number of instances can serve the site without sharing state. What they do
// share is this log: one row per decision, holding the random consent ID from
// the cookie, the time in UTC, the policy revision, the categories accepted
// and refused, how the decision was made (accept-all, reject-all, custom,
// withdraw) and the page it was made on. It never holds an IP address, and
// holds a user agent only if the site sets [Options.RecordUserAgent].
//
// # Drivers
//
// The package imports no driver. Import one in your main package and name
// the matching [Dialect]:
//
//   - SQLite, for a single instance: modernc.org/sqlite (pure Go, driver name
//     "sqlite"). Open a file (not ":memory:", which gives each pooled
//     connection its own empty database) with a busy timeout and WAL, e.g.
//     "file:consent.db?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)".
//     The busy timeout is required, and [New] refuses a connection without
//     one: SQLite otherwise turns away every decision that arrives while
//     another is being written.
//   - PostgreSQL, for several instances behind a load balancer:
//     github.com/jackc/pgx/v5/stdlib (driver name "pgx").
//
// # Schema
//
// [New] creates the table, its indexes and a schema-version table, or brings
// an older schema up to date. Migrations run in one transaction under a
// database-wide lock (an advisory lock in PostgreSQL, BEGIN IMMEDIATE in
// SQLite), so any number of instances may start at once.
//
// # Failure
//
// Every database call is bounded by the caller's context and by
// [Options.Timeout]. The banner calls [Recorder.RecordConsent] before it
// writes the consent cookie and grants nothing if it fails, so a database
// that is down or locked makes consent fail closed rather than hang.
//
// # Retention and subject access
//
// Run [Recorder.Prune] on a timer to delete decisions older than
// [Options.Retention] (12 months by default). [Recorder.Export] writes every
// stored decision for one consent ID as JSON, for a subject access request:
// the visitor's consent ID is in their consent cookie.
package consentlog
