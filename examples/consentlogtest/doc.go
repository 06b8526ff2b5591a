// Package consentlogtest tests and benchmarks the consentlog recorder against
// real databases: SQLite through modernc.org/sqlite and PostgreSQL through
// pgx. The PostgreSQL tests need CONSENTGATE_POSTGRES_DSN (./scripts/test
// starts a throw-away server and sets it); without it they skip, unless
// CI=true, when they fail.
package consentlogtest
