-- Nothing to do on PostgreSQL: this migration changes SQLite's full-text search table, and
-- PostgreSQL's trigram indexes are part of "Member" itself. Kept so both providers list the same
-- migrations (scripts/new-migration.test.ts).
SELECT 1;
